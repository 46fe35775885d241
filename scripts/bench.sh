#!/usr/bin/env bash
# `make bench`: the performance figures (rescoring and the lead list at N leads, default 100,000)
# on SQLite and, when PostgreSQL is installed, on a throw-away PostgreSQL cluster. Release build.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
leads=${LEADS:-100000}
cargo build --release -p lianzhao-server
bin="$CARGO_TARGET_DIR/release/lianzhao"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say "SQLite"
RUST_LOG=error DATABASE_URL="sqlite://$tmp/bench.db?mode=rwc" "$bin" bench --leads "$leads"
if [ -n "$(pg_bin)" ]; then
  say "PostgreSQL"
  read -r pg_dir pg_url < <(scripts/pg-cluster.sh)
  trap 'scripts/pg-cluster.sh stop "$pg_dir"; rm -rf "$tmp"' EXIT
  RUST_LOG=error DATABASE_URL="$pg_url" "$bin" bench --leads "$leads"
fi
