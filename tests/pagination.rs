//! Every paging style end to end.
//!
//! The generator turns `tests/fixtures/pagination.yaml` (Speakeasy offset, page, cursor from
//! the last item and next URL; our start/end/total; Dropshot; `Link` headers; an inferred
//! cursor) into the crate `fixture-pagination` in a temporary workspace, and
//! `tests/pagination/wire.rs` runs inside it against wiremock on 127.0.0.1: what each page
//! asks for, each end condition, repeated cursors and links, foreign origins, per-call options
//! on every page and dropping a stream early.

use authlete_tests::{assert_clippy_clean, cargo_test_program, fixture_workspace};

#[test]
fn every_style_on_the_wire() {
    let workspace = fixture_workspace("fixture-pagination", "pagination", &["wire"]);
    assert_clippy_clean(workspace.path());
    let (ok, output) = cargo_test_program(workspace.path(), "wire", &[]);
    assert!(ok, "the pagination wire tests failed:\n{output}");
    // Every test of the program ran (a filter or an early exit would pass with fewer).
    assert!(output.contains("test result: ok. 13 passed"), "{output}");
}
