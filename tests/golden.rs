//! Golden-file tests: the generator's output is compared byte for byte with checked-in
//! expectations.
//!
//! - `generated/` must equal what `spec/openapi.yaml` generates (run `cargo run -p generator`
//!   to refresh it).
//! - Each `tests/fixtures/<name>.yaml` has its expected output in `tests/golden/<name>.txt`.
//!   After an intended change, rewrite them with `EXPECTORATE=overwrite cargo test -p
//!   authlete-tests --test golden` and review the diff.

use std::path::Path;

use authlete_tests::{diff, golden_text, repo_root};
use generator::{Config, Input, generate};

#[test]
fn generated_crate_is_fresh() {
    let root = repo_root();
    let files = generate(
        &Input::with_default_overlay(root.join("spec/openapi.yaml")),
        &Config::new("authlete"),
    )
    .unwrap_or_else(|e| panic!("generation failed: {e}"));
    let staleness = files.compare_with(&root.join("generated")).unwrap();
    let mut report = String::new();
    for path in &staleness.changed {
        let on_disk =
            std::fs::read_to_string(root.join("generated").join(path)).unwrap_or_default();
        report.push_str(&diff(&on_disk, files.get(path).unwrap_or_default()));
    }
    assert!(
        staleness.is_fresh(),
        "generated/ is stale; run `cargo run -p generator`.\nchanged: {:?}\nmissing: {:?}\nextra: {:?}\n{report}",
        staleness.changed,
        staleness.missing,
        staleness.extra,
    );
}

#[test]
fn generation_is_deterministic() {
    let input = Input::with_default_overlay(repo_root().join("spec/openapi.yaml"));
    let config = Config::new("authlete");
    let a = generate(&input, &config).unwrap();
    let b = generate(&input, &config).unwrap();
    assert_eq!(a, b);
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut specs: Vec<_> = std::fs::read_dir(repo_root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    specs
}

#[test]
fn fixtures_match_their_golden_files() {
    let specs = fixtures();
    assert!(
        specs.len() >= 10,
        "expected the fixture set, found {specs:?}"
    );
    for spec in specs {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let files = generate(&Input::spec(&spec), &Config::new(name.replace('_', "-")))
            .unwrap_or_else(|e| panic!("{name}: generation failed: {e}"));
        let golden = Path::new("golden").join(format!("{name}.txt"));
        expectorate::assert_contents(repo_root().join("tests").join(golden), &golden_text(&files));
    }
}
