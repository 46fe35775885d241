#!/usr/bin/env bash
# `make bench`: the performance figures at N leads (LEADS, default 100,000) in one run — the lead
# list through HTTP at 32 connections beside the same SQL directly, a rescore under load, the
# import of a generated xlsx, the release bundle's size, memory — on SQLite and, when PostgreSQL
# is installed (and BENCH_PG is not 0), on a throw-away PostgreSQL cluster. Release build.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
leads=${LEADS:-100000}
seconds=${BENCH_SECONDS:-3}
ensure_build_tools
build_release
site="$RELEASE_SITE"
bin="$RELEASE_BIN"
say "the browser bundle (raw, gzip, brotli)"
scripts/size-gate.sh "$site" || true
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
say "browser: first and repeat visits on throttled networks"
apt_ensure "chromium chromium-driver" chromium chromedriver
LZ_RELEASE_BIN="$bin" LZ_RELEASE_SITE="$site" cargo test --workspace --features app/ssr --test release \
  -- --ignored --nocapture bench_first_and_repeat_visits 2>&1 | grep -v '^running\|^test \|^$'
say "the field app: the offline package of a week with 30 visits, and opening it offline"
LZ_RELEASE_BIN="$bin" LZ_RELEASE_SITE="$site" cargo test --workspace --features app/ssr --test release \
  -- --ignored --nocapture bench_the_offline_package 2>&1 | grep -v '^running\|^test \|^$'
