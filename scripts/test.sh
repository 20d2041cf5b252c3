#!/usr/bin/env bash
# Runs every test: the generator's unit tests, golden and compile tests, the generated crate's
# own tests (models against the document's examples) and its doctests, and the semver judge of
# `generator diff` on the newest history pair (tests/semver_judge.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
# The judge's pinned cargo-semver-checks, into target/tools (once; a few minutes on 2 cores).
scripts/semver-judge.sh --install
cargo test --workspace --all-targets
cargo test --workspace --doc
