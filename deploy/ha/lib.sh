# SPDX-License-Identifier: Apache-2.0
# Shared by deploy/ha/start, stop, ctl and failover-test: the local HA topology's layout, ports and
# process control. Source it; it defines variables and functions only.
#
# Layout under $HA_DIR (default /tmp/arbiter-ha):
#   secrets.env            random passwords (0600, root)
#   run/<name>.pid         one pid per process (etcd, pg1, pg2, haproxy, arbiter1..N)
#   log/<name>.log         their output
#   etcd/                  etcd data (one member: a local stand-in for a 3-member cluster)
#   pg1/, pg2/             Patroni configuration and the PostgreSQL data directory of each node
#   haproxy.cfg            HAProxy: the Arbiter frontend (TLS passthrough) and the PostgreSQL one
#   arbiter/r1..rN         each replica's data directory (keys copied from r1, see docs/operations.md)
#
# Ports ($HA_BASE_PORT, default 27400):
#   +0  HAProxy -> Arbiter replicas (TCP, TLS passthrough)   +9  HAProxy stats (HTTP, loopback)
#   +1  etcd clients  +2 etcd peers
#   +10 HAProxy -> PostgreSQL primary (TCP)
#   +11, +12  PostgreSQL pg1, pg2     +21, +22  Patroni REST API of pg1, pg2
#   +31 ...   Arbiter replicas 1..N (HTTPS)

HA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HA_DIR="${HA_DIR:-/tmp/arbiter-ha}"
HA_BASE_PORT="${HA_BASE_PORT:-27400}"
HA_REPLICAS="${HA_REPLICAS:-3}"
HA_USER="${HA_USER:-arbiter-ha}"
HA_PG_BIN="${HA_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
HA_SCOPE="arbiter-ha"

PORT_LB=$((HA_BASE_PORT + 0))
PORT_ETCD=$((HA_BASE_PORT + 1))
PORT_ETCD_PEER=$((HA_BASE_PORT + 2))
PORT_STATS=$((HA_BASE_PORT + 9))
PORT_PG_LB=$((HA_BASE_PORT + 10))

pg_port() { echo $((HA_BASE_PORT + 10 + $1)); }
patroni_port() { echo $((HA_BASE_PORT + 20 + $1)); }
replica_port() { echo $((HA_BASE_PORT + 30 + $1)); }

ha_log() { echo "ha: $*" >&2; }
ha_die() {
  echo "ha: $*" >&2
  exit 2
}

pid_file() { echo "$HA_DIR/run/$1.pid"; }

# is_running NAME: the recorded process is alive
is_running() {
  local f
  f="$(pid_file "$1")"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

# launch NAME USER CMD...: runs CMD in a new session (its own process group) as USER (root: as is;
# another user: setpriv, which execs, so the recorded pid is the process itself), output to
# log/NAME.log
launch() {
  local name="$1" user="$2"
  shift 2
  local log="$HA_DIR/log/$name.log"
  if [[ "$user" == root ]]; then
    setsid "$@" >>"$log" 2>&1 </dev/null &
  else
    setsid setpriv --reuid="$user" --regid="$user" --init-groups --reset-env \
      env HOME="$HA_DIR" PATH="/usr/bin:/bin:$HA_PG_BIN" "$@" >>"$log" 2>&1 </dev/null &
  fi
  echo $! >"$(pid_file "$name")"
}

# stop_process NAME [SIGNAL]: signals the process group of NAME (TERM by default), waits up to 20 s,
# then KILLs what is left
stop_process() {
  local name="$1" sig="${2:-TERM}" f pid
  f="$(pid_file "$name")"
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -s "$sig" -- "-$pid" 2>/dev/null || kill -s "$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# kill_pg_node N: the whole node dies at once (Patroni and PostgreSQL, SIGKILL), as when a host
# fails; Patroni on the other node takes over when the leader key expires (ttl)
kill_pg_node() {
  local n="$1" pm
  pm="$HA_DIR/pg$n/data/postmaster.pid"
  stop_process "pg$n" KILL
  if [[ -f "$pm" ]]; then
    kill -KILL "$(head -1 "$pm")" 2>/dev/null || true
  fi
}

start_pg_node() {
  local n="$1"
  is_running "pg$n" && return 0
  launch "pg$n" "$HA_USER" patroni "$HA_DIR/pg$n/patroni.yml"
}

start_replica() {
  local n="$1" dir="$HA_DIR/arbiter/r$1"
  is_running "arbiter$n" && return 0
  # the database URL carries the password: passed in the environment, never on a command line;
  # a fixed heap per replica (a heap free to grow faults in fresh memory under load: operations.md)
  # shellcheck disable=SC1091
  source "$HA_DIR/secrets.env"
  ARBITER_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PORT_PG_LB/arbiter?user=arbiter&password=$ARBITER_DB_PASSWORD&tcpKeepAlive=true&connectTimeout=3" \
    ARBITER_JAVA_OPTS="${HA_ARBITER_JAVA_OPTS:--Xms768m -Xmx768m}" \
    launch "arbiter$n" root "$HA_ROOT/arbiter" serve --dev \
    --data-dir "$dir" --listen 127.0.0.1 --port "$(replica_port "$n")" \
    --log-origin arbiter.local/ha --external-url "https://127.0.0.1:$PORT_LB"
}

# http_ok URL: curl succeeds with 2xx (TLS not verified: health probes only)
http_ok() { curl -fsk -o /dev/null --max-time 2 "$1"; }

# wait_for WHAT SECONDS CMD...: retries CMD every 0.2 s
wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || ha_die "timed out after ${seconds}s waiting for $what (logs: $HA_DIR/log)"
    sleep 0.2
  done
}

replica_ready() { http_ok "https://127.0.0.1:$(replica_port "$1")/readyz"; }

# primary_node: the node number whose Patroni answers /primary with 200, or nothing
primary_node() {
  local n
  for n in 1 2; do
    if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$(patroni_port "$n")/primary"; then
      echo "$n"
      return 0
    fi
  done
  return 1
}

# sync_standby_node: the node whose Patroni answers /sync (synchronous standby) with 200
sync_standby_node() {
  local n
  for n in 1 2; do
    if curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$(patroni_port "$n")/sync"; then
      echo "$n"
      return 0
    fi
  done
  return 1
}

psql_super() {
  # shellcheck disable=SC1091
  source "$HA_DIR/secrets.env"
  PGPASSWORD="$PG_SUPER_PASSWORD" "$HA_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PORT_PG_LB" -U postgres "$@"
}
