#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on this machine and has the test role; prints its URL.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
PGPORT="${RECTORATE_PGPORT:-5432}"

if ! pg_isready -q -h 127.0.0.1 -p "$PGPORT"; then
  if command -v pg_lsclusters >/dev/null; then
    read -r ver name _ < <(pg_lsclusters -h | head -n1)
    if [ -z "${ver:-}" ]; then
      ver=$(ls /usr/lib/postgresql | sort -n | tail -n1)
      $SUDO pg_createcluster "$ver" main >&2
      name=main
    fi
    $SUDO pg_ctlcluster "$ver" "$name" start >&2 || true
  else
    $SUDO service postgresql start >&2
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p "$PGPORT" || { echo "PostgreSQL did not start" >&2; exit 1; }

run_psql() { $SUDO -u postgres psql -v ON_ERROR_STOP=1 -qAt -p "$PGPORT" "$@"; }
if [ "$(id -u)" = "0" ]; then run_psql() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt -p "$PGPORT" "$@"; }; fi
if [ "$(run_psql -c "SELECT 1 FROM pg_roles WHERE rolname='rectorate'")" != "1" ]; then
  run_psql -c "CREATE ROLE rectorate LOGIN SUPERUSER PASSWORD 'rectorate'" >&2
fi
if [ "$(run_psql -c "SELECT 1 FROM pg_database WHERE datname='rectorate'")" != "1" ]; then
  run_psql -c "CREATE DATABASE rectorate OWNER rectorate" >&2
fi
echo "postgres://rectorate:rectorate@127.0.0.1:${PGPORT}/rectorate"
