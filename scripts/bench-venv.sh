# shellcheck shell=bash
# Sourced by the benchmark scripts (bench-train.sh, bench-uci.sh): the Python side's virtualenv.
#
#   source scripts/bench-venv.sh
#   bench_venv NAME      # NAME prefixes the messages, e.g. bench-uci
#
# Creates target/bench-venv (or $VENV) with bench/requirements.txt (or $REQS) from $PYTHON
# (default python3, >= 3.11) when missing or broken, and reinstalls the requirements only when
# that file or the Python version changes: a sha256 stamp in the venv. Exits on failure.

_bench_venv_fail() { echo "$1: ${*:2}" >&2; exit 1; }

bench_venv() {
    local name=$1
    local python=${PYTHON:-python3}
    local venv=${VENV:-target/bench-venv}
    local reqs=${REQS:-bench/requirements.txt}
    command -v "$python" >/dev/null || _bench_venv_fail "$name" "$python not found (set BENCH_PYTHON to a Python >= 3.11)"
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || _bench_venv_fail "$name" "$python is $("$python" -V 2>&1); the pipeline needs Python >= 3.11 (tomllib)"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
        echo "$name: creating the virtualenv $venv" >&2
        rm -rf "$venv"
        "$python" -m venv "$venv" || _bench_venv_fail "$name" "could not create $venv (is the python3-venv package installed?)"
    fi
    local stamp="$venv/.bench-requirements.sha256" want
    want="$(sha256sum "$reqs" | cut -d' ' -f1) $("$venv/bin/python" -V 2>&1)"
    if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
        echo "$name: installing $reqs into $venv (from PyPI)" >&2
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$reqs" \
            || _bench_venv_fail "$name" "pip install -r $reqs failed (is PyPI reachable?)"
        echo "$want" > "$stamp"
    else
        echo "$name: $venv is up to date with $reqs" >&2
    fi
}
