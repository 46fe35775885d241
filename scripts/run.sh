#!/usr/bin/env bash
# The one command that sets everything up and runs the app: installs what is missing (wasm32
# target, cargo-leptos, wasm-bindgen-cli, wasm-opt), builds a release with cargo-leptos, migrates,
# loads demo data on the first start, and serves on http://127.0.0.1:3000 (LEPTOS_SITE_ADDR).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_wasm_target
ensure_wasm_bindgen
ensure_cargo_leptos
ensure_wasm_opt

say "building (release; the first build takes a while)"
cargo leptos build --release

export LEPTOS_SITE_ROOT="$ROOT/target/site"
export DATABASE_URL=${DATABASE_URL:-sqlite://data/lianzhao.db?mode=rwc}
addr=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
export LEPTOS_SITE_ADDR="$addr"
echo
say "Lianzhao 链招: open http://$addr"
"$CARGO_TARGET_DIR/release/lianzhao" demo-logins
echo
exec "$CARGO_TARGET_DIR/release/lianzhao" serve --seed-demo-if-empty
