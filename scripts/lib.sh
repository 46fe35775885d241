# Shared helpers for run.sh and test.sh: install what is missing, once, and cache builds
# outside the clone so repeated runs (and fresh clones on the same machine) are cheap.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lianzhao/target}
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen version in Cargo.lock
CARGO_LEPTOS_VERSION=0.3.10    # the newest that builds on rustc 1.95
BINARYEN_VERSION=132.0.0       # Debian's binaryen 108 produces a wasm that fails to hydrate

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

ensure_cargo_leptos() {
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (10-25 minutes, once)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
}

ensure_wasm_opt() {
  if [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ]; then
    say "installing wasm-opt from npm binaryen@$BINARYEN_VERSION"
    npm install --silent --no-audit --no-fund --prefix "$ROOT/tools" "binaryen@$BINARYEN_VERSION"
  fi
}

# apt_ensure PACKAGE COMMAND...: installs the Debian packages when a command is missing.
apt_ensure() {
  local missing=0
  for cmd in "${@:2}"; do command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    say "installing Debian packages: $1"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $1 >/dev/null
  fi
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
