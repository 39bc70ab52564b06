#!/usr/bin/env bash
# Uploads a built dist/ to an S3 bucket with the Content-Type and Cache-Control each kind of
# file gets from Azure under hosting/staticwebapp.config.json (e2e/deploy-s3.test.mjs compares
# every object with what the Static Web Apps CLI serves for it):
#   .js/.wasm/.css but boot.js and sw.js (hashed names)   public, max-age=31536000, immutable
#   icons/*                                                public, max-age=86400
#   everything else: index.html, sw.js, boot.js,           no-cache
#   manifest.webmanifest, report.json, ...
#
#   scripts/deploy-s3.sh DIST BUCKET
#
# - Every object is uploaded with both headers (`aws s3 cp`, never `sync`, which re-uploads what
#   it thinks changed without them).
# - Order: hashed files first (icons and other files beside them), then sw.js and boot.js, and
#   index.html last, so the live index.html only names files that are already in the bucket.
# - The last step only deletes: keys this build does not have, and only those no deploy has
#   written in the DEPLOY_S3_KEEP_SECONDS (default 900) before this one began. A deploy that
#   overlaps this one therefore never loses its files, and pages loaded just before a deploy can
#   still fetch theirs; a later deploy removes them. DEPLOY_S3_KEEP_SECONDS=0 removes every stale
#   key written before this deploy began.
# - staticwebapp.config.json (Azure's configuration, in dist/ for Azure's deploy) is not part of
#   the site: never uploaded, and deleted if an earlier deploy put it there.
# - AWS_ENDPOINT_URL, when set, is passed as --endpoint-url (Debian's AWS CLI ignores the
#   variable); the tests point it at a local S3 API server.
set -euo pipefail
dist=${1:?usage: deploy-s3.sh DIST BUCKET}
bucket=${2:?usage: deploy-s3.sh DIST BUCKET}
keep=${DEPLOY_S3_KEEP_SECONDS:-900}
[[ $keep =~ ^[0-9]+$ ]] || { echo "deploy-s3: DEPLOY_S3_KEEP_SECONDS must be a number of seconds" >&2; exit 2; }
# A wrong DIST would make the last step delete the whole site.
[ -f "$dist/index.html" ] || { echo "deploy-s3: $dist/index.html is missing: not a built dist/" >&2; exit 2; }

# Whole seconds, as S3 keeps LastModified: an object written after this moment is never older.
started=$(date -u +%s)
config=staticwebapp.config.json
immutable="public, max-age=31536000, immutable"
js='text/javascript; charset=utf-8'

export AWS_PAGER="" # AWS CLI v2: never a pager
aws_() {
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; else aws "$@"; fi
}

# `upload CACHE-CONTROL [CONTENT-TYPE] -- FILTERS...`: the files of dist/ the filters select
# (aws s3 filters: the last matching one wins), never the Azure configuration. Without a
# CONTENT-TYPE the AWS CLI guesses it from the name, as Azure does.
upload() {
  local cache=$1 type=()
  shift
  if [ "$1" != -- ]; then type=(--content-type "$1"); shift; fi
  shift
  aws_ s3 cp "$dist" "s3://$bucket" --recursive --only-show-errors --exclude '*' "$@" \
    --exclude "$config" --cache-control "$cache" "${type[@]}"
}

# Uploads in one step run side by side (`step upload ...; step upload ...; steps_done`).
pids=()
step() { "$@" & pids+=($!); }
steps_done() {
  local pid failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  pids=()
  [ "$failed" -eq 0 ] || { echo "deploy-s3: an upload failed; index.html was not replaced" >&2; exit 1; }
}

# 1. Hashed files: nothing names them until the new index.html is in place.
step upload "$immutable" application/wasm -- --include '*.wasm'
step upload "$immutable" "$js" -- --include '*.js' --exclude boot.js --exclude sw.js
step upload "$immutable" 'text/css; charset=utf-8' -- --include '*.css'
# 2. Icons, then every other file (report.json, the manifest, anything new) with no-cache.
step upload 'public, max-age=86400' -- --include 'icons/*'
step upload no-cache application/json -- --include '*.json' --exclude 'icons/*'
step upload no-cache application/manifest+json -- --include '*.webmanifest' --exclude 'icons/*'
step upload no-cache -- --include '*' --exclude 'icons/*' --exclude '*.wasm' --exclude '*.js' \
  --exclude '*.css' --exclude '*.json' --exclude '*.webmanifest' --exclude index.html
steps_done
# 3. The entry points: the service worker and boot script, then index.html.
upload no-cache "$js" -- --include boot.js --include sw.js
upload no-cache 'text/html; charset=utf-8' -- --include index.html

# 4. Delete what this build does not have (never upload here).
declare -A built=()
while IFS= read -r -d '' file; do
  built[${file#"$dist"/}]=1
done < <(find "$dist" -type f -print0)
unset "built[$config]"

stale=()
while IFS=$'\t' read -r key modified; do
  if [ -z "$key" ] || [ "$key" = None ]; then continue; fi
  [ -z "${built[$key]:-}" ] || continue
  if [ "$key" != "$config" ] && [ "$(date -u -d "$modified" +%s)" -ge $((started - keep)) ]; then
    echo "deploy-s3: keeping $key (not in this build, but written since ${keep}s before this deploy began)" >&2
    continue
  fi
  stale+=("$key")
done < <(aws_ s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].[Key, LastModified]' --output text)

# In batches of at most 1,000 keys (DeleteObjects' limit), as JSON strings.
json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
for ((i = 0; i < ${#stale[@]}; i += 1000)); do
  objects=
  for key in "${stale[@]:i:1000}"; do
    echo "deploy-s3: deleting $key" >&2
    objects+="${objects:+,}{\"Key\":$(json_string "$key")}"
  done
  aws_ s3api delete-objects --bucket "$bucket" --delete "{\"Objects\":[$objects],\"Quiet\":true}" >/dev/null
done
