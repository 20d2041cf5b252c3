//! What several of the generator's test files share.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The YAML document at `fixture` as JSON, changed by `edit`, written to a temporary folder
/// (kept as long as the returned guard lives).
pub fn edited_fixture(
    fixture: &Path,
    edit: impl FnOnce(&mut Value),
) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(fixture).unwrap();
    let mut doc: Value = serde_yaml::from_str(&text).unwrap();
    edit(&mut doc);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    (dir, path)
}
