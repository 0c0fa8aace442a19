# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): the system as it ships. Every deployable becomes an
# OCI image from docker/Dockerfile, the umbrella chart's development rendering runs under `podman kube play`
# against this checkout's PostgreSQL and RabbitMQ, and a smoke suite (tests/Samskaping.ContainerTests) goes through
# the gateway container (the chart part: kube-play.sh). docs/operations.md, "Images and the chart, run here", says what
# is proved and what is not.

CONTAINERS="$STATE/containers"
CONTAINERS_PORT="${SAMSKAPING_CONTAINERS_PORT:-5280}"
# The web projects, one image each (the Dockerfile's WEB_PROJECTS), and the name of each image.
IMAGE_PROJECTS=(services/Samskaping.Cases services/Samskaping.Coordination services/Samskaping.Grants
  services/Samskaping.Outcomes services/Samskaping.Benefits services/Samskaping.Workspace gateway/Samskaping.Gateway
  tools/Samskaping.NavSimulator)
IMAGE_TAG="0.1.0"
CI_BASE="localhost/samskaping-ci"
HELM_BIN="$STATE/tools/helm-4.1.4/helm"

image_name() { # PROJECT -> samskaping/cases
  local name="${1##*/}"
  name="${name#Samskaping.}"
  echo "samskaping/${name,,}"
}

# podman with this checkout's settings and storage (PLATFORM.md, "Containers"): runc, cgroupfs, file events and
# ulimits the VM can grant; images and containers under .samskaping/containers, away from anything else.
containers_config() {
  mkdir -p "$CONTAINERS"
  cat >"$CONTAINERS/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  cat >"$CONTAINERS/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$CONTAINERS/storage"
runroot = "$CONTAINERS/run"
EOF
  export CONTAINERS_CONF="$CONTAINERS/containers.conf" CONTAINERS_STORAGE_CONF="$CONTAINERS/storage.conf"
}

