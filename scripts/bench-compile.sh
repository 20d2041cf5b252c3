#!/usr/bin/env bash
# Compile time of the generated crate (generated/, package `authlete`) ALONE, its dependencies
# already built: `cargo check` and `cargo build`, dev and release, CARGO_INCREMENTAL=0, after
# touching generated/src/lib.rs. Each figure is the median of --runs runs, beside two baselines
# measured in the same run: cargo's own overhead (the same command with nothing to do) and the
# `reqwest` crate compiled alone with the same profile and flags (a fixed-size yardstick for the
# machine's speed and load). Also prints the line count of generated/. See BENCHMARKS.md.
#
# Usage: scripts/bench-compile.sh [--runs N] [--modes LIST] [--groups LIST]
#   --runs N       runs per figure, median reported (default 3)
#   --modes LIST   comma-separated subset of check-dev,build-dev,check-release,build-release
#                  (default: all four)
#   --groups LIST  also time the crate with only these group features, comma-separated, in
#                  kebab-case (e.g. token,introspection). The transport features on by default
#                  (rustls, http2, ...) stay on. Without per-group features in
#                  generated/Cargo.toml this run is skipped with a note.
#
# CARGO_TARGET_DIR defaults to target/bench-compile, apart from target/ so other builds neither
# block these timings on cargo's lock nor have their artifacts replaced. The first run builds
# every dependency once per profile (several minutes on 2 cores), untimed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
modes="check-dev,build-dev,check-release,build-release"
groups=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --modes) modes="$2"; shift 2 ;;
        --groups) groups="$2"; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

export CARGO_INCREMENTAL=0
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/bench-compile}"
manifest=generated/Cargo.toml
lib=generated/src/lib.rs
timings="$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html"

# ---- the crate's features ------------------------------------------------------------------
# Group features are the group modules (generated/src/apis/*.rs) in kebab-case.
api_modules="$(for f in generated/src/apis/*.rs; do basename "$f" .rs; done | grep -vx mod | tr _ - | sort)"
features_section="$(awk '/^\[features\]/ { on = 1; next } /^\[/ { on = 0 } on' "$manifest")"
declared="$(sed -n 's/^\([A-Za-z0-9_-]*\) *=.*/\1/p' <<<"$features_section" | sort)"
group_features="$(comm -12 <(echo "$api_modules") <(echo "$declared"))"
# `default = [...]`, possibly over several lines.
defaults="$(awk '/^default *=/ { on = 1 } on { print; if ($0 ~ /\]/) exit }' <<<"$features_section" \
    | grep -o '"[^"]*"' | tr -d '"' | sort)"
transport="$(comm -23 <(echo "$defaults") <(echo "$group_features") | paste -sd, -)"

configs=("all groups (default features)|")
if [[ -n "$groups" ]]; then
    missing=""
    for g in ${groups//,/ }; do
        grep -qx -- "$g" <<<"$group_features" || missing="$missing $g"
    done
    if [[ -z "$group_features" ]]; then
        echo "note: $manifest has no per-group features yet; the --groups run is skipped" >&2
    elif [[ -n "$missing" ]]; then
        echo "error: not group features of $manifest:$missing" >&2
        echo "group features: $(paste -sd' ' - <<<"$group_features")" >&2
        exit 2
    else
        configs+=("groups $groups|--no-default-features --features ${transport:+$transport,}$groups")
    fi
fi

# ---- helpers -------------------------------------------------------------------------------
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# Runs "$@" and sets REAL (wall, s) and CPU (user + system of it and everything it waited for,
# i.e. cargo and rustc with all their threads: less disturbed than wall time by other work).
timed() {
    local TIMEFORMAT='%R %U %S' user sys
    if ! { time "$@" 2>"$scratch/stderr"; } 2>"$scratch/time"; then
        cat "$scratch/stderr" >&2
        exit 1
    fi
    read -r REAL user sys <"$scratch/time"
    CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}
# The median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# rustc's own time (s) for the library unit of package $1 in the last --timings report.
unit_time() {
    awk -v want="$1" '
        /"name":/ { name = $0; sub(/.*"name": *"/, "", name); sub(/".*/, "", name) }
        /"target":/ { target = $0; sub(/.*"target": *"/, "", target); sub(/",? *$/, "", target) }
        /"duration":/ {
            d = $0; sub(/.*"duration": */, "", d); sub(/,.*/, "", d)
            # The library: "" when built, " (check)" when checked.
            if (name == want && (target == "" || target ~ /^ *\(check\)$/)) print d
        }
    ' "$timings" | tail -1
}
mode_args() {
    case "$1" in
        check-dev) echo "check" ;;
        build-dev) echo "build" ;;
        check-release) echo "check --release" ;;
        build-release) echo "build --release" ;;
        *) echo "unknown mode $1" >&2; exit 2 ;;
    esac
}

