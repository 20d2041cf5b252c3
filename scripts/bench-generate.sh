#!/usr/bin/env bash
# Wall time of the whole release generator binary on the Authlete document (hyperfine): `--check`
# and writing the crate, each without the CHANGELOG.md history (spec/history) and with it (the
# default; the rendered changelog cold, i.e. not cached yet, and warm), beside
# `generator --version` (process start-up: the floor any run pays) and a yardstick of the
# machine's speed at that moment (`gzip -9` of the same document: fixed, single-threaded CPU
# work; on this shared VM absolute times drift by 2x between runs), all in the same run.
# Writing is timed twice: when the output is already up to date (nothing is written; the usual
# `cargo run -p generator`) and when it is not (a file of the output removed before each run,
# so the whole crate is written and swapped in).
# See BENCHMARKS.md. Target (issue 7): under 150 ms for the whole binary.
#
# Usage: scripts/bench-generate.sh [--runs N] [--warmup N] [--spec PATH]
#   --runs N     timed runs per command (default 20)
#   --warmup N   untimed runs first (default 3)
#   --spec PATH  another document (its overlay.yaml and history/ are picked up as usual)
# Needs hyperfine: apt-get update && apt-get install -y hyperfine
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20
warmup=3
spec=spec/openapi.yaml
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --spec) spec="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

if ! command -v hyperfine >/dev/null; then
    echo "hyperfine is missing: apt-get update && apt-get install -y hyperfine" >&2
    exit 2
fi

cargo build --release --quiet -p generator
bin="${CARGO_TARGET_DIR:-target}/release/generator"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# An empty history folder: no CHANGELOG.md, nothing else changes.
mkdir "$tmp/no-history"
# The generator caches the rendered CHANGELOG.md (GENERATOR_CACHE_DIR, else a folder in the
# system's temporary directory): use a cache of this run's own, emptied before each "cold" run
# (a fresh machine, e.g. CI) and left filled for the "warm" ones (any later run).
export GENERATOR_CACHE_DIR="$tmp/cache"
# Fresh outputs for the --check runs (a stale one would exit 1 and stop hyperfine).
"$bin" --spec "$spec" --out "$tmp/checked-history" >/dev/null
"$bin" --spec "$spec" --out "$tmp/checked-plain" --history "$tmp/no-history" >/dev/null

echo "== machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# -N: no intermediate shell (the commands need none), so nothing is subtracted. One --prepare
# per command, in order.
keep=true
cold="rm -rf $GENERATOR_CACHE_DIR"
# A stale output: one file gone, so the run writes the whole crate.
stale_plain="rm -f $tmp/out-plain/src/lib.rs"
stale_history="rm -f $tmp/out-history/src/lib.rs"
hyperfine -N --warmup "$warmup" --runs "$runs" --export-csv "$tmp/results.csv" \
    --prepare "$keep" --command-name "baseline: --version" "$bin --version" \
    --prepare "$keep" --command-name "yardstick: gzip -9 of the document" "gzip -9 -c $spec" \
    --prepare "$keep" --command-name "check / no history" "$bin --spec $spec --out $tmp/checked-plain --history $tmp/no-history --check" \
    --prepare "$keep" --command-name "write unchanged / no history" "$bin --spec $spec --out $tmp/out-plain --history $tmp/no-history" \
    --prepare "$stale_plain" --command-name "write changed / no history" "$bin --spec $spec --out $tmp/out-plain --history $tmp/no-history" \
    --prepare "$cold" --command-name "check / history / cold cache" "$bin --spec $spec --out $tmp/checked-history --check" \
    --prepare "rm -rf $GENERATOR_CACHE_DIR $tmp/out-history/src/lib.rs" --command-name "write changed / history / cold" "$bin --spec $spec --out $tmp/out-history" \
    --prepare "$keep" --command-name "check / history / warm cache" "$bin --spec $spec --out $tmp/checked-history --check" \
    --prepare "$keep" --command-name "write unchanged / history / warm" "$bin --spec $spec --out $tmp/out-history" \
    --prepare "$stale_history" --command-name "write changed / history / warm" "$bin --spec $spec --out $tmp/out-history"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Summary: mean ± σ of the wall time, the CPU time (user + system, all threads: less disturbed
# than wall time when other work shares the machine), the ratio to the baseline of this run and
# to the 150 ms target. (Command names have no commas, so the CSV splits on every comma.)
echo
echo "summary (ratios to 'baseline: --version' and to the gzip yardstick of this run; target 150 ms wall for the whole binary)"
printf '  %-38s %20s %10s %10s %10s %8s\n' command "wall (mean ± σ)" "cpu" "/baseline" "/yardstick" "/target"
awk -F, '
    NR == 1 { next }
    {
        n++
        name[n] = $1; gsub(/"/, "", name[n])
        mean[n] = $2 * 1000; sd[n] = $3 * 1000; cpu[n] = ($5 + $6) * 1000
    }
    END {
        # Row 1 is the baseline, row 2 the yardstick.
        for (i = 1; i <= n; i++)
            printf "  %-38s %9.1f ± %5.1f ms %7.1f ms %9.1fx %9.2fx %7.2fx\n", name[i], mean[i], sd[i],
                cpu[i], mean[i] / mean[1], mean[i] / mean[2], mean[i] / 150
    }
' "$tmp/results.csv"
