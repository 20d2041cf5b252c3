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

use authlete_tests::prism::Prism;
use authlete_tests::{
    assert_clippy_clean, cargo_test_program as cargo_test, fixture_workspace, repo_root,
};

const NAME: &str = "fixture-auth";

#[test]
fn every_scheme_on_the_wire_and_against_prism() {
    let workspace = fixture_workspace(NAME, "auth", &["wire", "prism"]);
    assert_clippy_clean(workspace.path());
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
