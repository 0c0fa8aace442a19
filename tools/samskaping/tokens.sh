# shellcheck shell=bash
# Part of ./samskaping (sourced by it; the settings are there): development tokens.

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

  # The settings of a system (a shell that sourced .samskaping/env, a test system) say whom to sign for; without
  # them, the development key and issuer of ./samskaping up. The minter reads Auth__SigningKey from its environment.
  local key_file=()
  if [[ -z ${Auth__SigningKey:-} ]]; then
    ensure_signing_key
    key_file=(--key-file "$KEY_FILE")
  fi
  dotnet "$(dev_tokens_dll)" "${key_file[@]}" --issuer "${Auth__Issuer:-$AUTH_ISSUER}" --audience "${Auth__Audience:-$AUTH_AUDIENCE}" \
    --sub "$sub" --name "$name" --role "$role" --sector "$sector" --minutes "$minutes"
}

# The minter (tools/Samskaping.DevTokens), built when missing or older than its sources.
dev_tokens_dll() {
  local project="$ROOT/tools/Samskaping.DevTokens"
  local dll="$project/bin/Release/net10.0/Samskaping.DevTokens.dll"
  if [[ ! -f $dll ]] || [[ -n $(find "$project" -maxdepth 1 \( -name '*.cs' -o -name '*.csproj' \) -newer "$dll") ]]; then
    dotnet build "$project" -c Release -nologo -v quiet >&2 || die "could not build the token minter ($project)"
  fi
  printf '%s' "$dll"
}
