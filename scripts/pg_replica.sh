#!/usr/bin/env bash
# Start (or stop) a real streaming replica of the local PostgreSQL on 127.0.0.1:5433, for the
# replica-router test and for trying DATABASE_REPLICA_URL by hand. Needs root (it runs
# pg_basebackup and pg_ctl as the machine's postgres user and allows local replication
# connections in pg_hba.conf). Usage: scripts/pg_replica.sh start|stop|status
set -euo pipefail
PORT="${REPLICA_PORT:-5433}"
DIR="${REPLICA_DIR:-/var/tmp/dfed-replica}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
ver=$(ls /etc/postgresql | sort -V | tail -n 1)
bin="/usr/lib/postgresql/$ver/bin"
hba="/etc/postgresql/$ver/main/pg_hba.conf"
as_pg() { runuser -u postgres -- "$@"; }

case "${1:-start}" in
  status)
    pg_isready -q -h 127.0.0.1 -p "$PORT" && echo "replica up on $PORT" || { echo "replica down"; exit 1; }
    ;;
  stop)
    [ -d "$DIR" ] && as_pg "$bin/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  start)
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
      echo "replica already up on 127.0.0.1:$PORT"; exit 0
    fi
    if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
      echo "host replication all 127.0.0.1/32 trust" >> "$hba"
      as_pg "$bin/pg_ctl" -D "/var/lib/postgresql/$ver/main" reload >/dev/null 2>&1 \
        || pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
      sleep 1
    fi
    rm -rf "$DIR"; mkdir -p "$(dirname "$DIR")"
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR" -R -X stream -c fast
    # Debian keeps the configuration outside the data directory: give the replica its own.
    as_pg bash -c "cat > '$DIR/postgresql.conf'" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
max_connections = 100
shared_buffers = 64MB
max_standby_streaming_delay = 5s
hot_standby_feedback = on
CONF
    as_pg bash -c "printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > '$DIR/pg_hba.conf'; : > '$DIR/pg_ident.conf'"
    as_pg "$bin/pg_ctl" -D "$DIR" -l "$DIR/replica.log" -w -t 60 start >/dev/null
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 1; done
    pg_isready -h 127.0.0.1 -p "$PORT"
    ;;
  *) echo "usage: $0 start|stop|status"; exit 2 ;;
esac
