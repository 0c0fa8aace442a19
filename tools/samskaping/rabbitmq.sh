# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): the project-local RabbitMQ node.

# Run a RabbitMQ tool against our node. The Debian wrappers switch to user
# rabbitmq via `su` (which passes these variables through and sets HOME to
# /var/lib/rabbitmq), so server and CLI share that Erlang cookie.
rmq() {
  (
    close_inherited_fds
    export SAMSKAPING_OWNER="$ROOT"
    export RABBITMQ_NODENAME="$RMQ_NODENAME"
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT="$RMQ_PORT"
    export RABBITMQ_DIST_PORT="$RMQ_DIST_PORT"
    export ERL_EPMD_ADDRESS=127.0.0.1
    export ERL_EPMD_PORT="$RMQ_EPMD_PORT"
    # Without this the distribution port listens on all interfaces.
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export RABBITMQ_CONFIG_FILE="$RMQ_DATA/rabbitmq.conf"
    # Keep a system-wide advanced.config out of our node.
    export RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DATA/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DATA/enabled_plugins"
    export RABBITMQ_MNESIA_BASE="$RMQ_DATA/mnesia"
    export RABBITMQ_LOG_BASE="$RMQ_DATA/log"
    export RABBITMQ_PID_FILE="$RMQ_DATA/rabbitmq.pid"
    "$@"
  )
}

rmq_pid() {
  local pid
  pid="$(cat "$RMQ_DATA/rabbitmq.pid" 2>/dev/null || true)"
  # Guard against a stale pid file whose pid was reused.
  if pid_alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == beam* ]]; then
    echo "$pid"
  fi
}

rmq_running() { [[ -n $RMQ_DATA && -n $(rmq_pid) ]]; }

# The settings a running node was started with (for reuse, stop and status).
rmq_load_instance() {
  local file="$RMQ_DATA/instance.env"
  [[ -f $file ]] || return 0
  # shellcheck source=/dev/null
  source "$file"
}

rmq_save_instance() {
  cat >"$RMQ_DATA/instance.env" <<EOF
RMQ_PORT=$RMQ_PORT
RMQ_MGMT_PORT=$RMQ_MGMT_PORT
RMQ_DIST_PORT=$RMQ_DIST_PORT
RMQ_EPMD_PORT=$RMQ_EPMD_PORT
RMQ_NODENAME=$RMQ_NODENAME
EOF
}

rmq_prepare() {
  mkdir -p "$RMQ_DATA/mnesia" "$RMQ_DATA/log"
  cat >"$RMQ_DATA/rabbitmq.conf" <<EOF
# Written by ./samskaping at every start; edit the script, not this file.
listeners.tcp.default = 127.0.0.1:$RMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MGMT_PORT
# guest/guest may connect from anywhere — the node only listens on 127.0.0.1.
loopback_users = none
EOF
  echo '[rabbitmq_management].' >"$RMQ_DATA/enabled_plugins"
  chown -R rabbitmq:rabbitmq "$RMQ_DATA"
}

epmd_holder_is_epmd() {
  local pid
  pid="$(port_pids "$RMQ_EPMD_PORT" | head -n1)"
  [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == epmd ]]
}

rmq_wait_ready() {
  rmq_await_boot || die "RabbitMQ did not finish booting; see $RMQ_DATA/log/ and $LOGS/rabbitmq-server.log"
}

# Waits for the node to answer and its application to finish booting; fails early when the node died meanwhile.
rmq_await_boot() {
  local deadline=$((SECONDS + 60)) pid
  until rmq rabbitmq-diagnostics -q ping >/dev/null 2>&1; do
    pid="$(cat "$RMQ_DATA/rabbitmq.pid" 2>/dev/null || true)"
    if ((SECONDS >= deadline)) || { [[ -n $pid ]] && ! pid_alive "$pid"; }; then
      return 1
    fi
    sleep 1
  done
  rmq rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1
}

# Launches the node once its ports are unbound and waits until it has booted; a node that failed is killed.
rmq_launch() {
  local port
  for port in "$RMQ_PORT" "$RMQ_MGMT_PORT" "$RMQ_DIST_PORT"; do
    if ! wait_port_unbound "$port" 90; then
      warn "port $port is still bound after 90 s: $(ss -Htanp "( sport = :$port )" 2>/dev/null | head -n3 | tr -s ' ')"
      return 1
    fi
  done
  rm -f "$RMQ_DATA/rabbitmq.pid"
  # -detached returns at once; the node registers a few seconds later.
  rmq rabbitmq-server -detached >"$LOGS/rabbitmq-server.log" 2>&1 </dev/null || return 1
  rmq_await_boot && return 0
  rmq_kill_node
  return 1
}

# SIGKILL of our node; returns once the process is gone and epmd has forgotten it (a start before that is refused).
# A node whose boot failed may be halting by itself: its name can outlive its pid file, so epmd is waited for anyway.
rmq_kill_node() {
  local pid i
  pid="$(rmq_pid)"
  if [[ -n $pid ]]; then
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
  fi
  for ((i = 0; i < 100; i++)); do
    ERL_EPMD_PORT="$RMQ_EPMD_PORT" epmd -names 2>/dev/null | grep -q "^name ${RMQ_NODENAME%@*} at" || break
    sleep 0.1
  done
}

