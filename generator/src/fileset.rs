//! The generated crate as data (sorted path → text), and the two things we do with it: write it
//! over the output directory (only what differs, all of it staged before anything is
//! replaced), or compare it with what is there.

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

/// What [`FileSet::write_to`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The directory held exactly these files: nothing was touched.
    Unchanged,
    /// The directory did not exist and was written whole.
    Replaced,
    /// These many files were written or removed; the others were left untouched.
    Updated { files: usize },
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

    /// Makes `dir` hold exactly these files, touching only the ones that differ.
    ///
    /// When nothing differs ([`compare_with`](Self::compare_with)) nothing is written. Otherwise
    /// every changed or missing file is first written in full beside its target (a hidden
    /// temporary file in the same folder); only when all of them are on disk are they renamed
    /// into place and files no longer generated removed. A failure while writing (a full disk,
    /// say) removes the temporary files and leaves `dir` as it was. Unchanged files keep their
    /// times, so cargo and editors see only real changes, and a regeneration that changes a few
    /// files costs a few writes, not a rewrite of the tree. Anything the comparison ignores
    /// (`target/`, `Cargo.lock`, dot-files) is left alone.
    pub fn write_to(&self, dir: &Path) -> io::Result<Written> {
        if !dir.is_dir() {
            return self.write_new(dir).map(|()| Written::Replaced);
        }
        let staleness = self.compare_with(dir)?;
        if staleness.is_fresh() {
            return Ok(Written::Unchanged);
        }
        // Stage: every new text complete on disk before anything is replaced.
        let mut staged = Vec::new();
        for path in staleness.changed.iter().chain(&staleness.missing) {
            let target = dir.join(path);
            let folder = target.parent().unwrap_or(dir);
            std::fs::create_dir_all(folder)?;
            let mut file = tempfile::Builder::new()
                .prefix(".generator-")
                .tempfile_in(folder)?;
            io::Write::write_all(&mut file, self.files[path].as_bytes())?;
            staged.push((file, target));
        }
        // Commit: renames within one folder, which do not fail for want of space.
        for (file, target) in staged {
            file.persist(&target).map_err(|e| e.error)?;
        }
        for path in &staleness.extra {
            let target = dir.join(path);
            std::fs::remove_file(&target)?;
            remove_empty_folders(dir, target.parent());
        }
        Ok(Written::Updated {
            files: staleness.changed.len() + staleness.missing.len() + staleness.extra.len(),
        })
    }

    /// Writes a directory that does not exist yet: into a temporary sibling first, renamed
    /// into place once complete.
    fn write_new(&self, dir: &Path) -> io::Result<()> {
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
        let staging = staging.keep();
        if let Err(e) = std::fs::rename(&staging, dir) {
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

/// Removes `folder` and its parents up to (not including) `root` while they are empty.
fn remove_empty_folders(root: &Path, mut folder: Option<&Path>) {
    while let Some(f) = folder {
        if f == root || !f.starts_with(root) || std::fs::remove_dir(f).is_err() {
            return;
        }
        folder = f.parent();
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

    fn set_mtime(path: &Path, time: std::time::SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(time)
            .unwrap();
    }

    #[test]
    fn identical_output_is_not_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("generated");
        let files = set(&[("src/lib.rs", "lib"), ("Cargo.toml", "toml")]);
        assert_eq!(files.write_to(&out).unwrap(), Written::Replaced);
        // Back-date a file: an untouched file keeps that time.
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        let lib = out.join("src/lib.rs");
        set_mtime(&lib, old);
        assert_eq!(files.write_to(&out).unwrap(), Written::Unchanged);
        assert_eq!(std::fs::metadata(&lib).unwrap().modified().unwrap(), old);
        // One changed file: only it is written.
        let toml = out.join("Cargo.toml");
        set_mtime(&toml, old);
        let changed = set(&[("src/lib.rs", "lib2"), ("Cargo.toml", "toml")]);
        assert_eq!(
            changed.write_to(&out).unwrap(),
            Written::Updated { files: 1 }
        );
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "lib2");
        assert_ne!(std::fs::metadata(&lib).unwrap().modified().unwrap(), old);
        assert_eq!(std::fs::metadata(&toml).unwrap().modified().unwrap(), old);
    }

    #[test]
    fn removed_files_take_their_empty_folders_with_them() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("generated");
        set(&[("src/a/b/x.rs", "x"), ("src/lib.rs", "lib")])
            .write_to(&out)
            .unwrap();
        set(&[("src/lib.rs", "lib")]).write_to(&out).unwrap();
        assert!(!out.join("src/a").exists());
        assert!(out.join("src/lib.rs").is_file());
    }

    #[test]
    fn a_failure_while_staging_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("generated");
        set(&[
            ("a.rs", "old"),
            ("sub", "a file where a folder will be needed"),
        ])
        .write_to(&out)
        .unwrap();
        // `a.rs` is staged first; `sub/x.rs` then cannot be, since `sub` is a file.
        set(&[("a.rs", "new"), ("sub/x.rs", "x")])
            .write_to(&out)
            .unwrap_err();
        assert_eq!(std::fs::read_to_string(out.join("a.rs")).unwrap(), "old");
        assert!(out.join("sub").is_file());
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.rs", "sub"], "no temporary file is left behind");
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
