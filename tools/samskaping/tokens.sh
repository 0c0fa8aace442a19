# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): development tokens.

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

json_string() { # VALUE -> "VALUE" with JSON escapes
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  s=${s//[[:cntrl:]]/} # other control characters have no place in a claim
  printf '"%s"' "$s"
}

# A stable id from the name: "Åse Øy" -> dev-åse-øy (same in any caller locale).
default_subject() { # NAME
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    local LC_ALL=C.UTF-8
  fi
  local s="${1,,}"
  s="${s//[[:space:]]/-}"
  s="${s//[^[:alnum:]._-]/}"
  printf 'dev-%s' "$s"
}

one_of() { # VALUE LIST...
  local value=$1 item
  shift
  for item in "$@"; do [[ $item == "$value" ]] && return 0; done
  return 1
}

cmd_token() {
  local sector="" role="" name="" named=0 sub="" minutes=60
  while (($#)); do
    case $1 in
      --sector | --role | --name | --sub | --minutes)
        (($# >= 2)) || usage_error "$1 needs a value"
        case $1 in
          --sector) sector=$2 ;;
          --role) role=$2 ;;
          --name) name=$2 named=1 ;;
          --sub) sub=$2 ;;
          --minutes) minutes=$2 ;;
        esac
        shift 2
        ;;
      *) usage_error "unknown token option: $1" ;;
    esac
  done
  one_of "$sector" "${SECTORS[@]}" || usage_error "--sector must be one of: ${SECTORS[*]} (got '${sector}')"
  one_of "$role" "${ROLES[@]}" || usage_error "--role must be one of: ${ROLES[*]} (got '${role}')"
  [[ $minutes =~ ^[1-9][0-9]{0,5}$ ]] || usage_error "--minutes must be a positive whole number"
  if ((named)); then
    [[ -n $name ]] || usage_error "--name must not be empty"
    [[ -n $sub ]] || sub="$(default_subject "$name")"
  else
    # Unnamed, each sector and role is a person of its own: coordination knows its lead by subject, so a subject
    # shared by every unnamed token would make each of them the lead of the others' cases.
    name="Dev $role, $sector"
    [[ -n $sub ]] || sub="dev-$sector-$role"
  fi

  command -v openssl >/dev/null || die "openssl is needed: apt-get install -y openssl"
  local now key_hex header claims signing_input signature
  now="$(date +%s)"
  # The settings of a system (a shell that sourced .samskaping/env, a test system) say whom to sign for; without
  # them, the development key and issuer of ./samskaping up.
  if [[ -n ${Auth__SigningKey:-} ]]; then
    key_hex="$(printf '%s' "$Auth__SigningKey" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')"
    ((${#key_hex} >= 64)) || die "Auth__SigningKey is not the base64 of at least 32 bytes"
  else
    ensure_signing_key
    key_hex="$(openssl base64 -d -A <"$KEY_FILE" | od -An -v -tx1 | tr -d ' \n')"
    ((${#key_hex} == 64)) || die "$KEY_FILE does not hold a base64 32-byte key; delete it to get a new one"
  fi
  header='{"alg":"HS256","typ":"JWT"}'
  claims="{\"iss\":$(json_string "${Auth__Issuer:-$AUTH_ISSUER}"),\"aud\":$(json_string "${Auth__Audience:-$AUTH_AUDIENCE}")"
  claims+=",\"sub\":$(json_string "$sub"),\"name\":$(json_string "$name")"
  claims+=",\"role\":$(json_string "$role"),\"sector\":$(json_string "$sector")"
  claims+=",\"iat\":$now,\"nbf\":$now,\"exp\":$((now + minutes * 60))"
  claims+=",\"jti\":\"$(openssl rand -hex 16)\"}"
  signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$claims" | b64url)"
  signature="$(printf '%s' "$signing_input" |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)"
  printf '%s.%s\n' "$signing_input" "$signature"
}
