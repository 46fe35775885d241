#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the tests on a free loopback port and prints its
# admin URL; `pg-cluster.sh stop DIR` stops and deletes it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bin=$(pg_bin)
run_as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "${1:-}" = stop ]; then
  dir=$2
  run_as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
dir=$(mktemp -d /tmp/lianzhao-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=$( [ "$(id -u)" = 0 ] && echo postgres || id -un )
run_as_postgres "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
run_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "$dir postgres://$user@127.0.0.1:$port/postgres"
