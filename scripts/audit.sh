#!/usr/bin/env bash
# Supply-chain checks, part of `make test`: cargo deny (advisories, licences, bans, sources;
# config .ci/deny.toml) and cargo audit, against the RustSec advisory database. The live database
# is fetched when the network allows; otherwise (package registries only) the snapshot shipped in
# .ci/advisory-db.tar.xz is used, and its date is printed so a stale one is seen.
#   scripts/audit.sh                      check
#   scripts/audit.sh --refresh-snapshot   rewrite .ci/advisory-db.tar.xz from a fresh fetch
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

CARGO_DENY_VERSION=0.20.2
CARGO_AUDIT_VERSION=0.22.2
# Where cargo deny keeps the default database (its directory name hashes the upstream URL).
DB="$HOME/.cargo/advisory-dbs/advisory-db-3157b0e258782691"
SNAPSHOT_DATE="2026-08-21T08:28:40+02:00"   # the upstream commit date of the snapshot (.ci/advisory-db.txt)

ensure_tool() { # name version
  if [ "$("$1" --version 2>/dev/null | awk '{print $NF}')" != "$2" ]; then
    say "installing $1 $2 (a few minutes, once)"
    cargo install --locked "$1" --version "$2"
  fi
}
ensure_tool cargo-deny "$CARGO_DENY_VERSION"
ensure_tool cargo-audit "$CARGO_AUDIT_VERSION"

use_snapshot() {
  rm -rf "$DB" && mkdir -p "$DB"
  tar -xJf .ci/advisory-db.tar.xz -C "$DB"
  (cd "$DB" && git init -q -b main && git add -A &&
    GIT_AUTHOR_DATE="$SNAPSHOT_DATE" GIT_COMMITTER_DATE="$SNAPSHOT_DATE" \
      git -c user.name=snapshot -c user.email=snapshot@lianzhao.invalid commit -qm "advisory-db snapshot")
}

if timeout 60 cargo deny --config .ci/deny.toml fetch db >/dev/null 2>&1 && [ -d "$DB/crates" ]; then
  say "advisory database: fetched just now"
elif [ -d "$DB/crates" ]; then
  say "advisory database: no network; using the copy on this machine of $(git -C "$DB" log -1 --format=%cs 2>/dev/null)"
else
  use_snapshot
  say "advisory database: no network; using the shipped snapshot of ${SNAPSHOT_DATE%%T*}"
fi

if [ "${1:-}" = "--refresh-snapshot" ]; then
  tar -cJf .ci/advisory-db.tar.xz -C "$DB" --exclude=.git --exclude=.github crates rust LICENSE.txt README.md
  say "wrote .ci/advisory-db.tar.xz from $(git -C "$DB" log -1 --format='%H %cI'); update SNAPSHOT_DATE and .ci/advisory-db.txt"
  exit 0
fi

say "cargo deny: advisories, licences, bans, sources"
# Every package of every platform, so the checks below can run offline (the database must not
# be fetched again: that is what --offline is for).
cargo fetch --locked --quiet
cargo deny --offline --config .ci/deny.toml check

say "cargo audit"
# Waivers, each with its reason:
#  RUSTSEC-2023-0071 (rsa, Marvin timing attack): only reachable through sqlx's MySQL driver,
#    which this app never builds (`cargo tree -i rsa --target all` prints nothing); it is in
#    Cargo.lock only because sqlx's macros list every driver.
cargo audit --db "$DB" --no-fetch --stale --ignore RUSTSEC-2023-0071
