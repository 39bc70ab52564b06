#!/usr/bin/env bash
# make bench-uci: our model search against the published figures on real students, the UCI
# Student Performance data (Portuguese course), and scikit-learn on the very same folds.
#
#   scripts/bench-uci.sh [--grid FILE] [--only FAMILY]... [--setups A,B,C] [--no-sklearn]
#
# Cortez & Silva (2008), Table 5: RMSE of G3 (final grade 0-20), 20 runs of 10-fold CV, best
# model per input setup: A (all inputs) 1.32, B (without G2) 1.78, C (without G1, G2) 2.67.
#
# 1. a virtualenv at target/bench-venv with bench/requirements.txt (scripts/bench-venv.sh);
# 2. cargo build --release --locked -p trainer (or BENCH_UCI_TRAINER, a binary used as it is);
# 3. data/student-por.csv (copied from ../shared/data/student-por.csv when missing; never
#    committed: data/*.csv is ignored);
# 4. per setup, timed: trainer train --data data/student-por.csv --target G3 [--drop G2 ...]
#    --folds 10 --repeats $BENCH_UCI_REPEATS (default 20) --metric rmse --no-fairness-variant
#    --quiet --out target/bench-uci/<setup> (with --schema data/uci-student.schema.json when it
#    exists, or $BENCH_UCI_SCHEMA; the trainer infers the columns otherwise);
# 5. per setup, timed: bench/uci.py, scikit-learn's RandomForestRegressor(n_estimators=500)
#    and GradientBoostingRegressor() on that run's training rows and folds, with
#    LinearRegression() as the check that the folds are the same (--no-sklearn skips it);
#    results are kept in target/bench-uci/sklearn-cache/, keyed by everything that decides them
#    (data, rows, folds, features, estimator, versions), so a rerun with other grids reuses them;
# 6. bench/compare_uci.py: the table; target/bench-uci/summary.json.
# Everything it writes is under target/bench-uci/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

PYTHON=${BENCH_PYTHON:-python3}
VENV=target/bench-venv
REQS=bench/requirements.txt
OUT=target/bench-uci
DATA=data/student-por.csv
SCHEMA=${BENCH_UCI_SCHEMA:-data/uci-student.schema.json}
TRAINER=${BENCH_UCI_TRAINER:-target/release/trainer}
REPEATS=${BENCH_UCI_REPEATS:-20}
FOLDS=10
SETUPS=A,B,C
SKLEARN=1
EXTRA=()

die() { echo "bench-uci: $*" >&2; exit 1; }
say() { echo "bench-uci: $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --grid) [ $# -ge 2 ] || die "--grid needs a file"; [ -f "$2" ] || die "no grid file at $2"
                EXTRA+=(--grid "$2"); shift 2 ;;
        --only) [ $# -ge 2 ] || die "--only needs a family name"; EXTRA+=(--only "$2"); shift 2 ;;
        --setups) [ $# -ge 2 ] || die "--setups needs a list, e.g. A,C"; SETUPS=$2; shift 2 ;;
        --no-sklearn) SKLEARN=0; shift ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
[[ "$REPEATS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_UCI_REPEATS must be a positive whole number, not $REPEATS"
[[ "$SETUPS" =~ ^[ABC](,[ABC])*$ ]] || die "--setups takes A, B and C separated by commas, not $SETUPS"

now() { date +%s.%N; }
elapsed() { "$PYTHON" -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$1" "$2"; }

# The columns each setup leaves out.
drops() {
    case "$1" in
        A) ;;
        B) echo G2 ;;
        C) echo G1 G2 ;;
    esac
}
# The naive baseline's column: the last grade the setup keeps (none: the mean).
naive() {
    case "$1" in
        A) echo G2 ;;
        B) echo G1 ;;
        C) ;;
    esac
}

# 1. The virtualenv (only for the scikit-learn side and the table).
# shellcheck source=scripts/bench-venv.sh
source scripts/bench-venv.sh
bench_venv bench-uci

