//! Streamed responses end to end: the generator turns `tests/fixtures/streams.yaml`
//! (server-sent events with a `[DONE]` sentinel, text events with an extension's sentinel,
//! event-shaped schemas, JSON Lines, JSON text sequences and a download) into the crate
//! `fixture-streams`, and `tests/streams/wire.rs` runs inside it against a hand-written HTTP
//! server on 127.0.0.1: chunk boundaries, comments, ids and retries, a connection cut, an
//! undecodable event, an event past the size limit, attempt and idle timeouts, errors, and a
//! 100 MB download read with bounded memory.

use authlete_tests::{cargo_in, clippy_all_targets, generated_workspace, repo_root};

const NAME: &str = "fixture-streams";

#[test]
fn streamed_responses_on_the_wire() {
    let spec = repo_root().join("tests/fixtures/streams.yaml");
    let workspace = generated_workspace(&[(NAME.to_owned(), spec)], &[]).unwrap();
    let tests = workspace.path().join(NAME).join("tests");
    std::fs::create_dir_all(&tests).unwrap();
    std::fs::copy(
        repo_root().join("tests/streams/wire.rs"),
        tests.join("wire.rs"),
    )
    .unwrap();

    // The program is held to the same standard as the crate.
    if let Err(report) = clippy_all_targets(workspace.path()) {
        panic!("{report}");
    }
    let test = cargo_in(
        workspace.path(),
        &[
            "test",
            "--offline",
            "--quiet",
            "--test",
            "wire",
            "--",
            "--nocapture",
        ],
    )
    .unwrap();
    let output = format!(
        "{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(
        test.status.success(),
        "the stream wire tests failed:\n{output}"
    );
    // Every test of the program ran (a filter or an early exit would pass with fewer).
    assert!(output.contains("test result: ok. 14 passed"), "{output}");
}
