#!/usr/bin/env bash
# The analyzer over real crates, as a user runs it: each crate folder of the corpus is checked on its own, from
# inside it (`cd CRATE && cargo racecheck check .`), with every rule selected, by the release build. Writes one
# JSON report per crate and prints, per rule, how many findings it made, then every finding (the list that
# REAL-WORLD.md triages).
#
# Usage: scripts/real-world.sh [CORPUS]
#   CORPUS   a folder of crate folders (default: target/bench-corpus/corpus, made by the corpus script as
#            scripts/bench-corpus.sh does)
# Environment:
#   CORPUS_MAKER      the corpus script (default: scripts/bench-corpus/make.sh)
#   CARGO_TARGET_DIR  is honoured for the racecheck build.
# Output: target/racecheck/real-world/<crate>.json (the analyzer's JSON format), findings.tsv (one finding a
# line: rule, crate, file:line:column, message) and summary.txt (what this script prints).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target_dir=${CARGO_TARGET_DIR:-$root/target}
corpus=${1:-target/bench-corpus/corpus}
if [ ! -d "$corpus" ]; then
    maker=${CORPUS_MAKER:-$root/scripts/bench-corpus/make.sh}
    [ -x "$maker" ] || { echo "error: no corpus at $corpus and no corpus script at $maker" >&2; exit 2; }
    corpus=$("$maker" target/bench-corpus)
fi
corpus=$(cd "$corpus" && pwd)
out=$root/target/racecheck/real-world

cargo build -q --release -p racecheck-analyzer --bin cargo-racecheck
cli="$target_dir/release/cargo-racecheck"
# Every rule, named by its code: a rule that is off by default is measured too.
codes=$("$cli" racecheck rules --format json | python3 -c 'import json, sys; print(",".join(r["code"] for r in json.load(sys.stdin)))')

rm -rf "$out"
mkdir -p "$out"
for dir in "$corpus"/*/; do
    name=$(basename "$dir")
    status=0
    (cd "$dir" && "$cli" racecheck check . --select "$codes" --format json --output "$out/$name.json") \
        2>"$out/$name.stderr" || status=$?
    # 0: clean, 1: findings, 2 with a report: a file it could not parse (the report lists it); anything
    # else is a failed run, which the summary reports.
    if [ "$status" -gt 2 ] || [ ! -f "$out/$name.json" ]; then
        echo "$status" >"$out/$name.failed"
    else
        rm -f "$out/$name.stderr"
    fi
done

python3 - "$out" "$corpus" "$codes" "$("$cli" --version)" <<'EOF' | tee "$out/summary.txt"
import collections, json, os, subprocess, sys

out, corpus, codes, version = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout
crates = sorted(n[:-5] for n in os.listdir(out) if n.endswith(".json"))
failed = sorted(n[:-7] for n in os.listdir(out) if n.endswith(".failed"))
per_rule = collections.Counter()
findings, errors, cut_short = [], [], []
for crate in crates:
    with open(os.path.join(out, crate + ".json")) as f:
        report = json.load(f)
    errors += [(crate, e["path"], e["message"]) for e in report["errors"]]
    if report["notes"]:
        cut_short.append(crate)
    for d in report["diagnostics"]:
        per_rule[d["code"]] += 1
        p = d["primary"]
        findings.append((d["code"], crate, f'{p["file"]}:{p["line_start"]}:{p["column_start"]}', d["message"]))

print(f"{version} at {commit}{' (uncommitted changes)' if dirty else ''}, corpus {corpus}")
print(f"{len(crates)} crates checked, {len(failed)} failed runs, {len(errors)} input errors, "
      f"{len(cut_short)} crates with a model cut short, {len(findings)} findings")
if failed:
    print("failed runs (see <crate>.stderr):", ", ".join(failed))
for crate, path, message in errors:
    print(f"input error: {crate}/{path}: {message}")
if cut_short:
    print("model cut short:", ", ".join(cut_short))
print()
print("| rule | findings | crates |")
print("| --- | ---: | ---: |")
for code in codes:
    crates_of = {c for r, c, _, _ in findings if r == code}
    print(f"| {code} | {per_rule[code]} | {len(crates_of)} |")
print()
findings.sort()
with open(os.path.join(out, "findings.tsv"), "w") as f:
    for finding in findings:
        f.write("\t".join(finding) + "\n")
for rule, crate, place, message in findings:
    print(f"{rule} {crate}/{place}: {message}")
EOF
