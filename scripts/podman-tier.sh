#!/usr/bin/env bash
# Prepares the userland of the real rootless Podman test tier (test/podman-tier.test.ts) on a
# Debian 12 machine, cached in .validators/podman/ (gitignored) so reruns take a second:
#   root/            a Debian 13 (trixie) root: Podman 5, crun, conmon, pasta, uidmap, catatonit,
#                    busybox-static, nats-server, restic, iproute2, openssl (debootstrap, ≈ 70 s)
#   images/*.tar     rootfs tarballs the test imports as local images (never pulled):
#                    nats-2.10.tar   trixie's nats-server + busybox (sh, wget) + its libc
#                    nats-forky.tar    forky's nats-server (a newer line) built the same way
#                    restic.tar      trixie's restic + busybox + CA bundle
#                    pause.tar       catatonit, the pods' infra image
#   VERSIONS         what each image holds (nats-server --version, podman --version)
# Debian 12 has no Podman 5 (4.3: no quadlet, no pasta publishing as emitted). The mirror is the
# one this machine's own apt sources name (no host name is written into the repository), as in
# scripts/fetch-validators.sh. Usage: scripts/podman-tier.sh [--force]   (root; needs debootstrap)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
repo="$(cd "$(dirname "$0")/.." && pwd)"
dest="${TLOS_PODMAN_DIR:-$repo/.validators/podman}"
packages="podman,crun,conmon,passt,uidmap,catatonit,busybox-static,nats-server,restic,iproute2,openssl,ca-certificates"
stamp="tier-v1 $packages"
mkdir -p "$dest"

if [ "${1:-}" != "--force" ] && [ -f "$dest/root/.tlos-tier" ] && [ "$(cat "$dest/root/.tlos-tier")" = "$stamp" ] \
  && [ -f "$dest/images/nats-2.10.tar" ] && [ -f "$dest/images/pause.tar" ] && [ -f "$dest/images/restic.tar" ] && [ -f "$dest/images/nats-forky.tar" ] && [ -f "$dest/VERSIONS" ]; then
  echo "podman-tier: already prepared in $dest"; cat "$dest/VERSIONS"; exit 0
fi
[ "$(id -u)" = 0 ] || { echo "podman-tier: must run as root (debootstrap, namespaces)" >&2; exit 1; }

# the Debian mirror this machine's apt sources name, and private apt fetches (scripts/debian-fetch.sh)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. "$repo/scripts/debian-fetch.sh"
debian_fetch_init "$work" || exit 1
mirror="$debian_mirror_uri"

if ! command -v debootstrap >/dev/null 2>&1; then
  for i in $(seq 1 30); do apt-get install -y -qq --no-install-recommends debootstrap && break; echo "podman-tier: apt busy, retrying" >&2; sleep 10; done
fi

# 1. The root (atomic: built beside, then moved into place)
if [ ! -f "$dest/root/.tlos-tier" ] || [ "$(cat "$dest/root/.tlos-tier")" != "$stamp" ] || [ "${1:-}" = "--force" ]; then
  rm -rf "$dest/root.new"
  start=$(date +%s)
  debootstrap --variant=minbase --include="$packages" trixie "$dest/root.new" "$mirror" > "$dest/debootstrap.log" 2>&1 \
    || { tail -20 "$dest/debootstrap.log" >&2; exit 1; }
  # the lab mounts its own /etc files, homes and runtime dirs over these at run time
  mkdir -p "$dest/root.new/lab" "$dest/root.new/home" "$dest/root.new/etc/containers"
  touch "$dest/root.new/etc/hosts" "$dest/root.new/etc/resolv.conf" "$dest/root.new/etc/subuid" "$dest/root.new/etc/subgid" "$dest/root.new/etc/containers/containers.conf"
  rm -rf "$dest/root.new/var/cache/apt/archives/"*.deb
  echo "$stamp" > "$dest/root.new/.tlos-tier"
  rm -rf "$dest/root"; mv "$dest/root.new" "$dest/root"
  echo "podman-tier: debootstrap took $(( $(date +%s) - start )) s"
fi
R="$dest/root"

# 2. forky's nats-server (a newer release line than trixie's 2.10), unpacked beside the root
forky_nats=""
if debian_fetch forky "$work/forky" nats-server; then
  forky_nats="$(find "$work/forky" -type f -name nats-server | head -1)"
else
  echo "podman-tier: forky's nats-server could not be fetched; the tier runs trixie's only" >&2
fi

# 3. Image rootfs tarballs: the binaries, their shared libraries (as the root's ldd sees them),
#    busybox for sh/wget/cat, passwd/group for nobody.
mkimage() { # name  binary-in-root-or-host:target ...
  local name="$1"; shift
  local d="$work/img-$name"
  rm -rf "$d"; mkdir -p "$d/bin" "$d/usr/local/bin" "$d/etc" "$d/tmp" "$d/data"
  chmod 1777 "$d/tmp"
  cp "$R/bin/busybox" "$d/bin/busybox"
  for a in $(chroot "$R" /bin/busybox --list); do [ -e "$d/bin/$a" ] || ln -s busybox "$d/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$d/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$d/etc/group"
  local spec src dst
  for spec in "$@"; do
    src="${spec%%:*}"; dst="${spec#*:}"
    mkdir -p "$d$(dirname "$dst")"
    cp "$src" "$d$dst"
    # libraries: ldd inside the root (a plain chroot is fine for that)
    cp "$src" "$R/tmp/ldd-probe"
    for lib in $(chroot "$R" ldd /tmp/ldd-probe 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
      mkdir -p "$d$(dirname "$lib")"; cp -L "$R$lib" "$d$lib"
    done
    rm -f "$R/tmp/ldd-probe"
  done
  (cd "$d" && tar --numeric-owner --owner=0 --group=0 -cf "$work/$name.tar" .)
}
mkdir -p "$dest/images.new"
mkimage nats-2.10 "$R/usr/sbin/nats-server:/usr/local/bin/nats-server"
mv "$work/nats-2.10.tar" "$dest/images.new/"
if [ -n "$forky_nats" ]; then
  mkimage nats-forky "$forky_nats:/usr/local/bin/nats-server"
  mv "$work/nats-forky.tar" "$dest/images.new/"
fi
mkimage restic "$R/usr/bin/restic:/usr/bin/restic" "$R/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt"
mv "$work/restic.tar" "$dest/images.new/"
catatonit="$R/usr/bin/catatonit"; [ -x "$catatonit" ] || catatonit="$R/usr/libexec/podman/catatonit"
mkimage pause "$catatonit:/catatonit"
mv "$work/pause.tar" "$dest/images.new/"
rm -rf "$dest/images"; mv "$dest/images.new" "$dest/images"

{
  echo "podman: $(chroot "$R" dpkg-query -W -f "\${Version}" podman)"
  echo "nats-2.10: $(chroot "$R" nats-server --version)"
  if [ -n "$forky_nats" ]; then cp "$forky_nats" "$R/tmp/nats-forky"; echo "nats-forky: $(chroot "$R" /tmp/nats-forky --version 2>&1)"; rm -f "$R/tmp/nats-forky"; fi
  echo "restic: $(chroot "$R" restic version)"
} > "$dest/VERSIONS"
cat "$dest/VERSIONS"
