# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): the build, the tests and the OpenAPI lint.

solution_file() {
  local name
  for name in Samskaping.sln Samskaping.slnx; do
    [[ -f $ROOT/$name ]] && {
      echo "$ROOT/$name"
      return
    }
  done
  die "no Samskaping.sln in $ROOT"
}

# Sum the <Counters .../> of every TRX file below DIR and print
# "N passed, N failed[, N skipped]". Fails when something failed or nothing ran.
trx_summary() { # DIR
  local totals executed passed failed skipped files
  # shellcheck disable=SC2016 # $0 belongs to awk
  totals="$({ find "$1" -name '*.trx' -type f -exec cat {} + 2>/dev/null || true; } |
    awk '
      function attr(rec, name,   m) {
        if (!match(rec, "[ \t\r\n]" name "=\"[0-9]+\"")) return 0
        m = substr(rec, RSTART, RLENGTH); sub(/^[^"]*"/, "", m); sub(/"$/, "", m)
        return m + 0
      }
      BEGIN { RS = "<" }                        # one record per XML element
      /^Counters[ \t\r\n]/ {
        files++; executed += attr($0, "executed"); passed += attr($0, "passed")
        failed += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
        # xunit reports skipped tests in total but not in notExecuted.
        n = attr($0, "total") - attr($0, "executed"); ne = attr($0, "notExecuted")
        skipped += (ne > n ? ne : n)
      }
      END { printf "%d %d %d %d %d\n", executed, passed, failed, skipped, files }')"
  read -r executed passed failed skipped files <<<"${totals:-0 0 0 0 0}"
  if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  ((failed > 0)) && trx_failures "$1"
  if ((files == 0)); then
    warn "no test results (*.trx) found in $1"
    return 1
  elif ((executed == 0)); then
    warn "no tests were executed"
    return 1
  fi
  ((failed == 0))
}

# Name each failed test of the TRX files below DIR with the start of its message, last, where a reader of only the
# end of the output (a CI log's tail) sees it; dotnet test's own report of it is hundreds of lines further up.
trx_failures() { # DIR
  # shellcheck disable=SC2016 # $0 belongs to awk
  { find "$1" -name '*.trx' -type f -exec cat {} + 2>/dev/null || true; } |
    awk '
      function attr(rec, name,   m) {
        if (!match(rec, "[ \t\r\n]" name "=\"[^\"]*\"")) return ""
        m = substr(rec, RSTART, RLENGTH); sub(/^[^"]*"/, "", m); sub(/"$/, "", m)
        return m
      }
      function plain(text) {
        gsub(/&#x?[0-9A-Fa-f]+;/, " ", text); gsub(/&quot;/, "\"", text); gsub(/&apos;/, "\047", text); gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text)
        gsub(/&amp;/, "\\&", text); gsub(/[ \t\r\n]+/, " ", text)
        return length(text) > 400 ? substr(text, 1, 400) "…" : text
      }
      BEGIN { RS = "<" }
      /^UnitTestResult[ \t\r\n]/ {
        pending = ""
        outcome = attr($0, "outcome")
        if (outcome != "Passed" && outcome != "NotExecuted") { pending = attr($0, "testName"); printf "  failed: %s\n", pending }
      }
      /^Message>/ && pending != "" { sub(/^Message>/, ""); printf "    %s\n", plain($0); pending = "" }'
}

# Servers this invocation started are stopped when it ends, however it ends (test and bench).
SAVED_OUT="" SAVED_ERR=""
stop_started_servers_on_exit() {
  exec {SAVED_OUT}>&1 {SAVED_ERR}>&2
  trap on_test_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

on_test_exit() {
  local rc=$?
  # A trap may fire inside a redirected call (>/dev/null): print to the real outputs.
  stop_infra_started_here 1>&"$SAVED_OUT" 2>&"$SAVED_ERR"
  exit "$rc"
}

# Offline checks of charts/ and docker/ (helm lint, rendered manifests against the Kubernetes schemas, wrong
# values rejected, Dockerfile lint, compose file); needs neither the database nor the broker.
deployment_checks() {
  say "checking the Helm charts, the Dockerfile and the compose file (charts/check.sh)"
  "$ROOT/charts/check.sh" || die "deployment checks failed (charts/check.sh)"
}

# Spectral and the OWASP ruleset for the OpenAPI lint (tests/.../Security/OpenApiLint), pinned by
# tools/openapi-lint/package-lock.json; installed once, skipped while the lock file is unchanged.
ensure_openapi_lint_tools() {
  local dir="$ROOT/tools/openapi-lint" stamp="$ROOT/tools/openapi-lint/node_modules/.samskaping-lock"
  if [[ -f $stamp ]] && cmp -s "$stamp" "$dir/package-lock.json"; then
    return 0
  fi
  command -v npm >/dev/null || die "npm is needed for the OpenAPI lint (tools/openapi-lint); install nodejs and npm"
  say "installing Spectral for the OpenAPI lint (tools/openapi-lint, pinned by package-lock.json)"
  (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null) || die "npm ci in tools/openapi-lint failed"
  cp "$dir/package-lock.json" "$stamp"
}

# Debian's chromium for the workspace's browser tests (tests/Samskaping.IntegrationTests/Workspace): Playwright drives
# it at /usr/bin/chromium, because Playwright's own browser download is not reachable from everywhere we run.
ensure_browser() {
  [[ -x /usr/bin/chromium ]] && return 0
  mkdir -p "$LOGS"
  say "installing chromium (Debian) for the workspace's browser tests…"
  apt_install "$LOGS/apt.log" chromium || die "apt-get install chromium failed, see $LOGS/apt.log"
}

# Lint the documents of a running system (./samskaping up) with the same ruleset as the tests.
cmd_lint_openapi() {
  local base="http://127.0.0.1:$GATEWAY_PORT" dir service rc=0
  ensure_openapi_lint_tools
  dir="$(mktemp -d)"
  for service in cases coordination grants outcomes benefits; do
    curl -fsS "$base/openapi/$service.json" -o "$dir/$service.json" ||
      { rm -rf "$dir"; die "no document at $base/openapi/$service.json: is the system up (./samskaping up)?"; }
  done
  node "$ROOT/tools/openapi-lint/node_modules/@stoplight/spectral-cli/dist/index.js" lint \
    --ruleset "$ROOT/tools/openapi-lint/.spectral.yaml" --fail-severity warn "$dir"/*.json || rc=$?
  rm -rf "$dir"
  return "$rc"
}

cmd_test() {
  local sln results rc=0 containers=0 arg
  local -a args=()
  # --containers: the container part (containers.sh) after a filtered run too; an unfiltered run always has it.
  for arg in "$@"; do
    if [[ $arg == --containers ]]; then containers=1; else args+=("$arg"); fi
  done
  set -- "${args[@]}"
  (($# == 0)) && [[ ${SAMSKAPING_CONTAINERS:-1} != 0 ]] && containers=1
  # Stop only what this run started, whatever happens.
  stop_started_servers_on_exit
  deployment_checks
  ensure_openapi_lint_tools
  ensure_browser
  ensure_infra
  sln="$(solution_file)"
  say "building $(basename "$sln") (Release, warnings as errors)"
  dotnet build "$sln" -c Release -warnaserror || die "build failed"
  results="$STATE/test-results/$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$results"
  say "testing; results in $results"
  dotnet test "$sln" -c Release --no-build --logger trx --results-directory "$results" "$@" || rc=$?
  # The reduced fault suite after a full test run; not when a subset was asked for. One seed per scenario: each run
  # starts two replicas of every service and the gateway, and a second seed would take the whole run past the half
  # hour CI allows; `./samskaping chaos` runs 20.
  local chaos_rc=0
  if (($# == 0)) && [[ ${SAMSKAPING_CHAOS:-1} != 0 ]]; then
    say "fault suite, reduced (./samskaping chaos --seeds 1 --reduced)"
    run_fault_suite --seeds 1 --reduced || chaos_rc=$?
  fi
  local containers_rc=0
  if ((containers)); then
    say "the chart's workloads as containers (./samskaping containers)"
    containers_suite "$results" || containers_rc=$?
  fi
  local summary_ok=0
  trx_summary "$results" || summary_ok=1
  ((rc == 0)) || die "dotnet test exited with code $rc"
  ((chaos_rc == 0)) || die "the fault suite found a broken invariant (exit code $chaos_rc); see its output above"
  ((containers_rc == 0)) || die "the container part failed; see its output above"
  ((summary_ok == 0)) || exit 1
}
