#!/usr/bin/env bash
# make route-cost: what each page costs the first load. Builds the app's release wasm from a copy
# of HEAD (the working tree is not touched) once as it is and once with each page's route, then
# all the report pages, then every page but Predict, showing the not-found page instead (the
# compiler then drops that page's code), and prints the shipped main module's gzip -9 size (what
# the first load fetches; the pages other than Predict are modules of their own) and the
# difference. Each build takes a minute or two; the copies share target/route-cost.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git -C "$root" archive HEAD | tar -x -C "$copy"
# The copy has no node_modules: the post-build hook's esbuild comes from the project's.
ln -s "$root/node_modules" "$copy/node_modules"
export CARGO_TARGET_DIR="$root/target/route-cost"

gzip_size() {
  node -e 'const b = require("fs").readFileSync(process.argv[1]); console.log(require("zlib").gzipSync(b, { level: 9 }).length)' "$1"
}

build() { # $1: label, $2..: pages to drop
  local label=$1
  shift
  cp "$root/app/src/lib.rs" "$copy/app/src/lib.rs"
  for page in "$@"; do
    sed -i "s/view={ Lazy::<${page}Route>::new() }/view=NotFound/" "$copy/app/src/lib.rs"
    grep -q "Lazy::<${page}Route>" "$copy/app/src/lib.rs" && { echo "could not drop $page" >&2; exit 1; }
  done
  (cd "$copy" && trunk build --release --dist "$copy/dist" >"$copy/build.log" 2>&1) || {
    tail -20 "$copy/build.log" >&2
    exit 1
  }
  local size
  size=$(gzip_size "$(ls "$copy"/dist/*_bg.wasm)")
  if [ -z "${full:-}" ]; then full=$size; fi
  printf '%-44s %9d %9d\n' "$label" "$size" $((size - full))
}

printf '%-44s %9s %9s\n' "wasm build" "gzip B" "vs all"
build "every page"
for page in Models Insights Fairness Batch About; do
  build "without ${page}" "$page"
done
build "without the report pages (Models … About)" Models Insights Fairness About
build "Predict only" Models Insights Fairness Batch About
