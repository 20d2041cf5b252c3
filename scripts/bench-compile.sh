#!/usr/bin/env bash
# Compile time of the generated crate (generated/, package `authlete`) ALONE, its dependencies
# already built: `cargo check` and `cargo build`, dev and release, CARGO_INCREMENTAL=0, after
# touching generated/src/lib.rs. Each figure is the median of --runs runs, beside two baselines
# measured in the same run: cargo's own overhead (the same command with nothing to do) and the
# `reqwest` crate compiled alone with the same profile and flags (a fixed-size yardstick for the
# machine's speed and load). Also prints the line count of generated/. See BENCHMARKS.md.
#
# With --tree, several revisions' checked-in generated/ crates are compared in ONE run, their
# timings interleaved (run 1 of every tree, then run 2 of every tree, ...), so that the drift of
# this shared machine falls on all of them alike; the summary gives each tree's ratio to the
# first tree's.
#
# Usage: scripts/bench-compile.sh [--runs N] [--modes LIST] [--groups LIST] [--tree NAME=REV]...
#   --runs N       runs per figure, median reported (default 3)
#   --modes LIST   comma-separated subset of check-dev,build-dev,check-release,build-release
#                  (default: all four)
#   --groups LIST  also time the crate with only these group features, comma-separated, in
#                  kebab-case (e.g. token,introspection). The transport features on by default
#                  (rustls, http2, ...) stay on. Without per-group features in
#                  generated/Cargo.toml this run is skipped with a note.
#   --tree NAME=REV a git revision whose generated/ to time (repeatable; the first is the
#                  baseline of the ratios). Each is extracted with `git archive` into
#                  $CARGO_TARGET_DIR/trees/NAME, with that revision's Cargo.lock, as a workspace
#                  of its own; all share the target directory, so dependencies are built once.
#                  REV `.` is this working tree's generated/ as it is; a directory holding a
#                  Cargo.toml is copied as it is (an edited crate, for an experiment).
#                  Default: `this=.`.
#
# CARGO_TARGET_DIR defaults to target/bench-compile, apart from target/ so other builds neither
# block these timings on cargo's lock nor have their artifacts replaced. The first run builds
# every dependency once per profile (several minutes on 2 cores), untimed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
modes="check-dev,build-dev,check-release,build-release"
groups=""
trees=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --modes) modes="$2"; shift 2 ;;
        --groups) groups="$2"; shift 2 ;;
        --tree) trees+=("$2"); shift 2 ;;
        -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

export CARGO_INCREMENTAL=0
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/bench-compile}"
timings="$CARGO_TARGET_DIR/cargo-timings/cargo-timing.html"