# catatonit is podman's pause process for kube play's pods: only recommended by the podman package, and apt_install
# installs no recommendations.
ensure_container_tools() {
  local tool missing=()
  for tool in podman buildah skopeo debootstrap runc catatonit; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  ((${#missing[@]} == 0)) && return 0
  say "installing ${missing[*]} (apt)"
  mkdir -p "$LOGS"
  apt_install "$LOGS/apt-containers.log" podman buildah skopeo debootstrap runc catatonit || die "apt-get install of the container tools failed (see $LOGS/apt-containers.log)"
}

# The first Debian mirror in the machine's apt sources.
debian_mirror() {
  local mirror
  mirror="$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1)"
  [[ -n $mirror ]] || mirror="$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | grep -v security | head -n1)"
  [[ -n $mirror ]] || die "no Debian mirror in the apt sources"
  echo "$mirror"
}

# The CI stand-ins for Microsoft's base images (docker/ci-base/), built once per recipe: the recipe is the three
# Containerfiles, this function, the mirror, and the host's .NET (the SDK and runtime copied in); its hash names the
# build, so anything else reuses what .samskaping/containers holds.
ensure_ci_base() {
  local mirror runtime sdk recipe stamp="$CONTAINERS/ci-base.recipe" image
  mirror="$(debian_mirror)"
  runtime="$(dotnet --list-runtimes | sed -n 's/^Microsoft.AspNetCore.App \([^ ]*\) .*/\1/p' | sort -V | tail -n1)"
  sdk="$(dotnet --version)"
  recipe="$( {
    cat "$ROOT"/docker/ci-base/*.Containerfile
    declare -f ensure_ci_base
    echo "$mirror bookworm minbase dotnet-sdk=$sdk runtime=$runtime"
  } | sha256sum | cut -c1-16)"
  if [[ -f $stamp && $(<"$stamp") == "$recipe" ]] &&
    podman image exists "$CI_BASE/aspnet:10.0" && podman image exists "$CI_BASE/sdk:10.0"; then
    return 0
  fi
  say "building the CI base images (debootstrap minbase bookworm from $mirror, .NET $runtime; once per recipe $recipe)"
  local rootfs="$CONTAINERS/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$LOGS/debootstrap.log" 2>&1 ||
    die "debootstrap failed (see $LOGS/debootstrap.log)"
  # As Debian's slim images: no documentation, manuals or message catalogues, now or from later apt installs.
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/lintian/*' \
    >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim"
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/*
  # Without PATH in the image config, kube play cannot find executables.
  tar -C "$rootfs" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$CI_BASE/debian:bookworm" >/dev/null ||
    die "podman import of the debootstrap root failed"
  rm -rf "$rootfs"
  for image in runtime-deps:bookworm aspnet:10.0 sdk:10.0; do
    podman build --quiet -v /usr/share/dotnet:/host-dotnet:ro --build-arg RUNTIME_VERSION="$runtime" \
      -f "$ROOT/docker/ci-base/${image%%:*}.Containerfile" -t "$CI_BASE/$image" "$ROOT/docker/ci-base" \
      >"$LOGS/ci-base-${image%%:*}.log" 2>&1 || die "building $CI_BASE/$image failed (see $LOGS/ci-base-${image%%:*}.log)"
  done
  echo "$recipe" >"$stamp"
  # What an earlier recipe left behind (its images lost their tags to these).
  podman image prune -f >/dev/null
}

# Every image from docker/Dockerfile, the bases pinned by digest as in production. The build stage is the same for
# all of them, so the solution is compiled once. The host's NuGet cache and CA bundle are lent to the build (the
# machine reaches nuget.org through an intercepting proxy); neither ends up in an image.
build_images() {
  local sdk_digest aspnet_digest project image
  sdk_digest="$(podman image inspect --format '{{.Digest}}' "$CI_BASE/sdk:10.0")"
  aspnet_digest="$(podman image inspect --format '{{.Digest}}' "$CI_BASE/aspnet:10.0")"
  mkdir -p "${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  local -a common=(-f "$ROOT/docker/Dockerfile" --ignorefile "$ROOT/docker/Dockerfile.dockerignore"
    -v "${NUGET_PACKAGES:-$HOME/.nuget/packages}:/root/.nuget/packages"
    -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro
    --build-arg SDK_IMAGE="$CI_BASE/sdk" --build-arg SDK_DIGEST="$sdk_digest"
    --build-arg ASPNET_IMAGE="$CI_BASE/aspnet" --build-arg ASPNET_DIGEST="$aspnet_digest")
  # The build stage first, under a name: the images below reuse it, and the build stages of earlier sources,
  # untagged now, are pruned instead of piling up.
  podman build "${common[@]}" --target build -t "$CI_BASE/build-stage:latest" "$ROOT" >"$LOGS/image-build-stage.log" 2>&1 ||
    die "the Dockerfile's build stage failed (see $LOGS/image-build-stage.log)"
  for project in "${IMAGE_PROJECTS[@]}"; do
    image="$(image_name "$project"):$IMAGE_TAG"
    podman build "${common[@]}" --build-arg PROJECT="$project" -t "$image" "$ROOT" >"$LOGS/image-${image//[\/:]/-}.log" 2>&1 ||
      die "building $image failed (see $LOGS/image-${image//[\/:]/-}.log)"
  done
  podman image prune -f >/dev/null
}

mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1000000 }'; }

# Each image's size and what of it is the base, the .NET runtime and the application.
report_image_sizes() {
  local deps aspnet project image size
  deps="$(podman image inspect --format '{{.Size}}' "$CI_BASE/runtime-deps:bookworm")"
  aspnet="$(podman image inspect --format '{{.Size}}' "$CI_BASE/aspnet:10.0")"
  say "image sizes (MB): runtime-deps base $(mb "$deps"), + .NET/ASP.NET runtime $(mb $((aspnet - deps)))"
  printf '  %-32s %6s %6s\n' image total app
  for project in "${IMAGE_PROJECTS[@]}"; do
    image="$(image_name "$project"):$IMAGE_TAG"
    size="$(podman image inspect --format '{{.Size}}' "$image")"
    printf '  %-32s %6s %6s\n' "$image" "$(mb "$size")" "$(mb $((size - aspnet)))"
  done
}

# The whole container part: images, the chart's workloads under kube play, the checks, the smoke suite.
containers_suite() { # RESULTS-DIR
  local results=$1 started=$SECONDS work
  (
    work="$(mktemp -d "$STATE/containers-run.XXXXXX")"
    mkdir -p "$work/secret-values"
    trap 'containers_cleanup "$work"' EXIT
    ensure_container_tools
    containers_config
    local t=$SECONDS
    ensure_ci_base
    say "containers: base images ready in $((SECONDS - t)) s"
    t=$SECONDS
    say "containers: building ${#IMAGE_PROJECTS[@]} images from docker/Dockerfile"
    build_images
    say "containers: images built in $((SECONDS - t)) s"
    report_image_sizes
    [[ -x $HELM_BIN ]] || die "no Helm at $HELM_BIN (charts/check.sh fetches it)"
    HELM_CACHE_HOME="$STATE/tools/helm-home/cache" HELM_CONFIG_HOME="$STATE/tools/helm-home/config" \
      HELM_DATA_HOME="$STATE/tools/helm-home/data" "$HELM_BIN" template samskaping "$ROOT/charts/samskaping" \
      --namespace samskaping >"$work/rendered.yaml" || die "helm template charts/samskaping"
    node "$ROOT/tools/k8s/kube-play-adapter.mjs" "$work/rendered.yaml" --out "$work" --port-base "$CONTAINERS_PORT" ||
      die "the kube play adapter refused the rendered chart"
    say "containers: not run here (kube play has no API server, no network policy, no autoscaler): $(sort -u "$work/unproved.txt" | sed 's|/.*||' | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')"
    local port
    for port in $(workload_rows "$work/workloads.json" | awk '{ print $3 }'); do
      port_in_use "$port" && die "port $port is in use: set SAMSKAPING_CONTAINERS_PORT to the first of a range of free ports"
    done
    prepare_dependencies "$work"
    t=$SECONDS
    podman kube play --network host "$work/play.yaml" >"$work/play.log" 2>&1 || {
      cat "$work/play.log" >&2
      die "podman kube play failed"
    }
    wait_ready "$work"
    say "containers: all $(workload_rows "$work/workloads.json" | wc -l) workloads ready $((SECONDS - t)) s after kube play"
    verify_containers "$work"
    local gateway simulator
    gateway="$(workload_rows "$work/workloads.json" | awk '$1 == "samskaping-gateway" { print $3 }')"
    verify_workspace_image "$gateway"
    simulator="$(workload_rows "$work/workloads.json" | awk '$1 == "samskaping-simulator" { print $3 }')"
    say "containers: smoke suite through the gateway container (tests/Samskaping.ContainerTests)"
    dotnet build "$ROOT/tests/Samskaping.ContainerTests" -c Release -warnaserror >"$LOGS/container-tests-build.log" 2>&1 ||
      die "building tests/Samskaping.ContainerTests failed (see $LOGS/container-tests-build.log)"
    SAMSKAPING_CONTAINERS_GATEWAY="http://127.0.0.1:$gateway/" SAMSKAPING_CONTAINERS_SIMULATOR="http://127.0.0.1:$simulator/" \
      SAMSKAPING_CONTAINERS_SIGNING_KEY="$(<"$work/signing-key")" \
      dotnet test "$ROOT/tests/Samskaping.ContainerTests" -c Release --no-build --logger trx --results-directory "$results" ||
      die "the smoke suite through the containers failed"
  ) || return 1
  say "containers: the container part took $((SECONDS - started)) s"
}

# ./samskaping containers: only the container part, against this checkout's PostgreSQL and RabbitMQ.
cmd_containers() {
  stop_started_servers_on_exit
  deployment_checks
  ensure_infra
  local results
  results="$STATE/test-results/containers-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$results"
  containers_suite "$results" || die "the container part failed"
  trx_summary "$results"
}
