//! Every generated Rust file parses as a whole, including what bypasses `syn`: the doc lines
//! spliced in after printing and the items appended after prettyplease's output (the models'
//! serde, `Debug` and setter impls, `string_enum!` invocations; `emit/rust_file.rs`).
//! Generation trusts that text for speed; here `emit::Check::Parse` parses each file, over the
//! Authlete document with our overlay and over every fixture.

use std::path::{Path, PathBuf};

use generator::emit::{Check, emit, emit_checked};
use generator::{Config, Input, load_api};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    specs
}

/// Emits `input` with every Rust file parsed, checks the text equals plain generation's and
/// returns how many files had items appended after prettyplease.
fn check(input: &Input, crate_name: &str) -> usize {
    let name = input.spec.display();
    let (api, _) = load_api(input).unwrap_or_else(|e| panic!("{name}: {e}"));
    let config = Config::new(crate_name);
    let checked =
        emit_checked(&api, &config, Check::Parse).unwrap_or_else(|e| panic!("{name}: {e}"));
    let plain = emit(&api, &config).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(checked, plain, "{name}: checking changed the output");
    checked
        .iter()
        .filter(|(path, text)| {
            path.ends_with(".rs")
                && (text.contains("\nimpl serde::Serialize for ")
                    || text.contains("\ncrate::runtime::string_enum! {"))
        })
        .count()
}

#[test]
fn the_authlete_crate_parses_with_its_appended_items() {
    let input = Input::with_default_overlay(root().join("spec/openapi.yaml"));
    let appended = check(&input, "authlete");
    // Every struct and string enum model (the crate has ~160 models).
    assert!(appended > 100, "only {appended} files with appended items");
}

#[test]
fn every_fixture_parses_with_its_appended_items() {
    let specs = fixtures();
    assert!(
        specs.len() >= 10,
        "expected the fixture set, found {specs:?}"
    );
    let mut appended = 0;
    for spec in &specs {
        let name = spec
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('_', "-");
        appended += check(&Input::spec(spec), &name);
    }
    assert!(
        appended > specs.len(),
        "only {appended} files with appended items"
    );
}
