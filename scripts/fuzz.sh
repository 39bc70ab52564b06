#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ (or the ones named) one after the other, one job each,
# then minimises its corpus and prints a table: executions, time, exec/s and libFuzzer's
# coverage (cov: edges, ft: features) per target. `make fuzz` runs it after scripts/tools.sh fuzz.
#   scripts/fuzz.sh [TARGET...]
#   scripts/fuzz.sh --table [TARGET...]   the table of the last run again, from its logs
# FUZZ_RUNS      executions per target (default 1000000)
# FUZZ_MAX_TIME  seconds per target at most, for targets slower than FUZZ_RUNS allows
#                (default 300)
# FUZZ_KEEP      most files kept per target in fuzz/corpus after minimising (default 40)
# Inputs: fuzz/seeds/<target> (hand-written, never changed here) and fuzz/corpus/<target>
# (committed, minimised); new inputs go to fuzz/target/corpus/<target>. A crash or hang stops
# that target, leaves its input in fuzz/artifacts/<target>, and makes the script fail at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${FUZZ_RUNS:-1000000}
MAX_TIME=${FUZZ_MAX_TIME:-300}
KEEP=${FUZZ_KEEP:-40}
FUZZ=(cargo +nightly fuzz)
say() { printf '\033[1mfuzz:\033[0m %s\n' "$*" >&2; }

table=0
if [ "${1:-}" = --table ]; then table=1; shift; fi
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <("${FUZZ[@]}" list); fi
logs=fuzz/target/logs
mkdir -p "$logs"

# One line of the table for target $1, from its last run's log.
row() {
  local t=$1 log=$logs/$1.log status=ok execs rate seconds last cov ft files
  [ -f "$log" ] || { printf '%-12s %-6s\n' "$t" "no log"; return; }
  grep -qE '^==[0-9]+== ?ERROR|^SUMMARY: libFuzzer|Test unit written' "$log" && status=CRASH
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  seconds=$(sed -nE 's/^Done [0-9]+ runs in ([0-9]+) second.*/\1/p' "$log" | tail -n 1)
  # The last status line (DONE, or the last pulse before a crash) carries the coverage.
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  files=$(find "fuzz/corpus/$t" -maxdepth 1 -type f 2>/dev/null | wc -l)
  printf '%-12s %-6s %10s %8s %8s %6s %7s %7s\n' "$t" "$status" "${execs:-?}" "${seconds:-?}" \
    "${rate:-?}" "${cov:-?}" "${ft:-?}" "$files"
}

print_table() {
  printf '\n%-12s %-6s %10s %8s %8s %6s %7s %7s\n' target status executions seconds "exec/s" \
    cov ft corpus
  for t in "${targets[@]}"; do row "$t"; done
  printf '(logs in %s; cov: edges reached, ft: libFuzzer features; corpus: files kept)\n' "$logs"
}

if [ "$table" = 1 ]; then print_table; exit 0; fi

say "building ${#targets[@]} targets (nightly, AddressSanitizer)"
"${FUZZ[@]}" build >/dev/null

failed=0
for t in "${targets[@]}"; do
  work=fuzz/target/corpus/$t
  mkdir -p "$work" "fuzz/corpus/$t" "fuzz/seeds/$t"
  say "$t: up to $RUNS executions or ${MAX_TIME}s"
  # -timeout: an input taking 10 s is reported as a hang; -rss_limit_mb: 2 GB is an OOM crash.
  if ! "${FUZZ[@]}" run "$t" "$work" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -runs="$RUNS" -max_total_time="$MAX_TIME" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$logs/$t.log" 2>&1; then
    failed=1
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$logs/$t.log" >&2 || true
    continue
  fi
  # The committed corpus: the work corpus minimised on edge coverage (a set cover, counters
  # ignored), at most $KEEP files, the largest first (whole documents reach the most).
  merged=fuzz/target/cmin/$t
  rm -rf "$merged" && mkdir -p "$merged"
  cp -r "$work"/. "fuzz/corpus/$t"/. "$merged"/
  "${FUZZ[@]}" cmin "$t" "$merged" -- -use_counters=0 -set_cover_merge=1 \
    >"$logs/$t.cmin.log" 2>&1
  rm -f "fuzz/corpus/$t"/*
  # awk reads all of sort's output (head would end the pipe early: SIGPIPE under pipefail).
  find "$merged" -maxdepth 1 -type f -printf '%s %p\n' | sort -rn |
    awk -v keep="$KEEP" 'NR <= keep { print $2 }' | xargs -r cp -t "fuzz/corpus/$t"
done

print_table
exit "$failed"
