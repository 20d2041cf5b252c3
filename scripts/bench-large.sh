#!/usr/bin/env bash
# Large documents (issue 15): for each document, and for each generator binary given, the
# generated crate's size (.rs lines, model files), the generation time and peak memory of the
# release binary, and `cargo check` of the crate alone (dependencies already built,
# CARGO_INCREMENTAL=0, after touching src/lib.rs): wall time and peak memory (GNU time's maximum
# resident set size, i.e. the largest process in the tree: rustc). The check is run with all
# groups (default features) and, with --group-check, with only the crate's largest group.
#
# Baseline of the same run: reqwest's own `cargo check` (its unit rebuilt alone, -j1), measured
# before the first and after the last document; ratios are against their mean. Comparing two
# generators (e.g. the branch's base and the branch) in ONE run is the way to compare them:
# this shared VM drifts by up to 2x within an hour. See BENCHMARKS.md.
#
# Usage: scripts/bench-large.sh [--gen NAME=BIN]... [--spec NAME=PATH]... [--runs N]
#                               [--group-check] [--build]
#   --gen NAME=BIN   a generator binary to compare (repeatable; default: this tree's release
#                    binary, built first, as "this")
#   --spec NAME=PATH a document (repeatable; default: box, svix, discourse, marimo from
#                    ../shared/specs/corpus and Authlete's spec/openapi.yaml)
#   --runs N         timed checks per crate, median reported (default 1)
#   --group-check    also check each crate with its largest group only
#   --build          also time `cargo build` (debug) of the whole crate (median of --runs)
#
# Work folder: target/bench-large (a workspace of the generated crates and its own target
# directory, kept between runs so dependencies are built once).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

