#!/usr/bin/env bash
# `npm run bench:log`: events per second of the consent-log receiver (the
# `server` profile build) on SQLite, on PostgreSQL, and with two receivers
# sharing one PostgreSQL. Loopback only; starts and stops its own PostgreSQL.
# Options go to scripts/bench-log.mjs (--events N --clients N).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg-temp.sh
trap pg_temp_stop EXIT
cargo build --profile server -p koekje-log
pg_temp_start
KOEKJE_LOG_BIN=target/server/koekje-log node scripts/bench-log.mjs "$@"
