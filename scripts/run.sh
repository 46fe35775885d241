#!/usr/bin/env bash
# The one command that sets everything up and runs the app: installs what is missing (wasm32
# target, wasm-bindgen-cli, wasm-opt, brotli), builds the release server and the release site
# exactly as `make test` does (no cargo-leptos), migrates, loads demo data on the first start,
# and serves on http://127.0.0.1:3000 (LEPTOS_SITE_ADDR).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(date +%s)

ensure_build_tools
build_release

export LEPTOS_SITE_ROOT="$RELEASE_SITE"
export DATABASE_URL=${DATABASE_URL:-sqlite://data/lianzhao.db?mode=rwc}
addr=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
export LEPTOS_SITE_ADDR="$addr"
echo
say "built in $(( $(date +%s) - start )) s; starting Lianzhao 链招 (the first start loads the demo data)"
"$RELEASE_BIN" demo-logins
echo "Open http://$addr once the server below says it is running (another port: LEPTOS_SITE_ADDR=127.0.0.1:8080 make run)."
echo
exec "$RELEASE_BIN" serve --seed-demo-if-empty
