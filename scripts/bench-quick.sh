#!/usr/bin/env bash
# make bench-quick: what the quick preset (trainer/grids-quick.toml) saves in time and costs in
# accuracy against the full grids (trainer/grids.toml), on the default data (every target, with
# the fairness variants, as `make train` runs) and on the UCI Portuguese course (G3).
#
#   scripts/bench-quick.sh
#
# For each dataset and each grid file: `trainer train … --quiet` into target/bench-quick/, timed
# (wall clock, one run, every core; BENCH_THREADS=1 not set here: the native trainer's own
# parallelism, as the CLI runs). Then one line per target: the winner and its CV R² and test R²
# under both grids, the differences, and the two times.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TRAINER=target/release/trainer
OUT=target/bench-quick

say() { echo "bench-quick: $*" >&2; }

cargo build --release --locked -q -p trainer
make -s data/stud.csv data/student-por.csv
mkdir -p "$OUT"

run() { # name data schema target-args...
    local name=$1 data=$2 schema=$3; shift 3
    for grid in full quick; do
        local file=trainer/grids.toml
        [ "$grid" = quick ] && file=trainer/grids-quick.toml
        local start end
        start=$(date +%s.%N)
        "$TRAINER" train --data "$data" --schema "$schema" --grid "$file" --out "$OUT/$name-$grid" --quiet "$@"
        end=$(date +%s.%N)
        awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' > "$OUT/$name-$grid/seconds"
        say "$name, $grid grids: $(cat "$OUT/$name-$grid/seconds") s"
    done
}

run default data/stud.csv data/students.schema.json
run uci data/student-por.csv data/uci-student.schema.json --target G3

node - "$OUT" <<'EOF'
const { readFileSync } = require('node:fs');
const out = process.argv[2];
const read = (dir) => JSON.parse(readFileSync(`${out}/${dir}/report.json`, 'utf8'));
const secs = (dir) => Number(readFileSync(`${out}/${dir}/seconds`, 'utf8'));
console.log('| data | target | full: winner, CV R², test R² | quick: winner, CV R², test R² | CV R² lost | time full → quick |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const name of ['default', 'uci']) {
  const [full, quick] = [read(`${name}-full`), read(`${name}-quick`)];
  for (const f of full.reports) {
    const q = quick.reports.find((r) => r.target === f.target);
    const best = (r) => r.families.find((x) => x.family === r.winner);
    const [a, b] = [best(f), best(q)];
    const fig = (r, x) => `${r.winner}, ${x.cv_r2_mean.toFixed(4)}, ${x.test_r2.toFixed(4)}`;
    console.log(`| ${name} | ${f.target} | ${fig(f, a)} | ${fig(q, b)} | ${(a.cv_r2_mean - b.cv_r2_mean).toFixed(4)} | ${secs(`${name}-full`).toFixed(1)} s → ${secs(`${name}-quick`).toFixed(1)} s |`);
  }
}
EOF
