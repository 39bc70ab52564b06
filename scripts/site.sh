#!/usr/bin/env bash
# make site: the static site for a school's own table, in one command, without touching the
# committed default (assets/model.json, assets/report.json, dist/).
#
#   scripts/site.sh DATA [SCHEMA] [SITE]
#
#   DATA    the CSV to train on (make's DATA; default data/stud.csv)
#   SCHEMA  its dataset file (Frictionless Table Schema descriptor); empty: the trainer's own
#           rule (a *.schema.json beside DATA whose "path" names it, else inferred from the CSV)
#   SITE    the folder the static site is built into (default target/site); the model set and
#           its reports are kept beside it, in SITE-models/ (model.json, report.json)
#
# 1. target/release/trainer train --data DATA [--schema SCHEMA] --out SITE-models
# 2. APP_MODEL_JSON=SITE-models/model.json (embedded by app/build.rs) and
#    APP_REPORT_JSON=SITE-models/report.json (copied by scripts/postbuild.mjs before sw.js lists
#    and hashes the files) trunk build --release --dist SITE
# Serve SITE as plain static files, e.g. `python3 -m http.server -d SITE`; hosting/ has the
# clouds' configurations.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

die() { echo "site: $*" >&2; exit 1; }
say() { printf '\033[1msite:\033[0m %s\n' "$*" >&2; }

if [ $# -lt 1 ] || [ $# -gt 3 ]; then die "usage: scripts/site.sh DATA [SCHEMA] [SITE]"; fi
DATA=$1
SCHEMA=${2:-}
SITE=${3:-target/site}
TRAINER=${SITE_TRAINER:-target/release/trainer}

[ -f "$DATA" ] || die "no data file at $DATA (DATA=path/to/your.csv)"
[ -z "$SCHEMA" ] || [ -f "$SCHEMA" ] || die "no dataset file at $SCHEMA (SCHEMA=path/to/your.schema.json, or leave it out to infer one)"
[ -x "$TRAINER" ] || die "no trainer at $TRAINER: run make trainer-bin"
SITE=${SITE%/}
case "$SITE" in
    ""|/|.|..|"$HOME") die "SITE=$SITE: choose a folder of its own (Trunk empties it)" ;;
esac
# Trunk empties the folder it builds into: only a previous site (or an empty folder) is reused.
if [ -d "$SITE" ] && [ -n "$(ls -A "$SITE")" ] && [ ! -f "$SITE/index.html" ]; then
    die "$SITE has files and is not a site built before: choose another SITE (Trunk empties it)"
fi
[ "$(realpath -m "$SITE")" != "$(realpath -m dist)" ] || die "SITE=dist is the default site's folder: choose another"

MODELS="$SITE-models"
mkdir -p "$MODELS"
args=(train --data "$DATA" --out "$MODELS")
[ -z "$SCHEMA" ] || args+=(--schema "$SCHEMA")
say "training: $TRAINER ${args[*]}"
"$TRAINER" "${args[@]}"

say "building the site into $SITE"
APP_MODEL_JSON=$(realpath "$MODELS/model.json") \
APP_REPORT_JSON=$(realpath "$MODELS/report.json") \
    trunk build --release --dist "$SITE"
bytes=$(du -sb "$SITE" | cut -f1)
say "done: $SITE ($bytes bytes; serve it as static files), its model set and reports in $MODELS"
