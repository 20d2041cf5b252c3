//! Every real-world document in `../shared/specs/corpus/` (see its MANIFEST.md) generates a
//! crate that passes `cargo clippy --all-targets -D warnings`. The crates share one temporary
//! workspace and the repository's target directory, so dependencies are built once.

use authlete_tests::{generate_and_clippy, repo_root};

#[test]
fn corpus_crates_compile_warning_free() {
    let corpus = repo_root().join("../shared/specs/corpus");
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let spec = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.extension()
                    .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            })
            .unwrap_or_else(|| panic!("no document in {}", dir.display()));
        // Crate names allow no dots (`scalar-galaxy-3.2`).
        let name =
            format!("corpus-{}", dir.file_name().unwrap().to_string_lossy()).replace('.', "-");
        specs.push((name, spec));
    }
    specs.sort();
    assert!(specs.len() >= 10, "the corpus has shrunk: {specs:?}");
    if let Err(report) = generate_and_clippy(&specs) {
        panic!("{report}");
    }
}
