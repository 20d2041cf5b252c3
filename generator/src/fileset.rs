//! The generated crate as data (sorted path → text), and the two things we do with it: write it
//! over the output directory atomically, or compare it with what is there.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Files of a generated crate, keyed by relative path with `/` separators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSet {
    files: BTreeMap<String, String>,
}

/// How the files on disk differ from a [`FileSet`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Present in both, with other contents.
    pub changed: Vec<String>,
    /// Would be generated but is not on disk.
    pub missing: Vec<String>,
    /// On disk but would not be generated.
    pub extra: Vec<String>,
}

impl Staleness {
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl FileSet {
    pub fn insert(&mut self, path: &str, contents: String) {
        self.files.insert(path.to_owned(), contents);
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total lines over every file.
    pub fn line_count(&self) -> usize {
        self.files.values().map(|f| f.lines().count()).sum()
    }

    /// Replaces `dir` with exactly these files.
    ///
    /// Everything is written to a temporary sibling directory first, which then takes the
    /// place of `dir` by two renames; a failure at any point before the swap leaves `dir` as
    /// it was. Build output (`target/`) inside `dir` is carried over so that regenerating does
    /// not throw away a build.
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "generated".to_owned());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)?;
        for (path, contents) in &self.files {
            let target = staging.path().join(path);
            if let Some(p) = target.parent() {
                std::fs::create_dir_all(p)?;
            }
            std::fs::write(&target, contents)?;
        }
        if dir.join("target").is_dir() {
            std::fs::rename(dir.join("target"), staging.path().join("target"))?;
        }
        let staging = staging.keep();
        if dir.exists() {
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(&parent)?
                .keep();
            std::fs::remove_dir(&old)?;
            std::fs::rename(dir, &old)?;
            if let Err(e) = std::fs::rename(&staging, dir) {
                // Put the old directory back before reporting.
                let _ = std::fs::rename(&old, dir);
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
            std::fs::remove_dir_all(&old)?;
        } else if let Err(e) = std::fs::rename(&staging, dir) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        Ok(())
    }

    /// Compares with the files under `dir` (ignoring `target/` and dot-files).
    pub fn compare_with(&self, dir: &Path) -> io::Result<Staleness> {
        let mut on_disk = BTreeMap::new();
        if dir.is_dir() {
            collect(dir, dir, &mut on_disk)?;
        }
        let mut staleness = Staleness::default();
        for (path, contents) in &self.files {
            match on_disk.remove(path) {
                Some(existing) if existing == contents.as_bytes() => {}
                Some(_) => staleness.changed.push(path.clone()),
                None => staleness.missing.push(path.clone()),
            }
        }
        staleness.extra = on_disk.into_keys().collect();
        Ok(staleness)
    }
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || (dir == root && (name == "target" || name == "Cargo.lock")) {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(relative, std::fs::read(&path)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> FileSet {
        let mut s = FileSet::default();
        for (p, c) in files {
            s.insert(p, (*c).to_owned());
        }
        s
    }

    #[test]
    fn write_replaces_the_directory_and_keeps_target() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("generated");
        std::fs::create_dir_all(out.join("target/debug")).unwrap();
        std::fs::write(out.join("target/debug/x"), "build").unwrap();
        std::fs::write(out.join("stale.rs"), "old").unwrap();
        set(&[("src/lib.rs", "lib"), ("Cargo.toml", "toml")])
            .write_to(&out)
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "lib"
        );
        assert!(!out.join("stale.rs").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("target/debug/x")).unwrap(),
            "build"
        );
        // Nothing is left beside it.
        let siblings: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(siblings.len(), 1);
    }

    #[test]
    fn compare_reports_changed_missing_and_extra() {
        let tmp = tempfile::tempdir().unwrap();
        set(&[("a", "1"), ("b", "2"), ("c", "3")])
            .write_to(tmp.path())
            .unwrap();
        let now = set(&[("a", "1"), ("b", "changed"), ("d", "4")]);
        let s = now.compare_with(tmp.path()).unwrap();
        assert_eq!(s.changed, ["b"]);
        assert_eq!(s.missing, ["d"]);
        assert_eq!(s.extra, ["c"]);
        assert!(!s.is_fresh());
        assert!(
            set(&[("a", "1"), ("b", "2"), ("c", "3")])
                .compare_with(tmp.path())
                .unwrap()
                .is_fresh()
        );
    }
}
