#!/usr/bin/env bash
# Brings the real validators and servers the tests use into .validators/ (gitignored), or into
# $TLOS_VALIDATORS_DIR (`tlos validate --fetch` points it at the project's own .validators/):
#   bin/quadlet      Podman 5's Quadlet generator (from Debian 13's podman package)
#   bin/nats-server  nats-server >= 2.10            (from Debian 13's nats-server package)
#   bin/docker-compose  Compose v2                  (from Debian 13's docker-compose package)
#   bin/nats-server-hub  nats-server >= 2.11.16 (Debian forky's), whose hubs check what a leaf
#                    sends against the leaf user's permissions (the attack tests need it)
#   bin/turnserver, bin/turnutils_uclient, bin/turnutils_peer   coturn (this machine's release)
#   bin/restic       restic                          (this machine's release)
# Debian 12 ships none of the first three (podman 4.3 has no quadlet; nats-server 2.9.10 cannot
# carry wadm; docker-compose 1.29 is the old Python Compose); all are Go binaries that run on Debian 12. coturn is linked against its
# release's libraries: the library packages this machine lacks are unpacked beside it, and the
# bin/ entries are wrappers that set LD_LIBRARY_PATH. We download the .debs with
# `apt-get download` through a private apt state dir, using the mirror URI this machine's own
# apt sources already name (no host name is written into the repository), and unpack them with
# `dpkg-deb -x`. Nothing is installed system-wide.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${TLOS_VALIDATORS_DIR:-$root/.validators}"
mkdir -p "$dest/bin"
force=""
[ "${1:-}" = "--force" ] && force=1

have() { [ -x "$dest/bin/$1" ]; }
if [ -z "$force" ] && have quadlet && have nats-server && have docker-compose && have nats-server-hub && have turnserver && have restic; then
  echo "fetch-validators: already present in $dest/bin"; exit 0
fi

# The first Debian mirror URI named by this machine's apt sources (deb822 or one-line format).
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  uri=$(awk '/^URIs:/ {print $2; exit}' "$f")
  case "$uri" in */debian) mirror="$uri"; break;; esac
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^(https?|ftp):/) {print $i; exit}}' /etc/apt/sources.list)
fi
[ -n "$mirror" ] || { echo "fetch-validators: no Debian mirror found in /etc/apt/sources*" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
host_suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
arch="$(dpkg --print-architecture)"

# apt_for <suite>: sets apt_opts to a private state dir whose only source is "<suite> main"
apt_for() {
  local s="$work/apt-$1"
  if [ ! -d "$s" ]; then
    mkdir -p "$s/lists/partial" "$s/cache/archives/partial" "$s/etc/preferences.d"
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    if [ "$1" = trixie ] && [ -f /usr/share/keyrings/debian-archive-trixie-stable.gpg ]; then
      keyring=/usr/share/keyrings/debian-archive-trixie-stable.gpg
    fi
    echo "deb [signed-by=$keyring] $mirror $1 main" > "$s/etc/sources.list"
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
    -o "APT::Architecture=$arch"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
  )
  if [ ! -f "$s/updated" ]; then
    apt-get "${apt_opts[@]}" -qq update
    touch "$s/updated"
  fi
}

# fetch <suite> <into> <package>...: downloads the packages of <suite> and unpacks them into <into>
fetch() {
  local suite="$1" into="$2"
  shift 2
  apt_for "$suite"
  local debs="$work/debs-$suite"
  mkdir -p "$debs" "$into"
  (cd "$debs" && apt-get "${apt_opts[@]}" -qq download "$@")
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$into"; done
  rm -f "$debs"/*.deb
}

# missing_libs <package>: the library packages it needs, transitively, that are not installed here
missing_libs() {
  local todo=("$1") seen=" " out=() p d
  while [ "${#todo[@]}" -gt 0 ]; do
    p="${todo[0]}"
    todo=("${todo[@]:1}")
    for d in $(apt-cache "${apt_opts[@]}" depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$p" 2>/dev/null \
      | awk '$1 ~ /Depends:$/ && $2 ~ /^lib/ {print $2}'); do
      case "$seen" in *" $d "*) continue ;; esac
      seen="$seen$d "
      if dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed"; then continue; fi
      out+=("$d")
      todo+=("$d")
    done
  done
  echo "${out[*]:-}"
}

if [ -n "$force" ] || ! have quadlet || ! have nats-server || ! have docker-compose; then
  fetch trixie "$work/root" podman nats-server docker-compose
  install -m 0755 "$work/root/usr/libexec/podman/quadlet" "$dest/bin/quadlet"
  ns=$(find "$work/root" -type f -name nats-server -perm -u+x | head -1)
  install -m 0755 "$ns" "$dest/bin/nats-server"
  dc=$(find "$work/root" -type f -name docker-compose -perm -u+x | head -1)
  install -m 0755 "$dc" "$dest/bin/docker-compose"
fi

if [ -n "$force" ] || ! have nats-server-hub; then
  # a newer static binary from forky; nothing else is taken from forky
  fetch forky "$work/forky" nats-server
  ns=$(find "$work/forky" -type f -name nats-server -perm -u+x | head -1)
  install -m 0755 "$ns" "$dest/bin/nats-server-hub"
fi

if [ -n "$force" ] || ! have turnserver || ! have restic; then
  apt_for "$host_suite"
  libs="$(missing_libs coturn)"
  rm -rf "$dest/coturn"
  # shellcheck disable=SC2086 # one word per package
  fetch "$host_suite" "$dest/coturn" coturn $libs
  fetch "$host_suite" "$work/restic" restic
  install -m 0755 "$work/restic/usr/bin/restic" "$dest/bin/restic"
  multiarch="$(basename "$(find "$dest/coturn/usr/lib" -maxdepth 1 -type d -name '*-linux-gnu*' | head -1)")"
  for b in turnserver turnutils_uclient turnutils_peer; do
    {
      echo '#!/bin/sh'
      echo "# coturn's $b with the libraries unpacked beside it (written by fetch-validators.sh)"
      echo 'here="$(cd "$(dirname "$0")/.." && pwd)"'
      echo "LD_LIBRARY_PATH=\"\$here/coturn/usr/lib/$multiarch\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\" exec \"\$here/coturn/usr/bin/$b\" \"\$@\""
    } > "$dest/bin/$b"
    chmod 0755 "$dest/bin/$b"
  done
  echo "fetch-validators: coturn (extra libraries: ${libs:-none}), restic"
fi
echo "fetch-validators: $("$dest/bin/quadlet" -version 2>&1 | head -1) ; $("$dest/bin/nats-server" --version) ; $("$dest/bin/docker-compose" version 2>&1 | head -1) ; hub $("$dest/bin/nats-server-hub" --version) ; $("$dest/bin/restic" version | head -1)"
