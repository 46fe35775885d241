#!/usr/bin/env bash
# The one command that runs every test: formatting and lints, unit tests, HTTP integration tests
# on SQLite and on a real PostgreSQL server started here, and browser tests in headless Chromium
# against the release build that `make run` serves (the same binary, the same wasm-opt'd site).
# Installs what is missing first (wasm target, wasm-bindgen-cli, wasm-opt, brotli, chromium,
# chromedriver, postgresql).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(date +%s)

prune_target
ensure_build_tools
apt_ensure "chromium chromium-driver" chromium chromedriver
apt_ensure "postgresql" "$(pg_bin)/initdb"

say "formatting"
cargo fmt --all --check

say "lints (clippy, warnings are errors)"
cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

say "layers (pages → api → backend; wire and domain below; no cycles)"
cargo test -q -p lianzhao-tests --test layers

say "supply chain (cargo deny, cargo audit)"
scripts/audit.sh

build_release
say "the browser bundle's size (wasm + js, brotli; islands only)"
scripts/size-gate.sh "$RELEASE_SITE"
export LZ_SITE_ROOT="$RELEASE_SITE" LZ_RELEASE_SITE="$RELEASE_SITE" LZ_RELEASE_BIN="$RELEASE_BIN"
export CHROME_BIN=${CHROME_BIN:-/usr/bin/chromium}
# A hung test fails the run (after a generous limit) instead of eating CI's whole budget.
say "unit, CLI and integration tests (SQLite), in parallel"
timeout 1500 cargo test --workspace --features app/ssr --lib --bins --test cli --test crash --test crash_mail --test http
say "browser tests on the release site, and every page of the release build as every role"
timeout 1500 cargo test --workspace --features app/ssr --test browser --test release -- --test-threads=1 --nocapture

say "integration tests again, on PostgreSQL"
read -r pg_dir pg_url < <(scripts/pg-cluster.sh)
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
LZ_TEST_PG_URL="$pg_url" timeout 900 cargo test --workspace --features app/ssr --test http

say "all tests passed in $(( $(date +%s) - start )) s"
