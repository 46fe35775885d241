# Shared helpers for run.sh and test.sh: install what is missing, once, and cache builds
# outside the clone so repeated runs (and fresh clones on the same machine) are cheap.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lianzhao/target}
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen version in Cargo.lock
CARGO_LEPTOS_VERSION=0.3.10    # the newest that builds on rustc 1.95 (only for `make dev`)
BINARYEN_VERSION=132.0.0       # Debian's binaryen 108 produces a wasm that fails to hydrate

say() { printf '\033[1;34m==>\033[0m [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

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

# Only `make dev` (a watch mode) needs cargo-leptos; the run and test paths build without it.
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

# What `make run` serves and the release browser run tests: one build, one place.
RELEASE_BIN="$CARGO_TARGET_DIR/release/lianzhao"
RELEASE_SITE="$CARGO_TARGET_DIR/site-release"

# Everything a build of the site needs: the wasm target, wasm-bindgen, wasm-opt, brotli.
ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_wasm_opt
  apt_ensure "brotli" brotli
}

# The release server binary and the release site (wasm-opt'd, hashed, precompressed), built side
# by side (the site's log goes to $CARGO_TARGET_DIR/site-build.log and is shown if it fails).
build_release() {
  say "building the release server and, beside it, the release site (a first build takes a while)"
  mkdir -p "$CARGO_TARGET_DIR"
  local log="$CARGO_TARGET_DIR/site-build.log"
  scripts/build-site.sh "$RELEASE_SITE" release >"$log" 2>&1 &
  local site=$!
  local server_ok=0
  cargo build --release -p lianzhao-server --bin lianzhao || server_ok=$?
  if ! wait "$site"; then
    cat "$log" >&2
    say "the release site did not build (log above)"
    return 1
  fi
  tail -n 1 "$log"
  return "$server_ok"
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

# The shared target directory outlives clones, and every clone path gives the workspace crates
# new artifact hashes (and new incremental caches): 20+ runs filled 45 GB. Keep the newest few
# builds of each workspace crate and drop incremental caches not used for two hours.
prune_target() {
  local deps="$CARGO_TARGET_DIR/debug/deps"
  [ -d "$deps" ] || return 0
  python3 - "$deps" <<'PY'
import collections, os, re, sys
deps = sys.argv[1]
ours = {"app", "lianzhao_server", "lianzhao_tests", "migration", "lianzhao", "http", "browser", "cli",
        "release", "layers", "bench"}
pattern = re.compile(r"^(?:lib)?([a-z_]+)-([0-9a-f]{16})")
newest = collections.defaultdict(dict)
files = collections.defaultdict(list)
for f in os.listdir(deps):
    m = pattern.match(f)
    if m and m.group(1) in ours:
        key = (m.group(1), m.group(2))
        path = os.path.join(deps, f)
        files[key].append(path)
        newest[m.group(1)][m.group(2)] = max(newest[m.group(1)].get(m.group(2), 0), os.path.getmtime(path))
removed = 0
for name, hashes in newest.items():
    for h in sorted(hashes, key=hashes.get, reverse=True)[4:]:
        for path in files[(name, h)]:
            os.remove(path)
            removed += 1
if removed:
    print(f"pruned {removed} stale build artifacts of the workspace crates")
PY
  find "$CARGO_TARGET_DIR" -maxdepth 3 -type d -name incremental -exec find {} -mindepth 1 -maxdepth 1 -mmin +120 -exec rm -rf {} + \; 2>/dev/null || true
  # A full disk fails the link, not a test: below 20 GB free, drop every incremental cache too
  # (a cold debug build needs about 10 GB).
  local free_gb
  free_gb=$(df -P -B1G "$CARGO_TARGET_DIR" | awk 'NR == 2 {print $4}')
  if [ "${free_gb:-0}" -lt 20 ]; then
    say "only ${free_gb} GB free: dropping the incremental build caches"
    find "$CARGO_TARGET_DIR" -maxdepth 3 -type d -name incremental -exec rm -rf {} + 2>/dev/null || true
  fi
  say "$(du -sh "$CARGO_TARGET_DIR" | cut -f1) in the build cache, $(df -P -h "$CARGO_TARGET_DIR" | awk 'NR == 2 {print $4}') free"
}
