#!/usr/bin/env bash
# Installs what the build and the tests need, each step skipping itself when the right version
# is already there. Versions that work together on these machines: ../shared/TOOLCHAIN.md.
#   scripts/tools.sh web      wasm32 target, trunk, wasm-split-cli, wasm-bindgen-cli, npm tools
#                             (wasm-opt)
#   scripts/tools.sh browser  Debian chromium + chromedriver
#   scripts/tools.sh hosting  the hosting tests' tools: Debian shellcheck, and a venv
#                             (target/hosting-venv) with moto's S3 server, the AWS CLI, cfn-lint
#                             and actionlint (hosting/requirements.txt)
#   scripts/tools.sh bench    lighthouse (bench/lighthouse) and twiggy, for make bench-web and
#                             make wasm-size only
#   scripts/tools.sh fuzz     nightly toolchain (minimal profile) and cargo-fuzz, for make fuzz only
#   scripts/tools.sh deny     cargo-deny and the fetched crates it reads, for make deny (deny.toml)
#   scripts/tools.sh all      web, browser, hosting and deny: what make test needs
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# The splitter scripts/build-wasm.mjs runs between cargo and wasm-bindgen (crate
# wasm_split_cli_support, the one cargo-leptos uses): it must understand what the
# wasm_split_helpers in Cargo.lock (through leptos) puts in the wasm.
WASM_SPLIT_VERSION=0.2.4
CARGO_DENY_VERSION=0.20.2
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

wasm_split_cli() {
  # The binary has no --version, and CI caches cargo's bin folder without cargo's record of
  # installed crates: the binary's own panic locations name the crate's source folder.
  local bin
  bin=$(command -v wasm-split-cli || true)
  if [ -n "$bin" ] && grep -q -a "wasm_split_cli_support-$WASM_SPLIT_VERSION/" "$bin"; then return; fi
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about a minute)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --force wasm_split_cli_support --version "=$WASM_SPLIT_VERSION" --features build-binary
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

# Debian packages, with one `apt-get update` per run and only when something is missing.
apt_updated=
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  say "installing Debian ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then "${sudo[@]}" apt-get update -qq; apt_updated=1; fi
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

npm_prereqs() {
  # The Static Web Apps CLI's keytar builds from source when it cannot download a prebuilt
  # binary (offline), against libsecret's headers: npm ci fails without them.
  apt_install libsecret-1-dev
}

HOSTING_VENV=target/hosting-venv
hosting_tools() {
  # actionlint runs shellcheck on every `run:` script of the workflows.
  apt_install shellcheck
  local stamp=$HOSTING_VENV/requirements.sha256
  if [ -f "$stamp" ] && sha256sum --status -c "$stamp" 2>/dev/null; then return; fi
  # Debian's python3 makes venvs only with python3-venv; other pythons (pyenv) already can.
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then apt_install python3-venv; fi
  say "installing moto, the AWS CLI, cfn-lint and actionlint into $HOSTING_VENV (hosting/requirements.txt)"
  rm -rf "$HOSTING_VENV"
  python3 -m venv "$HOSTING_VENV"
  "$HOSTING_VENV/bin/pip" install --quiet --disable-pip-version-check -r hosting/requirements.txt
  sha256sum hosting/requirements.txt >"$stamp"
}

bench_tools() {
  # Lighthouse 12 for make bench-web (its own npm project: 13 needs Node 22) and twiggy for
  # make wasm-size. Neither is needed by make test.
  local stamp=bench/lighthouse/node_modules/.package-lock.sha256
  if ! { [ -f "$stamp" ] && sha256sum --status -c "$stamp" 2>/dev/null; }; then
    say "installing lighthouse (bench/lighthouse)"
    npm ci --prefix bench/lighthouse --no-audit --no-fund
    sha256sum bench/lighthouse/package-lock.json >"$stamp"
  fi
  if ! twiggy --version 2>/dev/null | grep -q " 0.8.0\$"; then
    say "installing twiggy 0.8.0 (about 2 minutes)"
    cargo install --locked twiggy --version =0.8.0
  fi
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

deny_tool() {
  if cargo deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION\$"; then return; fi
  say "installing cargo-deny $CARGO_DENY_VERSION (about 5 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked cargo-deny --version "=$CARGO_DENY_VERSION"
}

case "${1:-all}" in
  web) wasm_target; cargo_deps; npm_prereqs; npm_tools; trunk_tool; wasm_split_cli; wasm_bindgen_cli ;;
  browser) browser ;;
  hosting) hosting_tools ;;
  bench) bench_tools ;;
  fuzz) fuzz_tools ;;
  deny) cargo_deps; deny_tool ;;
  all) wasm_target; cargo_deps; npm_prereqs; npm_tools; browser; hosting_tools; deny_tool; trunk_tool; wasm_split_cli; wasm_bindgen_cli ;;
  *) echo "usage: $0 [web|browser|hosting|bench|fuzz|deny|all]" >&2; exit 2 ;;
esac