# ---- line count ----------------------------------------------------------------------------
count() { find "$@" -name '*.rs' -print0 | xargs -0 cat | wc -l; }
echo "== generated/ .rs lines: $(count generated) total;" \
    "src/ $(count generated/src) (apis $(count generated/src/apis), models $(count generated/src/models)," \
    "runtime $(count generated/src/runtime)), tests $(count generated/tests), examples $(count generated/examples)"
echo "== group features in $manifest: $(wc -w <<<"$group_features")"
echo "== machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=$CARGO_TARGET_DIR runs=$runs"

results=()
for config in "${configs[@]}"; do
    label="${config%%|*}"
    # shellcheck disable=SC2206
    fflags=(${config#*|})
    for mode in ${modes//,/ }; do
        # shellcheck disable=SC2207
        cmd=($(mode_args "$mode"))
        echo "-- $label, $mode: cargo ${cmd[*]} -p authlete ${fflags[*]}"
        # Dependencies (untimed).
        cargo "${cmd[@]}" -p authlete "${fflags[@]}" --quiet
        walls=(); cpus=(); crates=(); noops=(); refs=()
        for ((i = 1; i <= runs; i++)); do
            # Baseline 1: the same command with nothing to do (cargo's fingerprinting).
            timed cargo "${cmd[@]}" -p authlete "${fflags[@]}" --quiet
            noops+=("$REAL")
            # The crate alone.
            touch "$lib"
            timed cargo "${cmd[@]}" -p authlete "${fflags[@]}" --quiet --timings
            walls+=("$REAL")
            cpus+=("$CPU")
            crates+=("$(unit_time authlete)")
            # Baseline 2: reqwest alone. -j1 so that nothing compiles beside it (authlete, rebuilt
            # after it, is not counted).
            cargo clean --quiet -p reqwest ${cmd[1]:+--release}
            cargo "${cmd[@]}" -p authlete "${fflags[@]}" --quiet -j1 --timings
            refs+=("$(unit_time reqwest)")
            echo "   run $i: crate wall ${walls[-1]} s (cpu ${cpus[-1]} s, rustc ${crates[-1]} s), no-op ${noops[-1]} s, reqwest rustc ${refs[-1]} s"
        done
        wall=$(printf '%s\n' "${walls[@]}" | median)
        cpu=$(printf '%s\n' "${cpus[@]}" | median)
        crate=$(printf '%s\n' "${crates[@]}" | median)
        noop=$(printf '%s\n' "${noops[@]}" | median)
        ref=$(printf '%s\n' "${refs[@]}" | median)
        results+=("$label|$mode|$wall|$cpu|$crate|$noop|$ref")
    done
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "summary (medians of $runs; seconds; ratios to baselines of this run)"
printf '  %-44s %-14s %10s %9s %9s %8s %9s %14s\n' config mode "crate wall" "cpu" "rustc" "no-op" "reqwest" "rustc/reqwest"
for r in "${results[@]}"; do
    IFS='|' read -r label mode wall cpu crate noop ref <<<"$r"
    ratio=$(awk -v a="$crate" -v b="$ref" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '  %-44s %-14s %10s %9s %9s %8s %9s %14s\n' "$label" "$mode" "$wall" "$cpu" "$crate" "$noop" "$ref" "$ratio"
done
echo "  crate wall: the cargo command after touching $lib; cpu: its user + system time; rustc: the"
echo "  crate's own unit in cargo's --timings; no-op: the same command with nothing to do; reqwest:"
echo "  reqwest's unit rebuilt alone (-j1) with the same profile and flags."
echo "  (issue 7, crate-only build-dev: progenitor 8.5 s, openapi-to-rust 9.3 s, target ~4 s; not re-measured here)"
