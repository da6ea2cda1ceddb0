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
# `dpkg-deb -x` (scripts/debian-fetch.sh, shared with podman-tier.sh). Nothing is installed
# system-wide. `--force` fetches again even when everything is present.
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

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/debian-fetch.sh
. "$root/scripts/debian-fetch.sh"
debian_fetch_init "$work"
host_suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"

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
  debian_fetch trixie "$work/root" podman nats-server docker-compose
  install -m 0755 "$work/root/usr/libexec/podman/quadlet" "$dest/bin/quadlet"
  ns=$(find "$work/root" -type f -name nats-server -perm -u+x | head -1)
  install -m 0755 "$ns" "$dest/bin/nats-server"
  dc=$(find "$work/root" -type f -name docker-compose -perm -u+x | head -1)
  install -m 0755 "$dc" "$dest/bin/docker-compose"
fi

if [ -n "$force" ] || ! have nats-server-hub; then
  # a newer static binary from forky; nothing else is taken from forky
  debian_fetch forky "$work/forky" nats-server
  ns=$(find "$work/forky" -type f -name nats-server -perm -u+x | head -1)
  install -m 0755 "$ns" "$dest/bin/nats-server-hub"
fi

if [ -n "$force" ] || ! have turnserver || ! have restic; then
  debian_apt "$host_suite"
  libs="$(missing_libs coturn)"
  rm -rf "$dest/coturn"
  # shellcheck disable=SC2086 # one word per package
  debian_fetch "$host_suite" "$dest/coturn" coturn $libs
  debian_fetch "$host_suite" "$work/restic" restic
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
