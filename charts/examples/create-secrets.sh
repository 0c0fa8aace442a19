#!/usr/bin/env bash
# Creates the Secrets the samskaping chart refers to, for the CloudNativePG and RabbitMQ examples beside this
# file. Passwords are made here, kept only in the cluster (never in a file or on a command line), and reused
# when the Secrets exist already, so running it again changes nothing.
#
#   charts/examples/create-secrets.sh NAMESPACE [--dev-signing-key] [--with-simulator]
#
# Per service S (cases coordination grants outcomes benefits, and the workspace for its database):
#   samskaping-S-db-role  kubernetes.io/basic-auth (username, password): CloudNativePG's managed role S
#   samskaping-S-db       connection-string: Npgsql connection string to database S as role S
#   samskaping-S-rabbitmq (not the workspace) connection-string: amqp://… as S's own RabbitMQ user (rabbitmq-users.yaml), from the
#                         topology operator's samskaping-S-user-credentials
# --dev-signing-key also creates samskaping-auth (signing-key) for clusters without an OIDC provider.
# --with-simulator also creates samskaping-benefits-nav (client-secret, integrasjon-passord, inbound-signing-key)
# with fresh random values, shared by the benefits service and the NAV-style simulator. Against a real benefit
# system, create that Secret yourself from the credentials NAV/Fiks and Maskinporten gave you
# (services/Samskaping.Benefits/README.md).
# The workspace's client secret (samskaping-workspace-oidc, key client-secret) is the one your OIDC provider gave
# when you registered the workspace as a confidential client: create that Secret yourself.
set -euo pipefail

namespace=${1:?usage: create-secrets.sh NAMESPACE [--dev-signing-key] [--with-simulator]}
shift
dev_key=""
with_simulator=""
for flag in "$@"; do
  case $flag in
    --dev-signing-key) dev_key=$flag ;;
    --with-simulator) with_simulator=$flag ;;
    *) echo "unknown option: $flag" >&2; exit 2 ;;
  esac
done
services=(cases coordination grants outcomes benefits)
# The workspace keeps its sessions and data-protection keys in a database of its own; it uses no broker.
databases=("${services[@]}" workspace)
# The PgBouncer pooler of cloudnative-pg.yaml (session mode; samskaping-db-rw reaches the primary directly).
db_host=samskaping-db-pooler-rw
rabbitmq_cluster=samskaping-rabbitmq

k() { kubectl -n "$namespace" "$@"; }
secret_value() { # NAME KEY -> the decoded value, or nothing
  k get secret "$1" -o "jsonpath={.data.$2}" 2>/dev/null | base64 -d 2>/dev/null || true
}
urlencode() { # VALUE -> percent-encoded (for the user and password inside the amqp:// address)
  local LC_ALL=C value=$1 out="" c i
  for ((i = 0; i < ${#value}; i++)); do
    c=${value:i:1}
    case $c in
      [a-zA-Z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}
apply_secret() { # NAME TYPE, KEY=VALUE lines on stdin
  k create secret generic "$1" --type "$2" --from-env-file=/dev/stdin --dry-run=client -o yaml | k apply -f - >/dev/null
  echo "secret/$1 applied"
}

for service in "${databases[@]}"; do
  password=$(secret_value "samskaping-$service-db-role" password)
  [[ -n $password ]] || password=$(openssl rand -hex 24)
  printf 'username=%s\npassword=%s\n' "$service" "$password" |
    apply_secret "samskaping-$service-db-role" kubernetes.io/basic-auth
  # Maximum Pool Size: cloudnative-pg.yaml's max_connections is sized for 20 per pod.
  printf 'connection-string=Host=%s;Port=5432;Database=%s;Username=%s;Password=%s;SSL Mode=Require;Maximum Pool Size=20\n' \
    "$db_host" "$service" "$service" "$password" |
    apply_secret "samskaping-$service-db" Opaque
done

for service in "${services[@]}"; do
  user=$(secret_value "samskaping-$service-user-credentials" username)
  password=$(secret_value "samskaping-$service-user-credentials" password)
  if [[ -z $user || -z $password ]]; then
    echo "secret/samskaping-$service-user-credentials not found: apply rabbitmq-users.yaml and wait for the topology operator first" >&2
    exit 1
  fi
  printf 'connection-string=amqp://%s:%s@%s:5672/\n' "$(urlencode "$user")" "$(urlencode "$password")" "$rabbitmq_cluster" |
    apply_secret "samskaping-$service-rabbitmq" Opaque
done

# Keys of personal data: kept when they exist (a new key is rotated in beside the old one: docs/operations.md, Key rotation).
keep_or_new() { # SECRET KEY -> the existing value, or 32 fresh random bytes in base64
  local value
  value=$(secret_value "$1" "$2")
  [[ -n $value ]] || value=$(openssl rand -base64 32)
  printf '%s' "$value"
}
printf 'encryption-key=%s\nlookup-key=%s\n' \
  "$(keep_or_new samskaping-cases-keys encryption-key)" "$(keep_or_new samskaping-cases-keys lookup-key)" |
  apply_secret samskaping-cases-keys Opaque
printf 'pseudonym-key=%s\n' "$(keep_or_new samskaping-outcomes-keys pseudonym-key)" |
  apply_secret samskaping-outcomes-keys Opaque

if [[ $dev_key == --dev-signing-key ]]; then
  key=$(secret_value samskaping-auth signing-key)
  [[ -n $key ]] || key=$(openssl rand -base64 32)
  printf 'signing-key=%s\n' "$key" | apply_secret samskaping-auth Opaque
fi
if [[ $with_simulator == --with-simulator ]]; then
  printf 'client-secret=%s\nintegrasjon-passord=%s\ninbound-signing-key=%s\n' \
    "$(keep_or_new samskaping-benefits-nav client-secret)" "$(keep_or_new samskaping-benefits-nav integrasjon-passord)" \
    "$(keep_or_new samskaping-benefits-nav inbound-signing-key)" |
    apply_secret samskaping-benefits-nav Opaque
fi
