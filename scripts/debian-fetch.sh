# Sourced (not run) by the scripts that take packages from Debian without installing them:
#   . "$(dirname "$0")/debian-fetch.sh"
#   debian_fetch_init "$work"                 # a private folder of the caller's, removed by it
#   debian_fetch trixie "$into" podman nats-server   # apt-get download + dpkg-deb -x into $into
# The mirror is the first Debian URI this machine's own apt sources name (deb822 or one-line
# format), so no host name is written into the repository. Each suite gets a private apt state
# folder under the work folder whose only source is "<suite> main", signed by Debian's archive
# keyring; nothing is installed and the system's apt state and locks are not touched.

# debian_mirror: prints the first Debian mirror URI of /etc/apt/sources*, or fails.
debian_mirror() {
  local f uri m=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/ {print $2; exit}' "$f")
    case "$uri" in */debian) m="$uri"; break;; esac
  done
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^(https?|ftp):/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || return 1
  echo "$m"
}

# debian_fetch_init <work>: sets debian_work and debian_mirror_uri (fails, saying so, without a mirror).
debian_fetch_init() {
  debian_work="$1"
  debian_mirror_uri="$(debian_mirror)" || { echo "$(basename "$0"): no Debian mirror found in /etc/apt/sources*" >&2; return 1; }
  debian_arch="$(dpkg --print-architecture)"
}

# debian_apt <suite>: sets apt_opts to the suite's private apt state (created and updated once).
debian_apt() {
  local s="$debian_work/apt-$1"
  if [ ! -d "$s" ]; then
    mkdir -p "$s/lists/partial" "$s/cache/archives/partial" "$s/etc/preferences.d"
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    if [ "$1" = trixie ] && [ -f /usr/share/keyrings/debian-archive-trixie-stable.gpg ]; then
      keyring=/usr/share/keyrings/debian-archive-trixie-stable.gpg
    fi
    echo "deb [signed-by=$keyring] $debian_mirror_uri $1 main" > "$s/etc/sources.list"
    touch "$s/status"
  fi
  apt_opts=(
    -o "Dir::Etc::SourceList=$s/etc/sources.list"
    -o "Dir::Etc::SourceParts=$s/etc/none"
    -o "Dir::Etc::Preferences=$s/etc/none"
    -o "Dir::Etc::PreferencesParts=$s/etc/preferences.d"
    -o "Dir::State::Lists=$s/lists"
    -o "Dir::State::Status=$s/status"
    -o "Dir::Cache=$s/cache"
    -o "APT::Architecture=$debian_arch"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
  )
  if [ ! -f "$s/updated" ]; then
    apt-get "${apt_opts[@]}" -qq update || return 1
    touch "$s/updated"
  fi
}

# debian_fetch <suite> <into> <package>...: downloads the packages of <suite>, unpacks them into
# <into>. Each step returns on failure, so `if debian_fetch …; then` (where `set -e` is off) sees it.
debian_fetch() {
  local suite="$1" into="$2" deb
  shift 2
  debian_apt "$suite" || return 1
  local debs="$debian_work/debs-$suite"
  mkdir -p "$debs" "$into" || return 1
  (cd "$debs" && apt-get "${apt_opts[@]}" -qq download "$@") || return 1
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$into" || return 1; done
  rm -f "$debs"/*.deb
}
