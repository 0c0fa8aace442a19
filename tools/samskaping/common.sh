# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): messages, errors, processes and ports.

say() { printf 'samskaping: %s\n' "$*"; }
warn() { printf 'samskaping: %s\n' "$*" >&2; }
die() {
  warn "error: $*"
  exit 1
}
usage_error() {
  warn "$*"
  warn "see: ./samskaping help"
  exit 2
}

require_root() {
  [[ $(id -u) -eq 0 ]] || die "this command starts PostgreSQL/RabbitMQ as their own users and must run as root"
}

check_port_number() { # ENVVAR VALUE
  if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > 65535)); then
    usage_error "$1=$2 is not a valid port"
  fi
}

# A zombie (killed, not yet reaped) holds no port or file any more, so it counts as gone.
pid_alive() { [[ -n ${1:-} && -d /proc/$1 && $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# One variable from a process's environment (root can read /proc/PID/environ).
proc_env() { # PID NAME
  tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | sed -n "s/^$2=//p" | head -n1
}

# Servers must inherit no file descriptors but 0-2: neither the infra lock (it
# would stay held while they run) nor a caller's pipe (a CI log would never end).
LOCK_FD=""
close_lock() {
  if [[ -n $LOCK_FD ]]; then
    exec {LOCK_FD}>&-
    LOCK_FD=""
  fi
}
close_inherited_fds() { # call in the subshell that starts a server
  local path fd
  for path in "/proc/$BASHPID/fd/"*; do
    fd="${path##*/}"
    # 255 is bash's handle on this script file.
    if ((fd > 2 && fd != 255)) && [[ -e $path ]]; then
      exec {fd}>&-
    fi
  done
}

# Ports: who is listening, and a clear error if it is not us

port_in_use() { # PORT
  if command -v ss >/dev/null; then
    [[ -n $(ss -Hltn "( sport = :$1 )" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

port_pids() { # PORT -> pids of listeners (may be empty when not visible)
  command -v ss >/dev/null || return 0
  ss -Hltnp "( sport = :$1 )" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# Servers we start carry SAMSKAPING_OWNER=<checkout> in their environment, so a
# port held by another clone's instance can be named as such.
describe_port_holder() { # PORT
  local pid owner
  pid="$(port_pids "$1" | head -n1)"
  if [[ -z $pid ]]; then
    echo "another process"
    return
  fi
  owner="$(proc_env "$pid" SAMSKAPING_OWNER)"
  if [[ -n $owner && $owner != "$ROOT" ]]; then
    echo "the Samskaping instance of another checkout ($owner, pid $pid) — run './samskaping down' there"
  elif [[ -n $owner ]]; then
    echo "a Samskaping process of this checkout that is not tracked here (pid $pid)"
  else
    echo "process $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-100 | sed 's/ *$//'))"
  fi
}

# A socket on the port that would make a server's bind fail: a listener, or an open or opening connection. A port
# in the kernel's ephemeral range is not ours alone: while our server is down, a client reconnecting to it can be
# given that very port as its own and connect to itself (TCP simultaneous open), holding the port until it gives
# up; a server started then fails with EADDRINUSE. The closing connections a killed server leaves behind
# (FIN-WAIT, LAST-ACK, TIME-WAIT; up to a minute) do not count: our servers bind with SO_REUSEADDR, as they did.
# A self-connection's TIME-WAIT does, for the minute after it closed: that client socket had no SO_REUSEADDR.
port_bound() { # PORT
  command -v ss >/dev/null || { port_in_use "$1"; return; }
  [[ -n $(ss -Htn state listening state established state syn-sent state syn-recv "( sport = :$1 )" 2>/dev/null) ||
    -n $(ss -Htn state time-wait "( sport = :$1 and dport = :$1 )" 2>/dev/null) ]]
}

wait_port_unbound() { # PORT SECONDS -> 1 when still bound after that long
  local deadline=$((SECONDS + $2))
  while port_bound "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

ensure_port_free() { # PORT WHAT ENVVAR
  port_in_use "$1" || return 0
  die "port $1 ($2) is already in use by $(describe_port_holder "$1").
  Stop it, or pick another port, e.g. $3=$(($1 + 100)) ./samskaping ..."
}
