# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): installing PostgreSQL and RabbitMQ, the data folders,
# the environment tests and services get, and starting both servers (postgres.sh, rabbitmq.sh).

newest_pg_bin() {
  local initdb
  initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)"
  [[ -x $initdb ]] && dirname "$initdb"
  return 0
}

ensure_packages() {
  local missing=0
  [[ -n $(newest_pg_bin) ]] || missing=1
  command -v rabbitmq-server >/dev/null || missing=1
  ((missing)) || return 0
  say "installing PostgreSQL and RabbitMQ from Debian (once)…"
  # The package may try to start system instances; we never use those.
  apt_install "$LOGS/apt.log" postgresql rabbitmq-server || die "apt-get install failed, see $LOGS/apt.log"
  [[ -n $(newest_pg_bin) ]] || die "PostgreSQL installed, but no /usr/lib/postgresql/*/bin/initdb"
  command -v rabbitmq-server >/dev/null || die "rabbitmq-server not found after install"
}

# State and data folders

ensure_state_dir() {
  mkdir -p "$STATE" "$LOGS"
  # 755 so that postgres/rabbitmq can reach data kept inside it.
  chmod 755 "$STATE"
}

traversable_by_servers() { # DIR
  local user
  for user in postgres rabbitmq; do
    id -u "$user" >/dev/null 2>&1 || return 1
    runuser -u "$user" -- test -x "$1" 2>/dev/null || return 1
  done
}

# Data lives in .samskaping/data when postgres/rabbitmq can reach it; otherwise
# (e.g. a checkout under /root, mode 700) in /var/tmp/samskaping-<hash of path>.
# The choice is recorded in .samskaping/data-dir so it stays stable.
choose_data_dir() {
  local pointer="$STATE/data-dir" candidate
  if [[ -f $pointer ]]; then
    candidate="$(<"$pointer")"
    if [[ -f $candidate/owner && $(<"$candidate/owner") == "$ROOT" ]]; then
      set_data_dir "$candidate"
      return
    fi
  fi
  candidate="$STATE/data"
  # The PostgreSQL socket lives in the data dir; socket paths max out at 107 bytes.
  if ! traversable_by_servers "$STATE" || ((${#candidate} > 80)); then
    candidate="/var/tmp/samskaping-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    say "note: users postgres/rabbitmq cannot use $STATE (path not traversable or too long);"
    say "      keeping database and broker data in $candidate instead."
  fi
  mkdir -p "$candidate"
  chmod 755 "$candidate"
  printf '%s\n' "$ROOT" >"$candidate/owner"
  printf '%s\n' "$candidate" >"$pointer"
  set_data_dir "$candidate"
}

set_data_dir() {
  DATA="$1"
  PG_DATA="$DATA/postgres"
  RMQ_DATA="$DATA/rabbitmq"
}

# For down/status: find the data dir without creating anything.
find_data_dir() {
  local pointer="$STATE/data-dir"
  [[ -f $pointer ]] || return 1
  set_data_dir "$(<"$pointer")"
}

# Environment shared by tests, services and the AppHost

ensure_signing_key() {
  ensure_state_dir
  [[ -s $KEY_FILE ]] && return 0
  command -v openssl >/dev/null || die "openssl is needed: apt-get install -y openssl"
  (
    umask 077
    openssl rand -base64 32 >"$KEY_FILE"
  )
  warn "generated a development JWT signing key in $KEY_FILE" # stderr: keep token output clean
}

# The RSA key the development identity provider signs with (tools/Samskaping.IdentityProvider), made once.
ensure_idp_key() {
  ensure_state_dir
  [[ -s $IDP_KEY_FILE ]] && return 0
  command -v openssl >/dev/null || die "openssl is needed: apt-get install -y openssl"
  (
    umask 077
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$IDP_KEY_FILE" 2>/dev/null
  ) || die "could not generate the identity provider's key in $IDP_KEY_FILE"
  warn "generated a development RSA signing key for the identity provider in $IDP_KEY_FILE"
}

export_env() {
  export SAMSKAPING_ROOT="$ROOT"
  export SAMSKAPING_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=;"
  export SAMSKAPING_RABBITMQ="amqp://guest:guest@127.0.0.1:$RMQ_PORT/"
  export SAMSKAPING_RABBITMQ_MANAGEMENT="http://127.0.0.1:$RMQ_MGMT_PORT/"
  export SAMSKAPING_TEST_POSTGRES="$SAMSKAPING_POSTGRES"
  export SAMSKAPING_TEST_RABBITMQ="$SAMSKAPING_RABBITMQ"
  export SAMSKAPING_TEST_RABBITMQ_MANAGEMENT="$SAMSKAPING_RABBITMQ_MANAGEMENT"
  Auth__SigningKey="$(tr -d '\n' <"$KEY_FILE")"
  export Auth__SigningKey
  export Auth__Issuer="$AUTH_ISSUER"
  export Auth__Audience="$AUTH_AUDIENCE"
}

env_line() { # NAME VALUE -> export NAME='VALUE' (single quotes escaped)
  local quoted=${2//\'/\'\\\'\'}
  printf "export %s='%s'\n" "$1" "$quoted"
}

write_env_file() {
  local name file="$STATE/env"
  (
    umask 077 # it holds the signing key
    {
      echo "# Written by ./samskaping infra. Source it: . .samskaping/env"
      for name in SAMSKAPING_ROOT SAMSKAPING_POSTGRES SAMSKAPING_RABBITMQ \
        SAMSKAPING_RABBITMQ_MANAGEMENT SAMSKAPING_TEST_POSTGRES SAMSKAPING_TEST_RABBITMQ \
        SAMSKAPING_TEST_RABBITMQ_MANAGEMENT Auth__SigningKey Auth__Issuer Auth__Audience; do
        env_line "$name" "${!name}"
      done
    } >"$file.tmp"
    mv "$file.tmp" "$file"
  )
}

# Infrastructure (PostgreSQL + RabbitMQ)

ensure_infra() {
  require_root
  ensure_state_dir
  ensure_packages
  choose_data_dir
  # Serialise concurrent starts from the same checkout.
  exec {LOCK_FD}>"$STATE/infra.lock"
  flock -w 180 "$LOCK_FD" || die "another ./samskaping is starting the infrastructure"
  pg_start
  rmq_start
  close_lock
  ensure_signing_key
  export_env
  write_env_file
}

print_infra() {
  local pg_version
  pg_version="$(basename "$(dirname "$(pg_bin)")")"
  echo "PostgreSQL $pg_version  127.0.0.1:$PG_PORT  (superuser postgres, no password; data $PG_DATA)"
  echo "RabbitMQ       $SAMSKAPING_RABBITMQ  (node $RMQ_NODENAME; data $RMQ_DATA)"
  echo "  management   $SAMSKAPING_RABBITMQ_MANAGEMENT  (guest/guest)"
  echo "Environment    $STATE/env  (source it: . .samskaping/env)"
}

stop_infra_started_here() {
  ((RMQ_STARTED_HERE)) && { rmq_stop || warn "could not stop RabbitMQ"; }
  ((PG_STARTED_HERE)) && { pg_stop || warn "could not stop PostgreSQL"; }
  return 0
}

cmd_infra() {
  ensure_infra
  print_infra
}
