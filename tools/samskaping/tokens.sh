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
  local sector="" role="" name="" named=0 sub="" given_sub="" minutes=60
  while (($#)); do
    case $1 in
      --sector | --role | --name | --sub | --minutes)
        (($# >= 2)) || usage_error "$1 needs a value"
        case $1 in
          --sector) sector=$2 ;;
          --role) role=$2 ;;
          --name) name=$2 named=1 ;;
          --sub) sub=$2 given_sub=$2 ;;
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

  # A test system says whom to sign for by its settings: Auth__SigningKey (HS256, signed here by the minter) and no
  # Auth__Authority. Otherwise the token comes from the identity provider at Auth__Authority, by default the
  # development provider of ./samskaping up, which knows the demo people.
  if [[ -z ${Auth__Authority:-} && -n ${Auth__SigningKey:-} ]]; then
    dotnet "$(dev_tokens_dll)" --issuer "${Auth__Issuer:-$AUTH_ISSUER}" --audience "${Auth__Audience:-$AUTH_AUDIENCE}" \
      --sub "$sub" --name "$name" --role "$role" --sector "$sector" --minutes "$minutes"
    return
  fi
  ((named)) || name=""
  token_from_identity_provider "${Auth__Authority:-$IDP_URL}" "$sector" "$role" "$name" "$given_sub" "$minutes"
}

# The development grant of tools/Samskaping.IdentityProvider: the provider checks the person against its demo people
# (a name or subject it does not know, or a role or sector the person does not hold, is refused) and signs RS256.
token_from_identity_provider() { # AUTHORITY SECTOR ROLE NAME SUB MINUTES
  local endpoint="${1%/}/connect/token" answer
  local form=(--data-urlencode "grant_type=$IDP_DEVELOPMENT_GRANT" --data-urlencode "client_id=samskaping-cli"
    --data-urlencode "sector=$2" --data-urlencode "role=$3" --data-urlencode "minutes=$6")
  [[ -n $4 ]] && form+=(--data-urlencode "name=$4")
  [[ -n $5 ]] && form+=(--data-urlencode "subject=$5")
  command -v curl >/dev/null || die "curl is needed to ask the identity provider for a token: apt-get install -y curl"
  answer="$(curl -sS --max-time 30 "${form[@]}" "$endpoint" 2>&1)" ||
    die "the identity provider does not answer at $endpoint (is the system up? ./samskaping up): $answer"
  if [[ $answer =~ \"access_token\":\ *\"([^\"]+)\" ]]; then
    printf '%s\n' "${BASH_REMATCH[1]}"
  elif [[ $answer =~ \"error_description\":\ *\"([^\"]*)\" ]]; then
    die "the identity provider refused: ${BASH_REMATCH[1]}"
  else
    die "the identity provider answered without a token: $answer"
  fi
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
