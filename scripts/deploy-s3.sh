#!/usr/bin/env bash
# Uploads a built dist/ to an S3 bucket with the Content-Type and Cache-Control each kind of
# file needs (the same rules as hosting/staticwebapp.config.json):
#   hashed js/wasm/css  public, max-age=31536000, immutable
#   icons               public, max-age=86400
#   entry points        no-cache (index.html, sw.js, boot.js, manifest.webmanifest)
# Files no longer in dist/ are deleted from the bucket last, after the new ones are in place.
set -euo pipefail
dist=${1:?usage: deploy-s3.sh DIST BUCKET}
bucket=${2:?usage: deploy-s3.sh DIST BUCKET}
immutable="public, max-age=31536000, immutable"
entry=(index.html sw.js boot.js manifest.webmanifest)

excludes=()
for f in "${entry[@]}"; do excludes+=(--exclude "$f"); done

sync() { aws s3 sync "$dist" "s3://$bucket" --only-show-errors "$@"; }
sync --exclude '*' --include '*.wasm' --content-type application/wasm --cache-control "$immutable"
sync --exclude '*' --include '*.js' "${excludes[@]}" --content-type 'text/javascript; charset=utf-8' --cache-control "$immutable"
sync --exclude '*' --include '*.css' --content-type 'text/css; charset=utf-8' --cache-control "$immutable"
sync --exclude '*' --include 'icons/*' --cache-control 'public, max-age=86400'

put() {
  aws s3 cp "$dist/$1" "s3://$bucket/$1" --only-show-errors --content-type "$2" --cache-control no-cache
}
put boot.js 'text/javascript; charset=utf-8'
put sw.js 'text/javascript; charset=utf-8'
put manifest.webmanifest 'application/manifest+json'
put index.html 'text/html; charset=utf-8'

# Everything is in place: remove what this build no longer has.
sync --delete
