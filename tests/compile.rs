//! Every fixture generates a crate that compiles with zero warnings (clippy, `-D warnings`),
//! including its generated tests.

use authlete_tests::{generate_and_clippy, repo_root};

#[test]
fn fixture_crates_compile_warning_free() {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
            let name = format!(
                "fixture-{}",
                path.file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .replace('_', "-")
            );
            specs.push((name, path));
        }
    }
    specs.sort();
    assert!(specs.len() >= 10);
    if let Err(report) = generate_and_clippy(&specs) {
        panic!("{report}");
    }
}
