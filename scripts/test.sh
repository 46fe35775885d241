#!/usr/bin/env bash
# The one command that runs every test: formatting and lints, unit tests, HTTP integration tests
# on SQLite and on a real PostgreSQL server started here, and browser tests in headless Chromium.
# Installs what is missing first (wasm target, wasm-bindgen-cli, chromium, chromedriver, postgresql).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(date +%s)

prune_target
ensure_wasm_target
ensure_wasm_bindgen
apt_ensure "chromium chromium-driver" chromium chromedriver
apt_ensure "postgresql" "$(pg_bin)/initdb"

say "formatting"
cargo fmt --all --check

say "lints (clippy, warnings are errors)"
cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings

say "building the browser bundle (wasm) for the browser tests"
site="$CARGO_TARGET_DIR/test-site"
rm -rf "$site"
scripts/build-site.sh "$site" debug

export LZ_SITE_ROOT="$site"
export CHROME_BIN=${CHROME_BIN:-/usr/bin/chromium}
# A hung test fails the run (after a generous limit) instead of eating CI's whole budget.
say "unit, CLI and integration tests (SQLite), in parallel"
timeout 1500 cargo test --workspace --features app/ssr --lib --bins --test cli --test http
say "browser tests (one Chromium at a time)"
timeout 1200 cargo test --workspace --features app/ssr --test browser -- --test-threads=1

say "integration tests again, on PostgreSQL"
read -r pg_dir pg_url < <(scripts/pg-cluster.sh)
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
LZ_TEST_PG_URL="$pg_url" timeout 900 cargo test --workspace --features app/ssr --test http

say "all tests passed in $(( $(date +%s) - start )) s"
