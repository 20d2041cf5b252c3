//! Streamed responses end to end: the generator turns `tests/fixtures/streams.yaml`
//! (server-sent events with a `[DONE]` sentinel, text events with an extension's sentinel,
//! event-shaped schemas, JSON Lines, JSON text sequences and a download) into the crate
//! `fixture-streams`, and `tests/streams/wire.rs` runs inside it against a hand-written HTTP
//! server on 127.0.0.1: chunk boundaries, comments, ids and retries, a connection cut, an
//! undecodable event, an event past the size limit, attempt and idle timeouts, errors, and a
//! 100 MB download read with bounded memory.

use authlete_tests::{assert_clippy_clean, cargo_test_program, fixture_workspace};

const NAME: &str = "fixture-streams";

#[test]
fn streamed_responses_on_the_wire() {
    let workspace = fixture_workspace(NAME, "streams", &["wire"]);
    assert_clippy_clean(workspace.path());
    let (ok, output) = cargo_test_program(workspace.path(), "wire", &[]);
    assert!(ok, "the stream wire tests failed:\n{output}");
    // Every test of the program ran (a filter or an early exit would pass with fewer).
    assert!(output.contains("test result: ok. 14 passed"), "{output}");
}
