# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): the side-by-side benchmarks and the fault suite.

cmd_bench() {
  # Stop only what this run started (the driver stops the services it started itself, also on Ctrl-C).
  stop_started_servers_on_exit
  ensure_infra
  if ! command -v wrk >/dev/null; then
    say "installing wrk (Debian) for the saturation runs…"
    apt_install "$LOGS/apt.log" wrk || die "apt-get install wrk failed, see $LOGS/apt.log"
  fi
  # The driver references the services, the gateway and the simulator, so this builds the whole system in Release.
  say "building the system and the benchmark driver (Release)"
  dotnet build "$ROOT/tools/Samskaping.Bench/Samskaping.Bench.csproj" -c Release -warnaserror -v quiet -nologo ||
    die "build failed"
  # What is measured is what ships: each process published ReadyToRun-compiled, as docker/Dockerfile does (the
  # first publish restores the runtime's crossgen package and takes a few minutes; later ones are incremental).
  local project rid published="$STATE/bench/publish"
  if [[ " $* " == *" --list "* ]]; then
    exec dotnet "$ROOT/tools/Samskaping.Bench/bin/Release/net10.0/Samskaping.Bench.dll" "$@"
  fi
  rid="$(bench_rid)" || exit 1
  say "publishing the processes ReadyToRun ($rid) into ${published#"$ROOT"/}"
  for project in "${BENCH_PROJECTS[@]}"; do
    dotnet publish "$ROOT/$project" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
      -o "$published/$(basename "$project")" -warnaserror -v quiet -nologo >"$LOGS/bench-publish.log" 2>&1 ||
      { tail -n 30 "$LOGS/bench-publish.log" >&2; die "publishing $project failed (log: $LOGS/bench-publish.log)"; }
  done
  SAMSKAPING_BENCH_PUBLISHED="$published" dotnet "$ROOT/tools/Samskaping.Bench/bin/Release/net10.0/Samskaping.Bench.dll" "$@"
}

BENCH_PROJECTS=(services/Samskaping.Cases services/Samskaping.Coordination services/Samskaping.Grants services/Samskaping.Outcomes
  services/Samskaping.Benefits gateway/Samskaping.Gateway tools/Samskaping.NavSimulator services/Samskaping.Workspace
  tools/Samskaping.IdentityProvider)

bench_rid() { # the .NET runtime identifier of this machine, for ReadyToRun
  case "$(uname -m)" in
    x86_64) echo linux-x64 ;;
    aarch64 | arm64) echo linux-arm64 ;;
    *) die "no ReadyToRun runtime identifier known for $(uname -m)" ;;
  esac
}

CHAOS_PROJECTS=(services/Samskaping.Cases services/Samskaping.Grants services/Samskaping.Coordination services/Samskaping.Outcomes services/Samskaping.Benefits gateway/Samskaping.Gateway tools/Samskaping.NavSimulator tools/Samskaping.Chaos)
CHAOS_DLL="tools/Samskaping.Chaos/bin/Release/net10.0/Samskaping.Chaos.dll"

cmd_chaos() {
  ensure_infra
  local project
  say "building the services and the fault suite (Release)"
  for project in "${CHAOS_PROJECTS[@]}"; do
    dotnet build "$ROOT/$project" -c Release -warnaserror -v quiet -nologo || die "build of $project failed"
  done
  run_fault_suite "$@"
}

# The suite's PostgreSQL runs durable (fsync, synchronous_commit) while the suite runs, since postgres-kill is a
# SIGKILL, and fast again afterwards (a start after an interrupted run writes the fast settings back, too).
run_fault_suite() {
  local rc=0
  SAMSKAPING_PG_DURABLE=1 pg_reconfigure
  SAMSKAPING_PG_DURABLE=1 dotnet "$ROOT/$CHAOS_DLL" "$@" || rc=$?
  SAMSKAPING_PG_DURABLE=0 pg_reconfigure || warn "could not switch PostgreSQL back to its fast settings"
  return "$rc"
}

# For the fault suite only (it calls back into this script): kill -9 and restart the servers of this checkout, and
# back up and restore one database.
cmd_chaos_control() { # rabbitmq-kill|rabbitmq-start|postgres-kill|postgres-start|postgres-backup|postgres-restore
  require_root
  find_data_dir || die "nothing started from this checkout yet (./samskaping infra)"
  case ${1:-} in
    rabbitmq-kill)
      [[ -n $(rmq_pid) ]] || die "RabbitMQ is not running"
      rmq_load_instance
      rmq_kill_node
      ;;
    rabbitmq-start) rmq_start ;;
    postgres-kill) pg_kill ;;
    postgres-start) pg_start ;;
    postgres-backup) # DATABASE FILE: a logical backup in pg_dump's custom format
      [[ $# -eq 3 ]] || usage_error "usage: ./samskaping __chaos postgres-backup DATABASE FILE"
      "$(pg_bin)/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U postgres --format=custom --file="$3" "$2"
      ;;
    postgres-restore) # DATABASE FILE: into an empty database of that name
      [[ $# -eq 3 ]] || usage_error "usage: ./samskaping __chaos postgres-restore DATABASE FILE"
      "$(pg_bin)/pg_restore" -h 127.0.0.1 -p "$PG_PORT" -U postgres --exit-on-error --dbname="$2" "$3"
      ;;
    *) usage_error "usage: ./samskaping __chaos rabbitmq-kill|rabbitmq-start|postgres-kill|postgres-start|postgres-backup|postgres-restore" ;;
  esac
}
