//! `generator diff OLD NEW` as users run it: formats, exit codes, errors, and the generation
//! flags still working beside the subcommand.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(rule: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/diff")
        .join(rule)
        .join(format!("{side}.yaml"))
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths in tests")
}

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator binary runs")
}

fn diff(rule: &str, extra: &[&str]) -> Output {
    let (old, new) = (fixture(rule, "old"), fixture(rule, "new"));
    let mut args = vec!["diff", s(&old), s(&new)];
    args.extend(extra);
    generator(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn text_is_the_default_format() {
    let out = diff("field_removed", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("1 change: 1 breaking, 0 compatible"),
        "{text}"
    );
    assert!(text.contains("Types\n  models::Pet\n    BREAKING    field `name` removed\n"));
}

#[test]
fn fail_on_breaking_sets_the_exit_code() {
    let breaking = diff("field_removed", &["--fail-on-breaking"]);
    assert_eq!(breaking.status.code(), Some(1), "{}", stderr(&breaking));
    assert!(
        stdout(&breaking).contains("BREAKING"),
        "the report is still printed"
    );

    let compatible = diff("field_added", &["--fail-on-breaking"]);
    assert_eq!(compatible.status.code(), Some(0), "{}", stderr(&compatible));

    let unchanged = fixture("field_added", "old");
    let same = generator(&["diff", s(&unchanged), s(&unchanged), "--fail-on-breaking"]);
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).contains("No changes to the Rust API."));
}

#[test]
fn json_parses_and_is_sorted() {
    let out = diff("error_model_changed", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["summary"]["compatible"], 4);
    assert_eq!(json["old"]["title"], "Pets");
    let changes = json["changes"].as_array().unwrap();
    let keys: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["area"].as_str().unwrap().to_owned(),
                c["item"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let areas: Vec<&str> = keys.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        areas,
        ["operations", "operations", "types", "types", "client"]
    );
    let model = changes.last().unwrap();
    assert_eq!(model["rule"], "error_model_changed");
    assert_eq!(model["severity"], "breaking");
    assert_eq!(model["item"], "ResultError");
    assert_eq!(model["old"], "Error");
    assert_eq!(model["new"], "Problem");
    assert!(model["member"].is_null());
}

#[test]
fn markdown_reads_like_a_changelog_entry() {
    let out = diff("required_field_added", &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("## Rust API changes: `"), "{text}");
    assert!(text.contains("1 change: **1 breaking**, 0 compatible."));
    assert!(text.contains(
        "### Breaking changes\n\n**Types**\n\n- `models::NewPet`: new required field `owner: String`: `NewPet::new` takes it\n"
    ));
}

#[test]
fn bad_documents_exit_2_with_file_line_and_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /x:\n    get:\n      responses: 5\n",
    )
    .unwrap();
    let good = fixture("field_added", "old");
    let out = generator(&["diff", s(&good), s(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("bad.yaml:"), "names the file: {err}");
    assert!(
        err.contains("at /paths/~1x/get"),
        "names the pointer: {err}"
    );
    assert!(stdout(&out).is_empty());

    let missing = dir.path().join("missing.yaml");
    let out = generator(&["diff", s(&good), s(&missing)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.yaml"));

    let out = generator(&["diff", s(&good), s(&good), "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2), "clap refuses an unknown format");
}

/// The generation flags keep working: `--spec/--out` write a crate, `--check` finds it fresh,
/// and they cannot be mixed with the subcommand.
#[test]
fn generation_flags_still_work_beside_the_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("crate");
    let spec = fixture("field_added", "new");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--spec",
            s(&spec),
            "--out",
            s(&out_dir),
            "--crate-name",
            "pets",
        ];
        args.extend(extra);
        generator(&args)
    };
    let write = run(&[]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(out_dir.join("src/models/pet.rs").is_file());
    assert!(
        !out_dir.join("CHANGELOG.md").exists(),
        "no history folder beside the fixture, no changelog"
    );
    let check = run(&["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));

    let mixed = generator(&["--check", "diff", s(&spec), s(&spec)]);
    assert_eq!(mixed.status.code(), Some(2), "{}", stderr(&mixed));
}

/// `--history DIR` adds `CHANGELOG.md` comparing the history with the document.
#[test]
fn history_flag_writes_a_changelog() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    std::fs::create_dir(&history).unwrap();
    std::fs::copy(
        fixture("field_added", "old"),
        history.join("2025-01-01_a.yaml"),
    )
    .unwrap();
    let out_dir = dir.path().join("crate");
    let spec = fixture("field_added", "new");
    let out = generator(&[
        "--spec",
        s(&spec),
        "--out",
        s(&out_dir),
        "--history",
        s(&history),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let changelog = std::fs::read_to_string(out_dir.join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains("## Current document (`new.yaml`)"),
        "{changelog}"
    );
    assert!(changelog.contains("new optional field `age: Option<i32>`"));
}

/// An overlay that nests the pets group and renames the operation added upstream; its target
/// is missing from the older document.
const OVERLAY: &str = r#"overlay: 1.0.0
info: {title: names, version: '1'}
actions:
- target: $.paths['/pets/{petId}'].get
  update: {x-speakeasy-group: animals.pets}
- target: $.paths['/pets'].post
  update: {x-speakeasy-group: animals.pets}
- target: $.paths['/pets/{petId}'].delete
  update: {x-speakeasy-group: animals.pets, x-speakeasy-name-override: remove}
"#;

#[test]
fn overlays_name_the_crate_users_get() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::copy(fixture("operation_added", "old"), &old).unwrap();
    std::fs::copy(fixture("operation_added", "new"), &new).unwrap();
    let overlay = dir.path().join("names.yaml");
    std::fs::write(&overlay, OVERLAY).unwrap();

    let named = generator(&["diff", s(&old), s(&new), "--overlay", s(&overlay)]);
    assert_eq!(named.status.code(), Some(0), "{}", stderr(&named));
    assert!(
        stdout(&named).contains("  animals().pets().remove()\n    compatible  new operation"),
        "{}",
        stdout(&named)
    );
    // Missing from the older document: a warning naming the target and the document.
    let warnings = stderr(&named);
    assert_eq!(warnings.lines().count(), 1, "{warnings}");
    assert!(
        warnings.starts_with("warning: ")
            && warnings.contains("target `$.paths['/pets/{petId}'].delete` matches nothing in")
            && warnings.contains("old.yaml"),
        "{warnings}"
    );

    // Beside NEW it is the default, as generation finds it beside the spec.
    std::fs::copy(&overlay, dir.path().join("overlay.yaml")).unwrap();
    let default = generator(&["diff", s(&old), s(&new)]);
    assert_eq!(stdout(&default), stdout(&named));

    let plain = generator(&["diff", s(&old), s(&new), "--no-overlay"]);
    assert!(
        stdout(&plain).contains("  pets().delete_pet()\n"),
        "{}",
        stdout(&plain)
    );
    assert!(stderr(&plain).is_empty(), "{}", stderr(&plain));

    let both = generator(&[
        "diff",
        s(&old),
        s(&new),
        "--no-overlay",
        "--overlay",
        s(&overlay),
    ]);
    assert_eq!(both.status.code(), Some(2), "the two flags conflict");
}
