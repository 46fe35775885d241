#!/usr/bin/env bash
# `make hardening`: the durability suite at full length, printing its figures (a short form of
# each runs in `make test`):
#  - F1 crash: kill -9 the server and an import at random moments while leads are created, and
#    the server while its mail goes to a relay,
#    LZ_CRASH_ROUNDS times (default 100): integrity ok, every 201 kept, imports all or nothing;
#  - F6 writers: 50 people editing one lead from the same version (one wins, 49 get 409) while
#    50 others save and move their own leads, no "database is locked";
#  - backup while serving and importing, then restore;
#  - L1: an office's day (lists with the page's filters, lead pages, the board, saves, stage moves,
#    exports, reports) at 100 people with think time for LZ_L1_SECONDS (default 600) at 100,000
#    leads, release build; L3: the same while a 100,000-row import commits and every lead is
#    rescored. On SQLite, and on PostgreSQL when it is installed (BENCH_PG=0 skips it).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
say "F1: kill -9 at random moments, ${LZ_CRASH_ROUNDS:=100} rounds"
LZ_CRASH_ROUNDS="$LZ_CRASH_ROUNDS" cargo test --workspace --features app/ssr --test crash --test crash_mail -- --nocapture 2>&1 \
  | grep -E '^F1|panicked|FAILED|test result'
say "F6: 100 concurrent writers"
cargo test --workspace --features app/ssr --test http -- --nocapture fifty_writers 2>&1 | grep -E 'panicked|FAILED|test result'
say "backup while serving and importing, then restore"
cargo test --workspace --features app/ssr --test cli -- backup 2>&1 | grep -E 'panicked|FAILED|test result'
say "L1/L3: an office's day at ${LZ_L1_USERS:=100} people, ${LZ_L1_SECONDS:=600} s, ${LEADS:=100000} leads (release build)"
ensure_build_tools
build_release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
office=(bench --leads "$LEADS" --office-only --users "$LZ_L1_USERS" --office-seconds "$LZ_L1_SECONDS")
LEPTOS_SITE_ROOT="$RELEASE_SITE" RUST_LOG=error DATABASE_URL="sqlite://$tmp/l1.db?mode=rwc" "$RELEASE_BIN" "${office[@]}"
if [ "${BENCH_PG:-1}" != 0 ] && [ -n "$(pg_bin)" ]; then
  say "L1/L3 on PostgreSQL"
  read -r pg_dir pg_url < <(scripts/pg-cluster.sh)
  trap 'scripts/pg-cluster.sh stop "$pg_dir"; rm -rf "$tmp"' EXIT
  LEPTOS_SITE_ROOT="$RELEASE_SITE" RUST_LOG=error DATABASE_URL="$pg_url" "$RELEASE_BIN" "${office[@]}"
fi
