# shellcheck shell=bash
# Part of ./samskaping and charts/check.sh (sourced by both): Debian packages the project installs for itself.

# apt_install LOG PACKAGE...: install without recommends. A fresh machine may have no package lists yet (the package
# is then "unable to locate"), and lists go stale, so a failed install refreshes them once and tries again.
apt_install() {
  local log=$1
  shift
  {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" ||
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; }
  } >>"$log" 2>&1
}
