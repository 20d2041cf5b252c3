#!/usr/bin/env bash
# The independent judge of `generator diff` (issue 13): cargo-semver-checks over the crates
# generated from consecutive documents of spec/history (overlay applied), each breaking change
# it reports checked against ours (tests/semver_judge.rs holds the comparison and the explained
# disagreements).
#
# Usage: scripts/semver-judge.sh [--install] [--newest]
#   --install   only install the pinned cargo-semver-checks into target/tools (idempotent;
#               scripts/test.sh runs this first). The build takes ~20 minutes on 2 busy cores,
#               once; it is built with opt-level 1 and no LTO, which halves that and changes
#               nothing the judge reports.
#   --newest    judge the newest pair only (what CI's test run does); default: every pair.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.51.0
ROOT="$PWD/target/tools"
BIN="$ROOT/bin/cargo-semver-checks"

install() {
    if [[ -x "$BIN" ]] && "$BIN" semver-checks --version 2>/dev/null | grep -q "$VERSION"; then
        return
    fi
    echo "== installing cargo-semver-checks $VERSION into $ROOT (once; ~10-20 minutes)"
    CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    CARGO_TARGET_DIR="$ROOT/build" \
        cargo install --locked --quiet "cargo-semver-checks@$VERSION" --root "$ROOT"
    rm -rf "$ROOT/build"
}

pairs=all
case "${1:-}" in
    --install) install; exit 0 ;;
    --newest) pairs=newest ;;
    "") ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
esac
install
SEMVER_JUDGE_PAIRS="$pairs" CARGO_SEMVER_CHECKS="$BIN" \
    cargo test -p authlete-tests --test semver_judge -- --nocapture
