#!/usr/bin/env bash
# Runs every test: the generator's unit tests, golden and compile tests, the generated crate's
# own tests (models against the document's examples) and its doctests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --all-targets
cargo test --workspace --doc
