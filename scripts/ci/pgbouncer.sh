#!/usr/bin/env bash
# Starts a PgBouncer of our own in transaction mode in front of a PostgreSQL server, for CI and local
# runs: `scripts/ci/pgbouncer.sh start <dir> [listen port] [server port]` writes its config, log and pid
# into <dir> and waits until it accepts connections; `scripts/ci/pgbouncer.sh stop <dir>` stops it.
# Trust authentication, as the local CI server uses; every database name is passed through.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory for config, log and pid}
listen_port=${3:-6432}
server_port=${4:-5432}

case "$cmd" in
  start)
    bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    if [ ! -x "$bin" ]; then
      apt-get install -y -qq pgbouncer >/dev/null
      bin=/usr/sbin/pgbouncer
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    echo '"postgres" ""' >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$server_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen_port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
; Few server connections, so the tests' concurrent transactions really do share them.
default_pool_size = 4
max_client_conn = 200
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    # PgBouncer refuses to run as root.
    if [ "$(id -u)" = 0 ]; then
      chown -R postgres "$dir"
      runuser -u postgres -- "$bin" -d "$dir/pgbouncer.ini"
    else
      "$bin" -d "$dir/pgbouncer.ini"
    fi
    for _ in $(seq 1 50); do
      pg_isready -h 127.0.0.1 -p "$listen_port" -q && exit 0
      sleep 0.2
    done
    echo "PgBouncer did not start on port $listen_port:" >&2
    cat "$dir/pgbouncer.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
    ;;
  *)
    echo "usage: $0 start|stop <dir> [listen port] [server port]" >&2
    exit 2
    ;;
esac
