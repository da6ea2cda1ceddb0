#!/usr/bin/env bash
# Brings the real validators the tests use into .validators/ (gitignored):
#   .validators/bin/quadlet      Podman 5's Quadlet generator (from Debian 13's podman package)
#   .validators/bin/nats-server  nats-server >= 2.10            (from Debian 13's nats-server package)
#   .validators/bin/docker-compose  Compose v2                  (from Debian 13's docker-compose package)
#   .validators/bin/nats-server-hub  nats-server >= 2.11.16 (Debian forky's), whose hubs check what a
#                                leaf sends against the leaf user's permissions (the attack tests need it)
# Debian 12 ships none of them (podman 4.3 has no quadlet; nats-server 2.9.10 cannot carry wadm;
# docker-compose 1.29 is the old Python Compose). All are Go binaries that run on Debian 12. We download the trixie .debs with
# `apt-get download` through a private apt state dir, using the mirror URI this machine's own
# apt sources already name (no host name is written into the repository), and unpack them with
# `dpkg-deb -x`. Nothing is installed system-wide.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${TLOS_VALIDATORS_DIR:-$root/.validators}"
mkdir -p "$dest/bin"

have() { [ -x "$dest/bin/$1" ]; }
if have quadlet && have nats-server && have docker-compose && have nats-server-hub && [ "${1:-}" != "--force" ]; then
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
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/etc/preferences.d" "$work/debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f /usr/share/keyrings/debian-archive-trixie-stable.gpg ] && keyring=/usr/share/keyrings/debian-archive-trixie-stable.gpg
echo "deb [signed-by=$keyring] $mirror trixie main" > "$work/etc/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/etc/sources.list"
  -o "Dir::Etc::SourceParts=$work/etc/none"
  -o "Dir::Etc::Preferences=$work/etc/none"
  -o "Dir::Etc::PreferencesParts=$work/etc/preferences.d"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::State::Status=$work/status"
  -o "Dir::Cache=$work/cache"
  -o "APT::Architecture=$(dpkg --print-architecture)"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
)
touch "$work/status"
apt-get "${apt_opts[@]}" -qq update
find "$work/debs" -name "*.deb" -delete
(cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download podman nats-server docker-compose)
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
install -m 0755 "$work/root/usr/libexec/podman/quadlet" "$dest/bin/quadlet"
ns=$(find "$work/root" -type f -name nats-server -perm -u+x | head -1)
install -m 0755 "$ns" "$dest/bin/nats-server"
dc=$(find "$work/root" -type f -name docker-compose -perm -u+x | head -1)
install -m 0755 "$dc" "$dest/bin/docker-compose"

# The same from forky for nats-server-hub (a newer static binary; nothing else is taken from forky).
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror forky main" > "$work/etc/sources.list"
rm -rf "$work/lists" "$work/root" && mkdir -p "$work/lists/partial"
apt-get "${apt_opts[@]}" -qq update
find "$work/debs" -name "*.deb" -delete
(cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download nats-server)
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
ns=$(find "$work/root" -type f -name nats-server -perm -u+x | head -1)
install -m 0755 "$ns" "$dest/bin/nats-server-hub"
echo "fetch-validators: $("$dest/bin/quadlet" -version 2>&1 | head -1) ; $("$dest/bin/nats-server" --version) ; $("$dest/bin/docker-compose" version 2>&1 | head -1) ; hub $("$dest/bin/nats-server-hub" --version)"