gens=()
specs=()
runs=1
group_check=false
build=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --gen) gens+=("$2"); shift 2 ;;
        --spec) specs+=("$2"); shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --group-check) group_check=true; shift ;;
        --build) build=true; shift ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [[ ${#gens[@]} -eq 0 ]]; then
    cargo build --release --quiet -p generator
    gens=("this=$root/target/release/generator")
fi
if [[ ${#specs[@]} -eq 0 ]]; then
    corpus="$root/../shared/specs/corpus"
    specs=("box=$corpus/box/openapi.json" "svix=$corpus/svix/lib-openapi.json"
        "discourse=$corpus/discourse/openapi.yml" "marimo=$corpus/marimo/api.yaml"
        "authlete=$root/spec/openapi.yaml")
fi

work="$root/target/bench-large"
ws="$work/ws"
export CARGO_TARGET_DIR="$work/target"
export CARGO_INCREMENTAL=0
mkdir -p "$ws"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Runs "$@" under GNU time; sets WALL (s) and PEAK (MB, the largest process of the tree).
measured() {
    if ! /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" >"$scratch/out" 2>&1; then
        tail -30 "$scratch/out" >&2
        exit 1
    fi
    read -r WALL peak_kb <"$scratch/time"
    PEAK=$((peak_kb / 1024))
}

# ---- generate every crate --------------------------------------------------------------------
members=()
rows=()
for gen in "${gens[@]}"; do
    gname="${gen%%=*}"
    bin="${gen#*=}"
    for spec in "${specs[@]}"; do
        sname="${spec%%=*}"
        path="${spec#*=}"
        crate="$sname-$gname"
        rm -rf "${ws:?}/$crate"
        # Generation is timed into a fresh folder (the full write), median of 3.
        gwalls=(); gpeaks=()
        for _ in 1 2 3; do
            rm -rf "$scratch/gen"
            measured "$bin" --spec "$path" --out "$scratch/gen" --crate-name "$crate"
            gwalls+=("$WALL"); gpeaks+=("$PEAK")
        done
        mv "$scratch/gen" "$ws/$crate"
        members+=("\"$crate\"")
        lines=$(find "$ws/$crate/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
        model_files=$(find "$ws/$crate/src/models" -name '*.rs' | wc -l)
        groups=$(find "$ws/$crate/src/apis" -name '*.rs' ! -name mod.rs | wc -l)
        rows+=("$crate|$lines|$model_files|$groups|$(printf '%s\n' "${gwalls[@]}" | median)|$(printf '%s\n' "${gpeaks[@]}" | median)")
    done
done
printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "$(IFS=,; echo "${members[*]}")" >"$ws/Cargo.toml"
cp "$root/Cargo.lock" "$ws/Cargo.lock"
cd "$ws"

# The largest group module of a crate, as its feature name, and the non-group default features.
largest_group() {
    local crate="$1" biggest
    biggest=$(find "$crate/src/apis" -name '*.rs' ! -name mod.rs -printf '%s %f\n' | sort -n | tail -1 | cut -d' ' -f2)
    echo "${biggest%.rs}" | tr _ -
}
transport_features() { echo "rustls,http2,system-proxy"; }

# ---- baseline: reqwest's own check -----------------------------------------------------------
first="${members[0]//\"/}"
echo "== machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building dependencies (untimed)"
cargo check --offline --quiet -p "$first"
$build && cargo build --offline --quiet -p "$first"
# reqwest's check alone, median of 3 (one check is under a second: single timings are noisy).
yardstick() {
    local walls=()
    for _ in 1 2 3; do
        cargo clean --quiet -p reqwest
        measured cargo check --offline --quiet -j1 -p reqwest
        walls+=("$WALL")
    done
    printf '%s\n' "${walls[@]}" | median
}
ref1=$(yardstick)
echo "== reqwest check (before): $ref1 s"

results=()
for row in "${rows[@]}"; do
    crate="${row%%|*}"
    # Dependencies of this crate (untimed; the same build for every crate).
    cargo check --offline --quiet -p "$crate"
    walls=(); peaks=()
    for ((i = 1; i <= runs; i++)); do
        touch "$crate/src/lib.rs"
        measured cargo check --offline --quiet -p "$crate"
        walls+=("$WALL"); peaks+=("$PEAK")
    done
    check=$(printf '%s\n' "${walls[@]}" | median)
    peak=$(printf '%s\n' "${peaks[@]}" | median)
    gcheck="-"; gpeak="-"; group="-"
    if $group_check; then
        group=$(largest_group "$crate")
        touch "$crate/src/lib.rs"
        measured cargo check --offline --quiet -p "$crate" --no-default-features \
            --features "$(transport_features),$group"
        gcheck="$WALL"; gpeak="$PEAK"
    fi
    bwall="-"
    if $build; then
        cargo build --offline --quiet -p "$crate"
        bwalls=()
        for ((i = 1; i <= runs; i++)); do
            touch "$crate/src/lib.rs"
            measured cargo build --offline --quiet -p "$crate"
            bwalls+=("$WALL")
        done
        bwall=$(printf '%s\n' "${bwalls[@]}" | median)
    fi
    echo "   $crate: check ${check} s, ${peak} MB; group $group: ${gcheck} s, ${gpeak} MB; build ${bwall} s"
    results+=("$row|$check|$peak|$group|$gcheck|$gpeak|$bwall")
done

ref2=$(yardstick)
echo "== reqwest check (after): $ref2 s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
ref=$(awk -v a="$ref1" -v b="$ref2" 'BEGIN { printf "%.2f", (a + b) / 2 }')

echo
echo "summary: seconds and MB; /rq = divided by reqwest's check in this run ($ref s, mean of $ref1 and $ref2)"
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' crate "src lines" "model files" groups \
    "gen s" "gen MB" "check s" "check /rq" "check MB" "largest group: check s (/rq), MB" "build s" "build /rq"
echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|'
for r in "${results[@]}"; do
    IFS='|' read -r crate lines files groups gwall gpeak check peak group gcheck gcpeak bwall <<<"$r"
    ratio() { awk -v a="$1" -v b="$ref" 'BEGIN { if (a == "-") print "-"; else printf "%.2f", a / b }'; }
    gcell="-"
    [[ "$gcheck" != "-" ]] && gcell="$group: $gcheck ($(ratio "$gcheck")), $gcpeak"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$crate" "$lines" "$files" "$groups" \
        "$gwall" "$gpeak" "$check" "$(ratio "$check")" "$peak" "$gcell" "$bwall" "$(ratio "$bwall")"
done