# ---- the trees -----------------------------------------------------------------------------
[[ ${#trees[@]} -eq 0 ]] && trees=("this=.")
names=(); dirs=(); packages=()
for tree in "${trees[@]}"; do
    name="${tree%%=*}"
    rev="${tree#*=}"
    if [[ "$rev" == "." ]]; then
        dir="$PWD/generated"
    else
        dir="$CARGO_TARGET_DIR/trees/$name"
        rm -rf "$dir"
        mkdir -p "$dir"
        if [[ -f "$rev/Cargo.toml" ]]; then
            # A crate directory (e.g. an edited copy, for an experiment), with this tree's lock.
            cp -r "$rev/." "$dir"
            cp Cargo.lock "$dir/Cargo.lock"
        else
            git archive "$rev" generated | tar -x --strip-components=1 -C "$dir"
            git show "$rev:Cargo.lock" >"$dir/Cargo.lock"
        fi
        # A workspace root of its own: otherwise cargo finds this repository's manifest above
        # target/ and refuses a package that is not one of its members. And a package name of
        # its own (the library keeps its name): packages of one name and version at the root
        # of their workspaces get the same unit hash, so in one target directory the trees
        # would share one artifact and fingerprint, and a touched tree could be taken as fresh.
        sed -i '0,/^name = "authlete"$/s//name = "authlete-'"$name"'"/' "$dir/Cargo.toml"
        printf '\n[lib]\nname = "authlete"\n\n[workspace]\n' >>"$dir/Cargo.toml"
        if [[ -f "$rev/Cargo.toml" ]]; then
            echo "== tree $name: directory $rev"
        else
            echo "== tree $name: $(git rev-parse --short "$rev") ($(git log -1 --format=%s "$rev" | cut -c1-70))"
        fi
    fi
    names+=("$name"); dirs+=("$dir"); packages+=("$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dir/Cargo.toml" | head -1)")
done
# Features are read from the first tree.
manifest="${dirs[0]}/Cargo.toml"

# ---- the crate's features ------------------------------------------------------------------
# Group features are the group modules (generated/src/apis/*.rs) in kebab-case.
api_modules="$(for f in "${dirs[0]}"/src/apis/*.rs; do basename "$f" .rs; done | grep -vx mod | tr _ - | sort)"
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
for t in "${!names[@]}"; do
    d="${dirs[$t]}"
    echo "== ${names[$t]}: generated/ .rs lines: $(count "$d") total;" \
        "src/ $(count "$d/src") (apis $(count "$d/src/apis"), models $(count "$d/src/models")," \
        "runtime $(count "$d/src/runtime")), tests $(count "$d/tests"), examples $(count "$d/examples")"
done
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
        for t in "${!names[@]}"; do
            cargo "${cmd[@]}" --manifest-path "${dirs[$t]}/Cargo.toml" -p "${packages[$t]}" "${fflags[@]}" --quiet
        done
        declare -A walls=() cpus=() crates=() noops=()
        refs=()
        for ((i = 1; i <= runs; i++)); do
            # The trees take turns going first (a b c, b c a, ...): no tree always runs right
            # after the yardstick or always last.
            order=()
            for ((k = 0; k < ${#names[@]}; k++)); do order+=($(((i - 1 + k) % ${#names[@]}))); done
            for t in "${order[@]}"; do
                m=(--manifest-path "${dirs[$t]}/Cargo.toml" -p "${packages[$t]}")
                # Baseline 1: the same command with nothing to do (cargo's fingerprinting).
                timed cargo "${cmd[@]}" "${m[@]}" "${fflags[@]}" --quiet
                noops[$t]+="$REAL "
                noop="$REAL"
                # The crate alone.
                touch "${dirs[$t]}/src/lib.rs"
                timed cargo "${cmd[@]}" "${m[@]}" "${fflags[@]}" --quiet --timings
                walls[$t]+="$REAL "
                cpus[$t]+="$CPU "
                crate="$(unit_time "${packages[$t]}")"
                crates[$t]+="$crate "
                echo "   run $i, ${names[$t]}: crate wall $REAL s (cpu $CPU s, rustc $crate s), no-op $noop s"
            done
            # Baseline 2: reqwest alone, once per round. -j1 so that nothing compiles beside
            # it (authlete, rebuilt after it, is not counted).
            cargo clean --quiet -p reqwest ${cmd[1]:+--release} --manifest-path "${dirs[0]}/Cargo.toml"
            cargo "${cmd[@]}" --manifest-path "${dirs[0]}/Cargo.toml" -p "${packages[0]}" "${fflags[@]}" --quiet -j1 --timings
            refs+=("$(unit_time reqwest)")
            # reqwest's new artifact makes every tree stale: rebuild them now (untimed), so the
            # next round's no-op has nothing to do and its timed run only the touched crate.
            for t in "${!names[@]}"; do
                cargo "${cmd[@]}" --manifest-path "${dirs[$t]}/Cargo.toml" -p "${packages[$t]}" "${fflags[@]}" --quiet
            done
            echo "   run $i: reqwest rustc ${refs[-1]} s; load $(cut -d' ' -f1 /proc/loadavg)"
        done
        ref=$(printf '%s\n' "${refs[@]}" | median)
        for t in "${!names[@]}"; do
            wall=$(tr ' ' '\n' <<<"${walls[$t]}" | grep . | median)
            cpu=$(tr ' ' '\n' <<<"${cpus[$t]}" | grep . | median)
            crate=$(tr ' ' '\n' <<<"${crates[$t]}" | grep . | median)
            noop=$(tr ' ' '\n' <<<"${noops[$t]}" | grep . | median)
            # Paired: the median over rounds of this tree's rustc time over the first tree's in
            # the same round (the round's load falls on both).
            paired=$(awk -v a="${crates[$t]}" -v b="${crates[0]}" 'BEGIN {
                n = split(a, x, " "); split(b, y, " ")
                for (i = 1; i <= n; i++) print x[i] / y[i]
            }' | median)
            results+=("${names[$t]}|$label|$mode|$wall|$cpu|$crate|$noop|$ref|$paired")
        done
        unset walls cpus crates noops
    done
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "summary (medians of $runs; seconds; ratios to baselines of this run)"
printf '  %-8s %-44s %-10s %10s %9s %9s %8s %9s %14s %11s %11s %7s\n' tree config mode "crate wall" "cpu" "rustc" "no-op" "reqwest" "rustc/reqwest" "wall/first" "rustc/first" "paired"
declare -A first_wall=() first_crate=()
for r in "${results[@]}"; do
    IFS='|' read -r name label mode wall cpu crate noop ref paired <<<"$r"
    key="$label|$mode"
    [[ -z "${first_wall[$key]:-}" ]] && { first_wall[$key]="$wall"; first_crate[$key]="$crate"; }
    div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.3f", a / b; else print "-" }'; }
    printf '  %-8s %-44s %-10s %10s %9s %9s %8s %9s %14s %11s %11s %7.3f\n' "$name" "$label" "$mode" "$wall" "$cpu" "$crate" "$noop" "$ref" \
        "$(div "$crate" "$ref")" "$(div "$wall" "${first_wall[$key]}")" "$(div "$crate" "${first_crate[$key]}")" "$paired"
done
echo "  crate wall: the cargo command after touching src/lib.rs; cpu: its user + system time; rustc: the"
echo "  crate's own unit in cargo's --timings; no-op: the same command with nothing to do; reqwest:"
echo "  reqwest's unit rebuilt alone (-j1) with the same profile and flags, once per round of the trees;"
echo "  wall/first, rustc/first: this tree's median over the first tree's (--tree); paired: the median"
echo "  over rounds of this tree's rustc time over the first tree's in the same round."
echo "  (issue 7, crate-only build-dev: progenitor 8.5 s, openapi-to-rust 9.3 s, target ~4 s; not re-measured here)"
