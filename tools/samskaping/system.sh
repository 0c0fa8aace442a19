# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): the whole system under the Aspire AppHost (up, down, status).

apphost_pid() {
  local pid
  pid="$(cat "$APPHOST_PID_FILE" 2>/dev/null || true)"
  if pid_alive "$pid" && grep -q 'Samskaping.AppHost' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}

http_status() { # URL -> HTTP status code, or 000
  local url=$1 host port path line
  if command -v curl >/dev/null; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" || true
    return
  fi
  # No curl: a bare HTTP/1.0 request over bash's /dev/tcp.
  host="${url#http://}"
  path="/${host#*/}"
  host="${host%%/*}"
  port="${host##*:}"
  # shellcheck disable=SC2016 # expanded by the inner bash
  line="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\n\r\n" "$2" >&3 && head -n1 <&3' \
    "${host%%:*}" "$port" "$path" 2>/dev/null || true)"
  read -r _ line _ <<<"${line:-x 000}"
  echo "$line"
}

print_urls() {
  local name port
  echo
  echo "Workspace        http://127.0.0.1:$GATEWAY_PORT/  (the web app: sign in as Kari Nordmann, coordinator in oppvekst)"
  echo "Gateway          http://127.0.0.1:$GATEWAY_PORT/api/..."
  echo "Sign-in (dev)    $IDP_URL  (the development identity provider: demo people, discovery, JWKS)"
  echo "API reference    http://127.0.0.1:$GATEWAY_PORT/docs"
  echo "Dashboard        http://127.0.0.1:$DASHBOARD_PORT/"
  echo "RabbitMQ admin   $SAMSKAPING_RABBITMQ_MANAGEMENT  (guest/guest)"
  echo "PostgreSQL       $SAMSKAPING_POSTGRES"
  echo "Services (direct):"
  for name in cases:5081 coordination:5082 grants:5083 outcomes:5084 benefits:5085 nav-simulator:5086 identity:$IDP_PORT workspace:5088; do
    port="${name#*:}"
    printf '  %-14s http://127.0.0.1:%s/\n' "${name%%:*}" "$port"
  done
  echo
  echo "A token from the identity provider (sectors: ${SECTORS[*]}; roles: ${ROLES[*]}):"
  echo "  TOKEN=\$(./samskaping token --sector oppvekst --role caseworker)"
  echo "  curl -X POST http://127.0.0.1:$GATEWAY_PORT/api/cases -H \"Authorization: Bearer \$TOKEN\" \\"
  echo "    -H 'Content-Type: application/json' -d '{\"householdName\": \"Familien Berg\", \"need\": {\"text\": \"Vi trenger hjelp.\"}}'"
  echo "  (the README's walk-through goes on from there)"
  echo "The NAV-style simulator: faults at http://127.0.0.1:5086/simulator/faults (services/Samskaping.Benefits/README.md)"
  echo
  echo "Logs: $APPHOST_LOG    Stop: ./samskaping down"
}

apphost_start() {
  [[ -d $ROOT/$APPHOST_PROJECT ]] || die "no AppHost project at $APPHOST_PROJECT"
  : >"$APPHOST_LOG"
  # Own session and process group, so `down` can stop everything it spawned.
  # No launch profile: the URLs and dashboard settings come from here.
  (
    cd "$ROOT" || exit
    export ASPNETCORE_URLS="http://127.0.0.1:$DASHBOARD_PORT"
    export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
    export ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true
    export ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$OTLP_PORT"
    export DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$OTLP_PORT"
    # The AppHost gives the gateway this port (overridable, like the others).
    export SAMSKAPING_GATEWAY_PORT="$GATEWAY_PORT"
    # Tokens come from the development identity provider: no process may inherit the HS256 settings of the tests.
    export SAMSKAPING_DEV_SECRET="${Auth__SigningKey:?}" SAMSKAPING_AUTH_AUDIENCE="$AUTH_AUDIENCE" SAMSKAPING_IDP_KEY_FILE="$IDP_KEY_FILE"
    unset Auth__SigningKey Auth__Issuer Auth__Audience
    export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
    export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
    setsid nohup dotnet run --project "$APPHOST_PROJECT" -c Release --no-build --no-launch-profile \
      >>"$APPHOST_LOG" 2>&1 </dev/null &
    echo $! >"$APPHOST_PID_FILE"
  )
}

wait_for_gateway() {
  local url="http://127.0.0.1:$GATEWAY_PORT/health/ready" deadline=$((SECONDS + 180))
  printf 'samskaping: waiting for %s ' "$url"
  until [[ $(http_status "$url") == 200 ]]; do
    if [[ -z $(apphost_pid) ]]; then
      echo
      tail -n 40 "$APPHOST_LOG" >&2
      die "the AppHost exited; full log: $APPHOST_LOG"
    fi
    if ((SECONDS >= deadline)); then
      echo
      tail -n 40 "$APPHOST_LOG" >&2
      die "the gateway was not ready within 180 s (the AppHost still runs; './samskaping down' stops it). Log: $APPHOST_LOG"
    fi
    printf '.'
    sleep 2
  done
  echo " ready"
}

apphost_stop() {
  local pid i
  pid="$(apphost_pid)"
  if [[ -n $pid ]]; then
    say "stopping the AppHost (pid $pid)"
    # dotnet run forwards SIGTERM; the AppHost then stops its resources.
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      kill -0 -- "-$pid" 2>/dev/null || break # nobody left in its process group
      sleep 1
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
      warn "the AppHost did not stop within 20 s; killing its process group"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$APPHOST_PID_FILE"
}

cmd_up() {
  require_root
  ensure_state_dir
  if [[ -n $(apphost_pid) ]]; then
    ensure_infra
    say "already up (AppHost pid $(apphost_pid))"
    print_urls
    return
  fi
  ensure_infra
  ensure_idp_key
  print_infra
  local sln
  sln="$(solution_file)"
  say "building $(basename "$sln") (Release)"
  dotnet build "$sln" -c Release || die "build failed"
  port_in_use "$GATEWAY_PORT" &&
    die "port $GATEWAY_PORT (gateway) is already in use by $(describe_port_holder "$GATEWAY_PORT"); set SAMSKAPING_GATEWAY_PORT or stop it"
  say "starting the AppHost (log: $APPHOST_LOG)"
  apphost_start
  wait_for_gateway
  print_urls
}

cmd_down() {
  require_root
  apphost_stop
  if find_data_dir; then
    rmq_stop
    pg_stop
  fi
  say "down"
}

cmd_status() {
  local pid
  require_root
  if ! find_data_dir; then
    echo "nothing started from this checkout yet"
    return
  fi
  echo "data: $DATA"
  if pg_running; then
    echo "PostgreSQL  running on 127.0.0.1:$(pg_running_port)"
  else
    echo "PostgreSQL  stopped"
  fi
  pid="$(rmq_pid)"
  if [[ -n $pid ]]; then
    rmq_load_instance
    echo "RabbitMQ    running (pid $pid): amqp 127.0.0.1:$RMQ_PORT, management http://127.0.0.1:$RMQ_MGMT_PORT/"
  else
    echo "RabbitMQ    stopped"
  fi
  pid="$(apphost_pid)"
  if [[ -n $pid ]]; then
    echo "AppHost     running (pid $pid), dashboard http://127.0.0.1:$DASHBOARD_PORT/," \
      "gateway ready: $(http_status "http://127.0.0.1:$GATEWAY_PORT/health/ready")"
  else
    echo "AppHost     stopped"
  fi
}
