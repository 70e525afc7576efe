#!/usr/bin/env bash
# The analyzer's benchmarks on the corpus of real Rust, printed as Markdown for BENCHMARKS.md:
#   1. the throughput bench: parse-only vs the whole analysis, lines/s, peak memory;
#   2. the end-to-end CLI, `cargo-racecheck racecheck check CORPUS` (hyperfine when installed);
#   3. `cargo clippy` beside `cargo racecheck check` on one mid-size crate of the corpus.
#
# Usage: scripts/bench-corpus.sh [OUT]     (OUT defaults to target/bench-corpus)
# Environment:
#   CORPUS_MAKER   the corpus script (default: scripts/bench-corpus/make.sh)
#   CLIPPY_CRATE   the corpus folder of the crate for step 3 (default: crossbeam-channel-0.5.17)
#   BENCH_REPS     measured runs of each command (default: 5)
#   CARGO_TARGET_DIR is honoured for the racecheck build.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-target/bench-corpus}
maker=${CORPUS_MAKER:-$root/scripts/bench-corpus/make.sh}
crate=${CLIPPY_CRATE:-crossbeam-channel-0.5.17}
runs=${BENCH_REPS:-5}
target_dir=${CARGO_TARGET_DIR:-$root/target}

if [ ! -d "$out/corpus" ]; then
    [ -x "$maker" ] || { echo "error: no corpus in $out/corpus and no corpus script at $maker" >&2; exit 2; }
    "$maker" "$out" >/dev/null
fi
corpus=$(cd "$out/corpus" && pwd)

echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: $(nproc) cores (nproc), CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/^Mem:/ {print $2}') GiB."
echo

echo "## Throughput bench" >&2
cargo build -q --release -p racecheck-analyzer --bin cargo-racecheck
cli="$target_dir/release/cargo-racecheck"
cargo bench -q -p racecheck-analyzer --bench throughput -- "$corpus"
echo

# Peak resident memory (MiB) of one run of a command, from the kernel's accounting of children.
peak_rss_mib() {
    python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"
}

# Times shell commands (exit status ignored: finding something exits 1) and prints a Markdown table.
time_commands() {
    local table
    table=$(mktemp)
    if command -v hyperfine >/dev/null; then
        hyperfine --style none --warmup 1 --runs "$runs" --ignore-failure --export-markdown "$table" "$@" >&2
        cat "$table"
    else
        echo "| command | wall time, median of $runs |"
        echo "| --- | --- |"
        local command
        for command in "$@"; do
            local times=()
            for _ in $(seq "$runs"); do
                local start end
                start=$(date +%s.%N)
                bash -c "$command" >/dev/null 2>&1 || true
                end=$(date +%s.%N)
                times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')")
            done
            echo "| \`$command\` | $(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p") s |"
        done
    fi
    rm -f "$table"
}

echo "## End-to-end CLI on the corpus" >&2
echo "End-to-end: \`cargo-racecheck racecheck check CORPUS\` ($runs runs after 1 warm-up; exit status ignored):"
echo
time_commands "$cli racecheck check $corpus"
echo
echo "Peak RSS of one CLI run: $(peak_rss_mib "$cli" racecheck check "$corpus") MiB."
echo

echo "## cargo clippy vs cargo racecheck on $crate" >&2
work="$out/clippy/$crate"
if [ ! -f "$work/Cargo.toml" ]; then
    registry_copy=$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -mindepth 2 -maxdepth 2 -name "$crate" | head -n1)
    [ -n "$registry_copy" ] || { echo "error: $crate is not in the local registry (run the corpus script)" >&2; exit 2; }
    mkdir -p "$work"
    cp -R "$registry_copy"/. "$work"
    chmod -R u+w "$work"
    # Its own workspace: without this, cargo would take it for a stray member of racecheck's.
    printf '\n[workspace]\n' >>"$work/Cargo.toml"
fi
work=$(cd "$work" && pwd)
lines=$(find "$work/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
all_lines=$(find "$work" -path "$work/target" -prune -o -name '*.rs' -print0 | xargs -0 cat | wc -l)
# Build the dependencies (dev-dependencies too) once, so that only clippy's checks of the crate
# itself are timed. Its bench targets need a nightly compiler, and some of its tests trip lints
# that newer clippy denies: hence the explicit targets and --cap-lints.
all_targets="--lib --tests --examples -- --cap-lints warn"
(cd "$work" && CARGO_TARGET_DIR="$work/target" cargo clippy -q $all_targets >/dev/null 2>&1)
echo "One crate, \`$crate\`: $lines lines in src/ (what plain clippy checks), $all_lines in all its targets"
echo "(racecheck reads them all; clippy \`$all_targets\` all but the nightly-only benches); dependencies"
echo "already built; clippy re-checks after a \`touch\`:"
echo
time_commands \
    "cd $work && touch src/lib.rs && CARGO_TARGET_DIR=$work/target cargo clippy -q" \
    "cd $work && touch src/lib.rs && CARGO_TARGET_DIR=$work/target cargo clippy -q $all_targets" \
    "cd $work && PATH=$target_dir/release:\$PATH cargo racecheck check"
