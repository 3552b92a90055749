#!/usr/bin/env bash
# Runs the consent-log receiver's tests (log/): unit tests and the end-to-end
# tests that start the real koekje-log binary, on SQLite and on a throwaway
# PostgreSQL started here (stopped again on exit, whatever happens).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-temp.sh
# The tests' SQLite files go to a directory of their own, removed at the end.
test_tmp=$(mktemp -d /tmp/koekje-log-tests.XXXXXX)
trap 'pg_temp_stop; rm -rf "$test_tmp"' EXIT
pg_temp_start
TMPDIR=$test_tmp cargo test -p koekje-log "$@" 2>&1
