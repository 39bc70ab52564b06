#!/usr/bin/env bash
# Installs what the build and the tests need, each step skipping itself when the right version
# is already there. Versions that work together on these machines: ../shared/TOOLCHAIN.md.
#   scripts/tools.sh web      wasm32 target, trunk, wasm-bindgen-cli, npm tools (wasm-opt)
#   scripts/tools.sh browser  Debian chromium + chromedriver
#   scripts/tools.sh all      both
#   scripts/tools.sh fuzz     nightly toolchain (minimal profile) and cargo-fuzz, for make fuzz only
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf '\033[1mtools:\033[0m %s\n' "$*" >&2; }

wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then return; fi
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

trunk_tool() {
  if trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then return; fi
  # 0.22 needs a newer rustc than these machines have; its fat-LTO profile doubles build time.
  say "installing trunk $TRUNK_VERSION (about 8 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "=$TRUNK_VERSION"
}

wasm_bindgen_cli() {
  # Trunk runs offline and stops unless wasm-bindgen-cli equals the crate in Cargo.lock.
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || { echo "tools: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
  if wasm-bindgen --version 2>/dev/null | grep -q " $want\$" &&
    wasm-bindgen-test-runner --version 2>/dev/null | grep -q " $want\$"; then return; fi
  say "installing wasm-bindgen-cli $want (about 3 minutes)"
  # --locked fails for some versions (a pinned dependency the registry lacks): retry without.
  cargo install --locked wasm-bindgen-cli --version "=$want" ||
    cargo install wasm-bindgen-cli --version "=$want"
}

npm_tools() {
  # wasm-opt from npm binaryen 132 (Debian's 108 silently breaks the wasm) and playwright-core.
  local stamp=node_modules/.package-lock.sha256
  if [ -f "$stamp" ] && sha256sum --status -c "$stamp" 2>/dev/null; then return; fi
  say "installing npm packages (binaryen, playwright-core)"
  npm ci --no-audit --no-fund
  sha256sum package-lock.json >"$stamp"
}

cargo_deps() {
  # Trunk's offline mode runs cargo with --offline: every crate must be fetched beforehand.
  cargo fetch --locked >/dev/null
}

browser() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return; fi
  say "installing Debian chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
}

fuzz_tools() {
  # cargo-fuzz builds with nightly (sanitizers, libFuzzer); everything else stays on stable.
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    say "installing the nightly toolchain, minimal profile (about 1 minute)"
    rustup toolchain install nightly --profile minimal
  fi
  if cargo fuzz --version >/dev/null 2>&1; then return; fi
  say "installing cargo-fuzz (about 2 minutes)"
  cargo install cargo-fuzz
}

case "${1:-all}" in
  web) wasm_target; cargo_deps; npm_tools; trunk_tool; wasm_bindgen_cli ;;
  browser) browser ;;
  all) wasm_target; cargo_deps; npm_tools; browser; trunk_tool; wasm_bindgen_cli ;;
  fuzz) fuzz_tools ;;
  *) echo "usage: $0 [web|browser|all|fuzz]" >&2; exit 2 ;;
esac