rmq_start() {
  if rmq_running; then
    local want_port="$RMQ_PORT" want_mgmt="$RMQ_MGMT_PORT"
    rmq_load_instance
    [[ $RMQ_PORT == "$want_port" && $RMQ_MGMT_PORT == "$want_mgmt" ]] ||
      die "this checkout's RabbitMQ already runs on ports $RMQ_PORT/$RMQ_MGMT_PORT; run './samskaping down' before changing ports"
    # It may still be booting, or a test may have stopped the application.
    if rmq rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
      rmq rabbitmqctl -q start_app >/dev/null 2>&1 || true
    fi
    rmq_wait_ready
    return 0
  fi
  ensure_port_free "$RMQ_PORT" "RabbitMQ AMQP" SAMSKAPING_RABBITMQ_PORT
  ensure_port_free "$RMQ_MGMT_PORT" "RabbitMQ management" SAMSKAPING_RABBITMQ_MANAGEMENT_PORT
  ensure_port_free "$RMQ_DIST_PORT" "RabbitMQ distribution" SAMSKAPING_RABBITMQ_DIST_PORT
  # An epmd on our port may be shared, but not another program, nor our node name.
  if port_in_use "$RMQ_EPMD_PORT"; then
    epmd_holder_is_epmd ||
      ensure_port_free "$RMQ_EPMD_PORT" "Erlang epmd" SAMSKAPING_RABBITMQ_EPMD_PORT
    if ERL_EPMD_PORT="$RMQ_EPMD_PORT" epmd -names 2>/dev/null | grep -q "^name ${RMQ_NODENAME%@*} at"; then
      die "an Erlang node named $RMQ_NODENAME is already registered on epmd port $RMQ_EPMD_PORT
  (probably another checkout's RabbitMQ). Run './samskaping down' there, or set
  SAMSKAPING_RABBITMQ_NODENAME and SAMSKAPING_RABBITMQ_EPMD_PORT to other values."
    fi
  fi
  rmq_prepare
  rmq_save_instance
  # shellcheck disable=SC2034 # read by stop_infra_started_here (infra.sh)
  RMQ_STARTED_HERE=1 # set first, so an interrupted start is cleaned up too
  # A boot can still lose its port to a client that connects to itself in the moment between our check and the
  # node's bind (see port_bound): that attempt fails with eaddrinuse, and the next one finds the port free.
  local attempt
  for attempt in 1 2 3 4 5; do
    rmq_launch && return 0
    warn "RabbitMQ did not boot (attempt $attempt of 5); see $RMQ_DATA/log/"
  done
  die "RabbitMQ did not finish booting in 5 attempts; see $RMQ_DATA/log/ and $LOGS/rabbitmq-server.log"
}

# The epmd our node started outlives it; stop it unless another node uses it.
epmd_stop() {
  epmd_holder_is_epmd || return 0
  local pid
  pid="$(port_pids "$RMQ_EPMD_PORT" | head -n1)"
  [[ $(proc_env "$pid" SAMSKAPING_OWNER) == "$ROOT" ]] || return 0
  ERL_EPMD_PORT="$RMQ_EPMD_PORT" epmd -names 2>/dev/null | grep -q '^name ' && return 0
  ERL_EPMD_PORT="$RMQ_EPMD_PORT" epmd -kill >/dev/null 2>&1 || true
}

rmq_stop() {
  [[ -n $RMQ_DATA ]] || return 0
  rmq_load_instance
  local pid
  pid="$(rmq_pid)"
  if [[ -n $pid ]]; then
    say "stopping RabbitMQ"
    if ! rmq rabbitmqctl -q shutdown --timeout 60 >/dev/null 2>&1; then
      # CLI could not reach the node: fall back to SIGTERM (a graceful stop too).
      kill -TERM "$pid" 2>/dev/null || true
      local i
      for ((i = 0; i < 30; i++)); do
        pid_alive "$pid" || break
        sleep 1
      done
      pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$RMQ_DATA/rabbitmq.pid"
  fi
  epmd_stop
}

# Integration tests simulate a broker outage: stop/start the RabbitMQ
# application while the Erlang node (and so our pid file) stays up.
cmd_broker() { # stop|start
  require_root
  if ! find_data_dir || ! rmq_running; then
    die "this checkout's RabbitMQ is not running (./samskaping infra)"
  fi
  rmq_load_instance
  case ${1:-} in
    stop) rmq rabbitmqctl -q stop_app >/dev/null ;;
    start)
      rmq rabbitmqctl -q start_app >/dev/null
      rmq rabbitmqctl -q await_startup --timeout 60 >/dev/null
      ;;
    *) usage_error "usage: ./samskaping broker stop|start" ;;
  esac
}
