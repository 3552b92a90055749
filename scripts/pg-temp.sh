# Sourced: pg_temp_start starts a throwaway PostgreSQL in a temp directory,
# on 127.0.0.1 and a free port, as an unprivileged user (postgres cannot run
# as root), and exports KOEKJE_LOG_TEST_POSTGRES (a URL to its `postgres`
# database); pg_temp_stop stops it and removes the directory.

pg_temp_bin() {
  local d
  if command -v pg_ctl >/dev/null; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  for d in /usr/lib/postgresql/*/bin; do [[ -x $d/pg_ctl ]] && { echo "$d"; return; }; done
  return 1
}

pg_temp_start() {
  local bin user port
  bin=$(pg_temp_bin) || { bash "$(dirname "${BASH_SOURCE[0]}")/setup-postgres.sh"; bin=$(pg_temp_bin); }
  user=$(id -un)
  if [[ $(id -u) -eq 0 ]]; then
    user=postgres
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  PG_TEMP_DIR=$(mktemp -d /tmp/koekje-pg.XXXXXX)
  chown "$user" "$PG_TEMP_DIR"
  chmod 700 "$PG_TEMP_DIR"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
  PG_TEMP_AS="$user"; PG_TEMP_BIN="$bin"
  as_pg "$bin/initdb" -D "$PG_TEMP_DIR/data" -U koekje -A trust --no-sync -E UTF8 >"$PG_TEMP_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEMP_DIR/initdb.log"; return 1; }
  as_pg "$bin/pg_ctl" -D "$PG_TEMP_DIR/data" -l "$PG_TEMP_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEMP_DIR -c max_connections=300" start >/dev/null \
    || { cat "$PG_TEMP_DIR/server.log"; return 1; }
  export KOEKJE_LOG_TEST_POSTGRES="postgres://koekje@127.0.0.1:$port/postgres"
  echo "pg-temp: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_TEMP_DIR)"
}

pg_temp_stop() {
  [[ -n "${PG_TEMP_DIR:-}" && -d "$PG_TEMP_DIR" ]] || return 0
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$PG_TEMP_AS" -- "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  else
    "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TEMP_DIR"
  PG_TEMP_DIR=
}
