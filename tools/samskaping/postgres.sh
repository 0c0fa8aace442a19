# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): the project-local PostgreSQL.

# Binaries matching the data dir's major version, else the newest installed.
pg_bin() {
  local version
  if [[ -f $PG_DATA/PG_VERSION ]]; then
    version="$(<"$PG_DATA/PG_VERSION")"
    if [[ -x /usr/lib/postgresql/$version/bin/pg_ctl ]]; then
      echo "/usr/lib/postgresql/$version/bin"
      return
    fi
  fi
  newest_pg_bin
}

as_postgres() {
  (
    close_inherited_fds
    cd / # the caller's directory may be closed to postgres (e.g. under /root)
    runuser -u postgres -- env SAMSKAPING_OWNER="$ROOT" "$@"
  )
}

# pg_ctl status asks kill(pid, 0), which a zombie answers: a postmaster killed a moment ago whose exit PID 1 has not
# yet collected would count as running, and a start would then be skipped. pid_alive does not count zombies.
pg_running() {
  [[ -n $PG_DATA && -f $PG_DATA/postmaster.pid && -n $(pg_bin) ]] || return 1
  pid_alive "$(sed -n 1p "$PG_DATA/postmaster.pid")" || return 1
  as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# A new postmaster refuses a lock file whose pid still exists, and a zombie's does until it is collected.
pg_wait_stale_postmaster_gone() {
  local stale i
  [[ -f $PG_DATA/postmaster.pid ]] || return 0
  stale="$(sed -n 1p "$PG_DATA/postmaster.pid")"
  [[ $stale =~ ^[0-9]+$ ]] || return 0
  for ((i = 0; i < 300; i++)); do
    [[ -d /proc/$stale ]] || return 0
    sleep 0.1
  done
  warn "the previous PostgreSQL server (pid $stale) is still not collected by its parent after 30 s"
}

pg_running_port() { sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null; }

pg_init() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  local locale=C
  # C.UTF-8 sorts like C but knows Unicode character classes.
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' && locale=C.UTF-8
  mkdir -p "$PG_DATA"
  chown postgres:postgres "$PG_DATA"
  chmod 700 "$PG_DATA"
  say "initialising PostgreSQL in $PG_DATA"
  as_postgres "$(pg_bin)/initdb" -D "$PG_DATA" --auth=trust --username=postgres \
    -E UTF8 --locale="$locale" >"$LOGS/initdb.log" 2>&1 ||
    die "initdb failed, see $LOGS/initdb.log"
  # Our settings live in samskaping.conf, rewritten at every start.
  echo "include_if_exists = 'samskaping.conf'" >>"$PG_DATA/postgresql.conf"
  # Trust, but only over the data dir's socket and loopback.
  cat >"$PG_DATA/pg_hba.conf" <<'EOF'
# Written by ./samskaping: local development and tests only.
local all all               trust
host  all all 127.0.0.1/32  trust
EOF
  chown postgres:postgres "$PG_DATA/pg_hba.conf"
}

pg_configure() {
  cat >"$PG_DATA/samskaping.conf" <<EOF
# Written by ./samskaping at every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
# Many test hosts and services connect at once.
max_connections = 300
EOF
  if [[ ${SAMSKAPING_PG_DURABLE:-0} == 1 ]]; then
    # The fault suite kills the server with SIGKILL: only durable settings make "no acknowledged write lost" a
    # claim about PostgreSQL as it runs in production, not about a server that loses commits by design.
    printf '%s\n' "fsync = on" "synchronous_commit = on" "full_page_writes = on" >>"$PG_DATA/samskaping.conf"
  else
    # Local development and tests only: durability is traded for speed.
    printf '%s\n' "fsync = off" "synchronous_commit = off" "full_page_writes = off" >>"$PG_DATA/samskaping.conf"
  fi
  chown postgres:postgres "$PG_DATA/samskaping.conf"
}

# Rewrites the settings of a running server (fsync, synchronous_commit and full_page_writes take a reload).
pg_reconfigure() {
  pg_configure
  as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DATA" reload >/dev/null
}

pg_start() {
  pg_init
  if pg_running; then
    local running
    running="$(pg_running_port)"
    [[ $running == "$PG_PORT" ]] ||
      die "this checkout's PostgreSQL already runs on port $running (SAMSKAPING_PG_PORT=$PG_PORT asked); run './samskaping down' first"
    return 0
  fi
  ensure_port_free "$PG_PORT" "PostgreSQL" SAMSKAPING_PG_PORT
  pg_wait_stale_postmaster_gone
  pg_configure
  # shellcheck disable=SC2034 # read by stop_infra_started_here (infra.sh)
  PG_STARTED_HERE=1 # set first, so an interrupted start is cleaned up too
  # As for RabbitMQ (rmq_start): a client reconnecting while the server is down can hold its port for a moment.
  local attempt
  for attempt in 1 2 3 4 5; do
    if wait_port_unbound "$PG_PORT" 90 &&
      as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >"$LOGS/pg_ctl.log" 2>&1; then
      return 0
    fi
    warn "PostgreSQL did not start (attempt $attempt of 5); see $PG_DATA/server.log"
  done
  die "PostgreSQL did not start in 5 attempts; see $PG_DATA/server.log and $LOGS/pg_ctl.log"
}

# SIGKILL of the postmaster and every backend at once, as a crash of the machine would end them; returns when all
# are gone (the next start then recovers from the write-ahead log).
pg_kill() {
  local postmaster pids pid alive i
  postmaster="$(sed -n 1p "$PG_DATA/postmaster.pid" 2>/dev/null)"
  pid_alive "$postmaster" || die "PostgreSQL is not running"
  pids="$postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')"
  # shellcheck disable=SC2086 # a list of pids
  kill -KILL $pids 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    alive=0
    for pid in $pids; do
      pid_alive "$pid" && alive=1
    done
    ((alive)) || return 0
    sleep 0.1
  done
  die "PostgreSQL processes still alive 30 s after SIGKILL: $pids"
}

pg_stop() {
  pg_running || return 0
  say "stopping PostgreSQL"
  as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
}