# 2. The trainer (BENCH_UCI_TRAINER: a binary built elsewhere, used as it is).
if [ -n "${BENCH_UCI_TRAINER:-}" ]; then
    [ -x "$TRAINER" ] || die "BENCH_UCI_TRAINER=$TRAINER is not an executable"
    say "using the trainer $TRAINER as it is (BENCH_UCI_TRAINER)"
else
    say "cargo build --release --locked -p trainer"
    cargo build --release --locked -p trainer || die "the trainer does not build"
fi

# 3. The data (never committed): make's rule copies it from ../shared/data/.
[ -f "$DATA" ] || make --no-print-directory "$DATA" || die "no $DATA"
SCHEMA_ARGS=()
if [ -f "$SCHEMA" ]; then
    SCHEMA_ARGS=(--schema "$SCHEMA")
else
    say "no dataset file at $SCHEMA: the trainer infers the columns"
fi

mkdir -p "$OUT"
RUST_TIMES=()
SK_TIMES=()
COMMANDS=()
IFS=, read -r -a SETUP_LIST <<< "$SETUPS"
for setup in "${SETUP_LIST[@]}"; do
    DROP_ARGS=()
    for col in $(drops "$setup"); do DROP_ARGS+=(--drop "$col"); done

    # 4. Our search.
    dir="$OUT/$setup"
    rm -rf "$dir"
    cmd=("$TRAINER" train --data "$DATA" ${SCHEMA_ARGS[@]+"${SCHEMA_ARGS[@]}"} --target G3
         ${DROP_ARGS[@]+"${DROP_ARGS[@]}"} --folds "$FOLDS" --repeats "$REPEATS" --metric rmse
         --no-fairness-variant --out "$dir" --quiet ${EXTRA[@]+"${EXTRA[@]}"})
    say "setup $setup: ${cmd[*]}"
    t0=$(now)
    "${cmd[@]}" || die "the trainer failed on setup $setup (see above)"
    t1=$(now)
    RUST_TIMES+=(--rust-seconds "$setup=$(elapsed "$t0" "$t1")")
    COMMANDS+=(--rust-command "$setup=${cmd[*]}")
    say "setup $setup: trainer $(elapsed "$t0" "$t1") s"

    # 5. scikit-learn on the same rows and folds.
    if [ "$SKLEARN" = 1 ]; then
        NAIVE_ARGS=()
        col=$(naive "$setup")
        [ -z "$col" ] || NAIVE_ARGS=(--naive "$col")
        t0=$(now)
        # One thread per BLAS: the folds are small, and threads only fight on a shared machine.
        OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
            "$VENV/bin/python" bench/uci.py --report "$dir/report.json" --data "$DATA" \
            ${SCHEMA_ARGS[@]+"${SCHEMA_ARGS[@]}"} ${DROP_ARGS[@]+"${DROP_ARGS[@]}"} \
            ${NAIVE_ARGS[@]+"${NAIVE_ARGS[@]}"} --out "$dir/sklearn.json" \
            --cache "$OUT/sklearn-cache" || die "the scikit-learn side failed on setup $setup (see above)"
        t1=$(now)
        SK_TIMES+=(--sklearn-seconds "$setup=$(elapsed "$t0" "$t1")")
        say "setup $setup: scikit-learn $(elapsed "$t0" "$t1") s"
    fi
done

# 6. The table.
echo
"$VENV/bin/python" bench/compare_uci.py --dir "$OUT" --setups "$SETUPS" \
    ${RUST_TIMES[@]+"${RUST_TIMES[@]}"} ${SK_TIMES[@]+"${SK_TIMES[@]}"} \
    ${COMMANDS[@]+"${COMMANDS[@]}"} \
    --command "BENCH_UCI_REPEATS=$REPEATS scripts/bench-uci.sh${EXTRA[*]:+ ${EXTRA[*]}}" \
    --out "$OUT/summary.json"
