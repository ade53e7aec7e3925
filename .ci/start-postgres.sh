#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1:${PGPORT:-54329} for the test
# suite and prints the TEST_DATABASE_URL to use. Idempotent: reuses a running one.
set -euo pipefail
port="${PGPORT:-54329}"
url="postgres://postgres@127.0.0.1:${port}/postgres"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$bindir" ]; then
  echo "start-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  echo "$url"
  exit 0
fi
data="${PGDATA_DIR:-/tmp/clearing-ci-postgres}"
rm -rf "$data"
mkdir -p "$data"
chown postgres:postgres "$data"
run_as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
run_as_postgres "'$bindir/initdb' -D '$data/pg' -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8" >/dev/null
run_as_postgres "'$bindir/pg_ctl' -D '$data/pg' -l '$data/log' -w -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null
echo "$url"
