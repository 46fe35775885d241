#!/usr/bin/env bash
# `make hardening`: the durability suite at full length, printing its figures (a short form of
# each runs in `make test`):
#  - F1 crash: kill -9 the server and an import at random moments while leads are created,
#    LZ_CRASH_ROUNDS times (default 100): integrity ok, every 201 kept, imports all or nothing;
#  - F6 writers: 50 people editing one lead from the same version (one wins, 49 get 409) while
#    50 others save and move their own leads, no "database is locked";
#  - backup while serving and importing, then restore.
# Load (L1/L3) is not part of it yet: `make bench` has the list, rescore and import figures.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
say "F1: kill -9 at random moments, ${LZ_CRASH_ROUNDS:=100} rounds"
LZ_CRASH_ROUNDS="$LZ_CRASH_ROUNDS" cargo test --workspace --features app/ssr --test crash -- --nocapture 2>&1 \
  | grep -E '^F1|panicked|FAILED|test result'
say "F6: 100 concurrent writers"
cargo test --workspace --features app/ssr --test http -- --nocapture fifty_writers 2>&1 | grep -E 'panicked|FAILED|test result'
say "backup while serving and importing, then restore"
cargo test --workspace --features app/ssr --test cli -- backup 2>&1 | grep -E 'panicked|FAILED|test result'
