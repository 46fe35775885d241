#!/usr/bin/env bash
# `make bench`: the performance figures at N leads (LEADS, default 100,000) in one run — the lead
# list through HTTP at 32 connections beside the same SQL directly, a rescore under load, the
# import of a generated xlsx, the release bundle's size, memory — on SQLite and, when PostgreSQL
# is installed (and BENCH_PG is not 0), on a throw-away PostgreSQL cluster. Release build.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
leads=${LEADS:-100000}
seconds=${BENCH_SECONDS:-3}
ensure_wasm_target
ensure_wasm_bindgen
ensure_wasm_opt
site="$CARGO_TARGET_DIR/bench-site"
say "building the release bundle (for its size) and the server"
scripts/build-site.sh "$site" release
cargo build --release -p lianzhao-server
bin="$CARGO_TARGET_DIR/release/lianzhao"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LEPTOS_SITE_ROOT="$site" RUST_LOG=error
say "SQLite"
DATABASE_URL="sqlite://$tmp/bench.db?mode=rwc" "$bin" bench --leads "$leads" --seconds "$seconds"
if [ "${BENCH_PG:-1}" != 0 ] && [ -n "$(pg_bin)" ]; then
  say "PostgreSQL"
  read -r pg_dir pg_url < <(scripts/pg-cluster.sh)
  trap 'scripts/pg-cluster.sh stop "$pg_dir"; rm -rf "$tmp"' EXIT
  DATABASE_URL="$pg_url" "$bin" bench --leads "$leads" --seconds "$seconds"
fi
