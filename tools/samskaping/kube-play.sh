# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there and in containers.sh): the chart's workloads under
# `podman kube play` — what an operator does before `helm install` (databases, a vhost, the Secrets), readiness
# polled from outside as the kubelet would, the checks of each container's user and read-only root filesystem, and
# the clean-up. tools/k8s/kube-play-adapter.mjs turns the rendered chart into what podman runs.

CONTAINERS_VHOST="samskaping-containers"
CONTAINERS_DB_PREFIX="containers_"
WORKSPACE_CONTAINER="samskaping-workspace-image-check"

# Rows of the adapter's workloads.json: workload container port readiness liveness user readOnlyRootFilesystem.
workload_rows() {
  node -e 'for (const w of require(process.argv[1])) console.log([w.workload, w.container, w.port, w.readiness ?? "-",
    w.liveness ?? "-", w.user ?? "-", w.readOnlyRootFilesystem].join(" "))' "$1"
}

psql_() { PGOPTIONS='-c client_min_messages=warning' "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }
rmq_api() { # METHOD PATH [BODY]
  curl -fsS -u guest:guest -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "${SAMSKAPING_RABBITMQ_MANAGEMENT}api/$2" >/dev/null
}

# NAME<TAB>KEY<TAB>VALUE lines -> DIR/NAME.json, one per Secret: a JSON object of base64 values, which is what
# kube play reads for a secretKeyRef from podman's secret store.
write_secret_files() { # DIR
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const fs = require("fs");
    const secrets = {};
    for (const line of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
      const [name, key, value] = line.split("\t");
      (secrets[name] ??= {})[key] = Buffer.from(value).toString("base64");
    }
    for (const [name, data] of Object.entries(secrets)) {
      fs.writeFileSync(`${process.argv[1]}/${name}.json`, JSON.stringify(data), { mode: 0o600 });
    }' "$1"
}

# The operator's part, done here as create-secrets.sh does in a cluster: a database per service and a vhost,
# both new for each run, and a podman secret for every Secret the pods read (values made here, none in a file
# beyond this run's folder).
prepare_dependencies() { # WORKDIR
  local work=$1 service name key value
  for service in cases coordination grants outcomes benefits; do
    psql_ -c "DROP DATABASE IF EXISTS $CONTAINERS_DB_PREFIX$service WITH (FORCE)" -c "CREATE DATABASE $CONTAINERS_DB_PREFIX$service" ||
      die "could not create the database $CONTAINERS_DB_PREFIX$service"
  done
  rmq_api DELETE "vhosts/$CONTAINERS_VHOST" 2>/dev/null || true
  if ! rmq_api PUT "vhosts/$CONTAINERS_VHOST" ||
    ! rmq_api PUT "permissions/$CONTAINERS_VHOST/guest" '{"configure":".*","write":".*","read":".*"}'; then
    die "could not create the RabbitMQ vhost $CONTAINERS_VHOST"
  fi
  openssl rand -base64 32 | tr -d '\n' >"$work/signing-key"
  while read -r name key; do
    case "$name/$key" in
      samskaping-*-db/connection-string)
        service="${name#samskaping-}" service="${service%-db}"
        value="Host=127.0.0.1;Port=$PG_PORT;Database=$CONTAINERS_DB_PREFIX$service;Username=postgres;Password=;Maximum Pool Size=20" ;;
      samskaping-*-rabbitmq/connection-string) value="amqp://guest:guest@127.0.0.1:$RMQ_PORT/$CONTAINERS_VHOST" ;;
      samskaping-auth/signing-key) value="$(<"$work/signing-key")" ;;
      samskaping-cases-keys/* | samskaping-outcomes-keys/* | samskaping-benefits-nav/*) value="$(openssl rand -base64 32)" ;;
      *) die "the chart reads Secret $name key $key, which this suite does not know how to make" ;;
    esac
    printf '%s\t%s\t%s\n' "$name" "$key" "$value"
  done < <(node -e 'for (const s of require(process.argv[1])) for (const k of s.keys) console.log(s.name, k)' "$work/secrets.json") |
    write_secret_files "$work/secret-values" || die "could not write the secrets"
  for name in "$work"/secret-values/*.json; do
    podman secret rm "$(basename "$name" .json)" >/dev/null 2>&1 || true
    podman secret create "$(basename "$name" .json)" "$name" >/dev/null || die "podman secret create $(basename "$name" .json)"
  done
}

containers_cleanup() { # WORKDIR
  local work=$1 name service
  [[ -f $work/play.yaml ]] && podman kube down "$work/play.yaml" >/dev/null 2>&1
  for name in "$work"/secret-values/*.json; do
    [[ -e $name ]] && podman secret rm "$(basename "$name" .json)" >/dev/null 2>&1
  done
  podman rm -f -t 2 "$WORKSPACE_CONTAINER" >/dev/null 2>&1
  rmq_api DELETE "vhosts/$CONTAINERS_VHOST" 2>/dev/null
  for service in cases coordination grants outcomes benefits workspace; do
    psql_ -c "DROP DATABASE IF EXISTS $CONTAINERS_DB_PREFIX$service WITH (FORCE)" 2>/dev/null
  done
  rm -rf "$work"
  return 0
}

# Readiness as the kubelet would ask it, from outside: every workload's readiness path answers 200.
wait_ready() { # WORKDIR
  local work=$1 workload container port ready live user ro deadline=$((SECONDS + 300)) pending
  while true; do
    pending=""
    while read -r workload container port ready live user ro; do
      curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$port$ready" 2>/dev/null || pending+=" $workload"
      [[ $(podman inspect --format '{{.State.Status}}' "$workload-pod-0-$container" 2>/dev/null) == running ]] || {
        podman logs --tail 40 "$workload-pod-0-$container" >&2 2>&1 || true
        die "container $workload-pod-0-$container is not running"
      }
    done < <(workload_rows "$work/workloads.json")
    [[ -z $pending ]] && return 0
    ((SECONDS < deadline)) || die "not ready after 300 s:$pending"
    sleep 2
  done
}

# From outside each container: its process is the application, runs as the chart's user, its root filesystem is
# read-only (the config, and a write that fails even for root), /tmp is writable, and the liveness path answers.
verify_containers() { # WORKDIR
  local work=$1 workload container port ready live user ro ctr pid uids config
  while read -r workload container port ready live user ro; do
    ctr="$workload-pod-0-$container"
    [[ $ro == true && $user != - ]] || die "$workload: the chart does not declare a user and a read-only root filesystem"
    config="$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}' "$ctr")"
    [[ $config == "true $user"* ]] || die "$ctr: podman runs it as '$config', the chart says read-only and user $user"
    pid="$(podman inspect --format '{{.State.Pid}}' "$ctr")"
    uids="$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status")"
    [[ $uids == "$user $user $user $user" ]] || die "$ctr: its process (pid $pid) runs with uids $uids, not $user"
    # The application itself is the container's process: nothing (no shell) starts it.
    [[ $(readlink "/proc/$pid/exe") == /app/* ]] || die "$ctr: its process is $(readlink "/proc/$pid/exe"), not the application in /app"
    podman exec "$ctr" touch /app/write-probe 2>/dev/null && die "$ctr: user $user could write /app"
    podman exec --user 0 "$ctr" touch /write-probe 2>"$work/touch.err" && die "$ctr: the root filesystem is writable"
    grep -q 'Read-only file system' "$work/touch.err" || die "$ctr: writing / failed, but not for a read-only filesystem: $(<"$work/touch.err")"
    podman exec "$ctr" touch /tmp/write-probe || die "$ctr: /tmp is not writable"
    curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$port$live" || die "$ctr: $live does not answer 200"
    printf '  %-44s uid %s (process %s, %s), root filesystem read-only, /tmp writable, %s 200\n' "$ctr" "$user" "$pid" "$(readlink "/proc/$pid/exe")" "$live"
  done < <(workload_rows "$work/workloads.json")
}

# The workspace is not in the development rendering (it signs people in through an OIDC provider the kube play
# cluster does not have), so its image is run here alone, as the chart runs it (its user, read-only root, /tmp):
# it must create its session store in a database of its own, answer readiness, and serve the published style sheets.
verify_workspace_image() { # GATEWAY-PORT
  local gateway=$1 port=$((CONTAINERS_PORT + 40)) deadline=$((SECONDS + 120)) image
  image="$(image_name services/Samskaping.Workspace):$IMAGE_TAG"
  port_in_use "$port" && die "port $port is in use: set SAMSKAPING_CONTAINERS_PORT to a range with room for the workspace check"
  psql_ -c "DROP DATABASE IF EXISTS ${CONTAINERS_DB_PREFIX}workspace WITH (FORCE)" -c "CREATE DATABASE ${CONTAINERS_DB_PREFIX}workspace" ||
    die "could not create the database ${CONTAINERS_DB_PREFIX}workspace"
  podman run -d --name "$WORKSPACE_CONTAINER" --network host --read-only --tmpfs /tmp --cap-drop ALL --user 1654 \
    -e ASPNETCORE_HTTP_PORTS="$port" \
    -e ConnectionStrings__Database="Host=127.0.0.1;Port=$PG_PORT;Database=${CONTAINERS_DB_PREFIX}workspace;Username=postgres;Password=" \
    -e Workspace__ApiBaseUrl="http://127.0.0.1:$gateway/" -e Auth__Authority="http://127.0.0.1:$gateway/" \
    -e Workspace__ClientSecret="$(openssl rand -hex 16)" "$image" >/dev/null || die "podman run $image failed"
  until curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
    [[ $(podman inspect --format '{{.State.Status}}' "$WORKSPACE_CONTAINER" 2>/dev/null) == running ]] || {
      podman logs --tail 40 "$WORKSPACE_CONTAINER" >&2 2>&1 || true
      die "the workspace image stopped before it was ready"
    }
    ((SECONDS < deadline)) || die "the workspace image was not ready after 120 s"
    sleep 2
  done
  curl -fsS --max-time 5 "http://127.0.0.1:$port/css/workspace.css" | grep -q '{' ||
    die "the workspace image does not serve its style sheet /css/workspace.css"
  podman rm -f -t 2 "$WORKSPACE_CONTAINER" >/dev/null
  printf '  %-44s uid 1654, root filesystem read-only: /health/ready 200, its session store created, /css/workspace.css served\n' "$WORKSPACE_CONTAINER"
}
