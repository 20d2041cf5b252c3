//! `CHANGELOG.md` of the generated crate, from a folder of earlier documents.
//!
//! The history folder (by default `history/` beside the document: `spec/history`, a symlink
//! to the shared upstream history) holds one file per published version of the document, named
//! so that sorting by name sorts by date (`2026-01-21_f50e9f4_spec_next.yaml`). The changelog
//! has one section per consecutive pair, newest first, each the Markdown of
//! [`render::markdown_body`] for that pair. When the current
//! document differs from the newest history file (byte for byte), a first section compares the
//! two, so an update shows up before its file is archived in the folder.
//!
//! Every document is read with the overlays generation applies to the current one, so the
//! changelog names the crate's real methods and types (`client().management().update()`,
//! not the upstream operationIds). Their warnings are dropped: the overlay is written for the
//! current document, older ones naturally lack what was added since, and generation already
//! reports the current document's. Its text depends only on the files' names and contents
//! (documents and overlays), so `--check` catches a stale changelog like any other generated
//! file.

use std::path::{Path, PathBuf};

use super::{Diff, compare, load_documents, render};
use crate::{Error, Input};

/// The file name inside the generated crate.
pub const FILE: &str = "CHANGELOG.md";

/// `history/` beside the document, when it is a folder.
pub fn default_history(spec: &Path) -> Option<PathBuf> {
    let dir = spec.parent().unwrap_or(Path::new(".")).join("history");
    dir.is_dir().then_some(dir)
}

/// The documents in a history folder (`.yaml`, `.yml`, `.json`), sorted by file name.
pub fn history_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let is_document = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if is_document && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// The changelog for `input` when it names a history folder with documents in it, every
/// document read with `input`'s overlays.
pub fn for_input(input: &Input, crate_name: &str) -> Result<Option<String>, Error> {
    match &input.history {
        Some(dir) => changelog(dir, &input.spec, &input.overlays, crate_name),
        None => Ok(None),
    }
}

/// Builds the changelog from the documents in `history` and the current document `current`,
/// each with `overlays` applied; `None` when the folder holds no document.
pub fn changelog(
    history: &Path,
    current: &Path,
    overlays: &[PathBuf],
    crate_name: &str,
) -> Result<Option<String>, Error> {
    let mut files = history_files(history)?;
    let Some(newest) = files.last() else {
        return Ok(None);
    };
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let current_is_newer = read(newest)? != read(current)?;
    if current_is_newer {
        files.push(current.to_path_buf());
    }
    // The changelog is a pure function of these bytes and of this build of the generator, and
    // history documents never change: reuse an earlier rendering when there is one, instead of
    // parsing every document again on each run.
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(
        &(env!("GENERATOR_BUILD_ID"), crate_name, current_is_newer),
        &mut hasher,
    );
    for file in &files {
        std::hash::Hash::hash(&(name_of(file), read(file)?), &mut hasher);
    }
    std::hash::Hash::hash(&overlays.len(), &mut hasher);
    for overlay in overlays {
        std::hash::Hash::hash(&read(overlay)?, &mut hasher);
    }
    let cache = cache_dir().map(|dir| {
        dir.join(format!(
            "changelog-{:016x}.md",
            std::hash::Hasher::finish(&hasher)
        ))
    });
    if let Some(cached) = cache
        .as_ref()
        .and_then(|path| std::fs::read_to_string(path).ok())
    {
        return Ok(Some(cached));
    }
    let rendered = render_changelog(&files, overlays, current_is_newer, crate_name)?;
    if let Some(path) = &cache {
        store(path, &rendered);
    }
    Ok(Some(rendered))
}

/// Where derived output is cached: `$GENERATOR_CACHE_DIR`, else a folder in the system's
/// temporary directory. Caching is an optimisation only; any failure just skips it.
fn cache_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("GENERATOR_CACHE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::temp_dir().join("openapi-rust-generator-cache"),
    };
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// Writes a cache entry atomically (a temporary file renamed into place), ignoring failures.
fn store(path: &Path, text: &str) {
    let Some(dir) = path.parent() else { return };
    if let Ok(mut file) = tempfile::NamedTempFile::new_in(dir) {
        if std::io::Write::write_all(&mut file, text.as_bytes()).is_ok() {
            let _ = file.persist(path);
        }
    }
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Renders the changelog of consecutive `files` (oldest first).
fn render_changelog(
    files: &[PathBuf],
    overlays: &[PathBuf],
    current_is_newer: bool,
    crate_name: &str,
) -> Result<String, Error> {
    let apis: Vec<_> = load_documents(files, overlays)?
        .into_iter()
        .map(|(api, _)| api)
        .collect();
    let name = |path: &Path| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };

    let mut out = format!(
        "# Changelog\n\n\
         How each upstream update of the API document changed the Rust API of the `{crate_name}` \
         crate, newest first.\n\n\
         Generated by `cargo run -p generator` from the documents in the spec's `history/` folder, \
         each read with the spec's overlays and compared with the one before it \
         (`cargo run -p generator -- diff OLD NEW`); do not edit by hand. \"Breaking\" and \"compatible\" follow the rules in the repository README \
         (section \"Upstream updates\").\n"
    );
    for i in (1..files.len()).rev() {
        let (old, new) = (name(&files[i - 1]), name(&files[i]));
        let diff: Diff = compare(&apis[i - 1], &apis[i]).with_labels(&old, &new);
        let title = if current_is_newer && i == files.len() - 1 {
            format!("Current document (`{new}`)")
        } else {
            format!("`{new}`")
        };
        out.push_str(&format!(
            "\n## {title}\n\nCompared with `{old}`: {}",
            render::markdown_body(&diff, 3)
        ));
    }
    out.push_str(&format!(
        "\n## `{}`\n\nThe oldest document in the history: the changelog starts here.\n",
        name(&files[0])
    ));
    Ok(out)
}

impl crate::emit::Config {
    /// Makes `text` the crate's `CHANGELOG.md` (none when `None`), replacing an earlier one.
    /// Here rather than in `emit`, which carries the file without knowing what it is.
    pub fn set_changelog(&mut self, text: Option<String>) {
        self.verbatim_files.retain(|(path, _)| path != FILE);
        if let Some(text) = text {
            self.verbatim_files.push((FILE.to_owned(), text));
        }
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    fn history() -> (PathBuf, PathBuf) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/diff");
        let dir = tempfile::tempdir().unwrap().keep();
        // Two small documents as a history, the newer one also the current document.
        let rule = std::fs::read_dir(&root)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        std::fs::copy(rule.join("old.yaml"), dir.join("2020-01-01_old.yaml")).unwrap();
        std::fs::copy(rule.join("new.yaml"), dir.join("2020-02-01_new.yaml")).unwrap();
        (dir.clone(), dir.join("2020-02-01_new.yaml"))
    }

    #[test]
    fn cached_and_fresh_renderings_are_identical() {
        let (dir, current) = history();
        let files = history_files(&dir).unwrap();
        let fresh = render_changelog(&files, &[], false, "x").unwrap();
        let first = changelog(&dir, &current, &[], "x").unwrap().unwrap();
        let second = changelog(&dir, &current, &[], "x").unwrap().unwrap();
        assert_eq!(first, fresh);
        assert_eq!(second, fresh);
        // Another crate name is another entry, not the cached text.
        let other = changelog(&dir, &current, &[], "y").unwrap().unwrap();
        assert_ne!(other, fresh);
    }
}
