//! Authentication end to end, for every kind of security scheme.
//!
//! The generator turns `tests/fixtures/auth.yaml` (bearer, basic, API keys in header, query
//! and cookie, OAuth 2.0 client credentials, HTTP digest; alternatives, a combination,
//! `security: []` and optional auth) into the crate `fixture-auth` in a temporary workspace,
//! and two test programs run inside it:
//! - `tests/auth/wire.rs` against wiremock on 127.0.0.1: what crosses the wire per kind, the
//!   token endpoint (caching, expiry, 200 concurrent calls → one token request, 401 → one
//!   refresh, typed errors), per-call credentials, `from_env`, and redaction;
//! - `tests/auth/prism.rs` against `prism mock` of the same document, which answers 401 to a
//!   request missing the credentials its operation requires.

use std::path::Path;
use std::process::Command;

use authlete_tests::prism::Prism;
use authlete_tests::{clippy_all_targets, repo_root};

const NAME: &str = "fixture-auth";

/// The fixture's crate in a fresh workspace, with the two programs as its tests.
fn workspace() -> tempfile::TempDir {
    let spec = repo_root().join("tests/fixtures/auth.yaml");
    let workspace = tempfile::Builder::new().prefix("auth-").tempdir().unwrap();
    let files = generator::generate(
        &generator::Input::spec(&spec),
        &generator::Config::new(NAME),
    )
    .expect("the auth fixture generates");
    let crate_dir = workspace.path().join(NAME);
    files.write_to(&crate_dir).unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    for program in ["wire", "prism"] {
        let text =
            std::fs::read_to_string(repo_root().join(format!("tests/auth/{program}.rs"))).unwrap();
        std::fs::write(crate_dir.join(format!("tests/{program}.rs")), text).unwrap();
    }
    // wiremock is the tests' server; it is in the repository's lock file.
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen(
        "[dev-dependencies]\n",
        "[dev-dependencies]\nwiremock = \"0.6.5\"\n",
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{NAME:?}]\n"),
    )
    .unwrap();
    std::fs::copy(
        repo_root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .unwrap();
    workspace
}

fn cargo_test(dir: &Path, program: &str, envs: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args([
            "test",
            "--offline",
            "--quiet",
            "--test",
            program,
            "--",
            "--nocapture",
        ])
        .current_dir(dir)
        // Shared with tests/corpus.rs and tests/compile.rs, which build the same dependencies.
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/generated-crates"),
        )
        .envs(envs.iter().copied())
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn every_scheme_on_the_wire_and_against_prism() {
    let workspace = workspace();
    // The programs are held to the same standard as the crate.
    if let Err(report) = clippy_all_targets(workspace.path()) {
        panic!("{report}");
    }
    let (ok, output) = cargo_test(workspace.path(), "wire", &[]);
    assert!(ok, "the auth wire tests failed:\n{output}");
    // Every test of the program ran (a filter or an early exit would pass with fewer).
    assert!(output.contains("test result: ok. 13 passed"), "{output}");

    let spec = repo_root().join("tests/fixtures/auth.yaml");
    let prism = Prism::start(&["mock", spec.to_str().expect("UTF-8 path")]);
    let (ok, output) = cargo_test(workspace.path(), "prism", &[("PRISM_URL", &prism.base_url)]);
    assert!(
        ok,
        "the auth fixture's client failed against Prism:\n{output}\nPrism's log:\n{}",
        prism.output()
    );
    assert_eq!(output.matches("prism-auth ok:").count(), 12, "{output}");
}
