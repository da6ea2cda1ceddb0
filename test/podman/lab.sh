#!/bin/sh
# The lab of the real Podman tier: started by test/podman/lab.ts as
#   unshare --mount --net --pid --fork --kill-child --propagation private sh lab.sh ROOT RUN
# so it is PID 1 of a fresh PID namespace, in a private mount namespace and an EMPTY network
# namespace (only lo: no uplink). It enters the Debian 13 root (ROOT, from scripts/podman-tier.sh)
# with pivot_root — a plain chroot blocks user namespaces — then, under catatonit, builds one
# network namespace per machine named in RUN/machines ("name address uid" lines) on a private
# bridge, one rootless user per machine, and waits on stdin: when the test (or its worker) goes
# away, stdin closes, PID 1 exits, and the kernel kills every process of the run.
set -eu
if [ "${1:-}" != "--inside" ]; then
  R="$1"; RUN="$2"
  mount --rbind "$R" "$R"
  mount --bind "$RUN" "$R/lab"
  mount --rbind /dev "$R/dev"
  # pasta opens /dev/net/tun, which is 0600 on the host: a 0666 node of our own, bound over it
  mknod -m 0666 "$RUN/tun" c 10 200
  mkdir -p "$R/dev/net"; mount --bind "$RUN/tun" "$R/dev/net/tun"
  mount -t proc proc "$R/proc"
  mount --rbind /sys "$R/sys"
  # crun refuses hybrid cgroups ("drop all controllers from cgroupv2"): hide the v2 hierarchy
  umount -l "$R/sys/fs/cgroup/unified" 2>/dev/null || true
  mount -t tmpfs -o mode=0755 tmpfs "$R/run"
  mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
  mount -t tmpfs -o mode=1777 tmpfs "$R/var/tmp"
  mkdir -p "$RUN/home"; mount --bind "$RUN/home" "$R/home"
  cp "$0" "$RUN/lab.sh"
  cd "$R"; mkdir -p .oldroot; pivot_root . .oldroot; umount -l /.oldroot; rmdir /.oldroot 2>/dev/null || true
  mount --make-rshared /
  exec /usr/bin/catatonit -- /bin/sh /lab/lab.sh --inside
fi

# --- inside the root, under catatonit (PID 1) ---
L=/lab
mkdir -p $L/etc
cp /etc/passwd $L/etc/passwd; cp /etc/group $L/etc/group
: > $L/etc/subuid; : > $L/etc/subgid
printf '127.0.0.1 localhost\n' > $L/etc/hosts
cat $L/hosts >> $L/etc/hosts 2>/dev/null || true
# the only name server is the lab bridge (nothing answers): any lookup stays in the lab
printf 'nameserver 10.77.0.1\n' > $L/etc/resolv.conf
mkdir -p /etc/containers
cat > $L/etc/containers.conf <<'EOF'
[engine]
infra_image = "localhost/tlos-pause:lab"
image_default_transport = "containers-storage:"
EOF
i=0
while read -r name addr uid; do
  [ -n "$name" ] || continue
  i=$((i + 1))
  echo "$name:x:$uid:$uid:lab machine $name:/home/$name:/bin/sh" >> $L/etc/passwd
  echo "$name:x:$uid:" >> $L/etc/group
  echo "$name:$((200000 + i * 65536)):65536" >> $L/etc/subuid
  echo "$name:$((200000 + i * 65536)):65536" >> $L/etc/subgid
done < $L/machines
for f in passwd group subuid subgid hosts resolv.conf; do [ -e /etc/$f ] || touch /etc/$f; mount --bind $L/etc/$f /etc/$f; done
[ -e /etc/containers/containers.conf ] || touch /etc/containers/containers.conf
mount --bind $L/etc/containers.conf /etc/containers/containers.conf

# The lab network: a bridge in this (otherwise empty) namespace at 10.77.0.1, one namespace per
# machine on it. Anything addressed elsewhere is routed into "off0", a veth whose peer sits in a
# namespace that drops everything: its transmit counter (read by the test) counts every attempt
# to reach a non-lab address, and nothing leaves. IPv6 is off everywhere (no v6 route exists).
for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do echo 1 > "$f"; done
ip link set lo up
# 10.77.0.1: the machines' gateway (pasta maps it to each machine itself inside pods);
# 10.77.0.2: the lab's own services (the S3 stand-in)
ip link add br0 type bridge; ip addr add 10.77.0.1/24 dev br0; ip addr add 10.77.0.2/24 dev br0; ip link set br0 up
ip netns add sink
ip netns exec sink sh -c 'for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do echo 1 > "$f"; done'
ip link add off0 type veth peer name off1 netns sink
ip -n sink link set off1 up; ip link set off0 up; ip route add default dev off0
echo 1 > /proc/sys/net/ipv4/ip_forward
while read -r name addr uid; do
  [ -n "$name" ] || continue
  ip netns add "$name"
  ip netns exec "$name" sh -c 'for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do echo 1 > "$f"; done'
  ip link add "v-$name" type veth peer name eth0 netns "$name"
  ip link set "v-$name" master br0 up
  ip -n "$name" link set lo up
  ip -n "$name" addr add "$addr/24" dev eth0
  ip -n "$name" link set eth0 up
  ip -n "$name" route add default via 10.77.0.1
  mkdir -p "/home/$name" "/run/user/$uid"
  chown "$uid:$uid" "/home/$name" "/run/user/$uid"; chmod 0700 "/run/user/$uid"
done < $L/machines
echo ready > $L/ready
# wait for the test: EOF on stdin ends the run
cat > /dev/null || true
