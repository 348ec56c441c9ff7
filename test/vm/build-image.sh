#!/usr/bin/env bash
# build-image.sh: builds the qemu guest that runs lvscare's kernel test tier.
#
#   build-image.sh              build the image (under a lock), even if it looks current
#   build-image.sh --if-stale   build only when the image is missing or its stamp is out of date
#   build-image.sh --stamp      print the stamp the current inputs would give, and exit
#
# Contract: on success $LVSCARE_VM_DIR/image/ holds
#   vmlinux        Debian's current linux-image-amd64 kernel, uncompressed (qemu boots it via PVH)
#   initrd.cpio    the whole guest userland (busybox, bash, node, ipvsadm, iproute2, tcpdump,
#                  keepalived, openssl, capsh/setpriv/nsenter/unshare) and the modules it loads
#   kver           the kernel release (`uname -r` in the guest)
#   stamp          hash of the inputs; run-in-vm.sh rebuilds when it differs
#   manifest.txt   versions of everything inside, for provenance
# and it is replaced atomically, so a guest booting from the previous image is not disturbed.
#
# Inputs: this script, guest-init.sh, host-packages, and the host's node binary (the guest runs the
# host's node so that native addons in node_modules match). The kernel and every guest program
# come from Debian .deb files that are downloaded (apt-get download) and unpacked under
# $LVSCARE_VM_DIR/debs, never installed on the host; they are kept for the next build.
# The host needs the packages listed in host-packages; this script checks them and stops with
# the apt-get line to run when one is missing (.ci/run installs them).
#
# Env: LVSCARE_VM_DIR (default /var/tmp/lvscare-vm, survives reboots' /tmp cleaning),
#      LVSCARE_VM_EXTRA_MODULES (more kernel modules, with their dependencies).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB=${LVSCARE_VM_DIR:-/var/tmp/lvscare-vm}
OUT=$LAB/image
DEBS=$LAB/debs
T0=$EPOCHREALTIME
log() { printf '[build-image %5.1fs] %s\n' "$(bc_sub "$EPOCHREALTIME" "$T0")" "$*" >&2; }
bc_sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
die() { echo "build-image: $*" >&2; exit 1; }

NODE=$(command -v node) || die "node is not on PATH (the guest runs the host's node)"
NODE=$(readlink -f "$NODE")

# The stamp covers everything that decides the image's content except the Debian archive itself:
# a newer kernel or ipvsadm in the archive is picked up on the next rebuild, not forced.
stamp() {
  { cat "$HERE/build-image.sh" "$HERE/guest-init.sh" "$HERE/host-packages"
    echo "$NODE $("$NODE" --version)"
    echo "extra-modules: ${LVSCARE_VM_EXTRA_MODULES:-}"
  } | sha256sum | cut -c1-16
}
STAMP=$(stamp)
fresh() { [ -f "$OUT/initrd.cpio" ] && [ -f "$OUT/vmlinux" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]; }
case "${1:-}" in
  --stamp) echo "$STAMP"; exit 0 ;;
  --if-stale) fresh && exit 0 ;;
  '') ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d;s/^# \{0,1\}//' >&2; exit 2 ;;
esac

mkdir -p "$LAB" "$DEBS"
# One build at a time per lab dir; a second caller waits, then finds the image fresh.
exec 9>"$LAB/.build.lock"
flock 9
if [ "${1:-}" = --if-stale ] && fresh; then exit 0; fi
log "building $OUT (stamp $STAMP)"

# ---- 1. host prerequisites (checked, not installed) -------------------------------------------
missing=()
for p in $(grep -v '^#' "$HERE/host-packages"); do
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "build-image: missing host packages: ${missing[*]}" >&2
  echo "  install them with: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 3
fi

# ---- 2. Debian packages for the guest: download (cached) ---------------------------------------
# The programs the guest runs. Their shared-library dependencies are added below; libc6 is the
# exception: the guest gets the host's glibc, because it must match the host's node.
TOP=(ipvsadm iproute2 tcpdump keepalived openssl libcap2-bin)

apt_updated=0
apt_update_once() { # stale or missing package lists: refresh once, if we may
  [ "$apt_updated" = 1 ] && return 1
  [ "$(id -u)" = 0 ] || die "apt package lists are missing or stale; run: apt-get update"
  log "apt-get update"
  apt-get update -q >/dev/null
  apt_updated=1
}
kernel_pkg() { apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'; }
KPKG=$(kernel_pkg)
[ -n "$KPKG" ] || { apt_update_once; KPKG=$(kernel_pkg); }
[ -n "$KPKG" ] || die "no linux-image-amd64 in the apt package lists (is this Debian 12?)"
KVER=${KPKG#linux-image-}

# The library packages the programs need: from one recursive `apt-cache depends` (about 1.5 s
# per call, so not one call per level), follow the first alternative of every Depends and
# PreDepends, through library packages only; programs' other dependencies (perl, debconf,
# adduser) never run in the guest.
mapfile -t LIBS < <(
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${TOP[@]}" 2>/dev/null |
  awk -v top="${TOP[*]}" '
    /^[^ ]/ { cur = $1; inalt = 0; next }
    $1 ~ /^\|?(Pre)?Depends:$/ {
      first = !inalt; inalt = ($1 ~ /^\|/)
      if (first && $2 !~ /^</) { d = $2; sub(/:.*/, "", d); deps[cur] = deps[cur] " " d }
    }
    END {
      n = split(top, queue, " ")
      for (i = 1; i <= n; i++) seen[queue[i]] = 1
      for (i = 1; i <= n; i++) {
        m = split(deps[queue[i]], ds, " ")
        for (j = 1; j <= m; j++) {
          d = ds[j]
          if (d in seen || d !~ /^lib/ || d == "libc6") continue
          seen[d] = 1; queue[++n] = d; print d
        }
      }
    }' | sort)

need=()
for p in "$KPKG" "${TOP[@]}" "${LIBS[@]}"; do
  compgen -G "$DEBS/${p}_*.deb" >/dev/null || need+=("$p")
done
download() {
  local sandbox=(); [ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
  (cd "$DEBS" && apt-get download -q "${sandbox[@]}" "$@" >/dev/null)
}
if ((${#need[@]})); then
  log "downloading ${#need[@]} packages: ${need[*]}"
  download "${need[@]}" 2>/dev/null || { apt_update_once && download "${need[@]}"; } ||
    die "apt-get download failed for: ${need[*]}"
fi
deb() { compgen -G "$DEBS/${1}_*.deb" | sort -V | tail -n1; }

# ---- 3. kernel: unpack only what the image can use (cached per kernel and pattern set) ----------
KTREE=$LAB/kernel-$KVER
KPARTS=('./boot/vmlinuz-*' './boot/config-*'
  './lib/modules/*/kernel/net/*' './lib/modules/*/kernel/lib/*' './lib/modules/*/kernel/crypto/*'
  './lib/modules/*/kernel/arch/x86/crypto/*' './lib/modules/*/kernel/fs/9p/*'
  './lib/modules/*/kernel/fs/netfs/*' './lib/modules/*/kernel/fs/fscache/*'
  './lib/modules/*/kernel/drivers/virtio/*' './lib/modules/*/kernel/drivers/char/virtio_console.ko'
  './lib/modules/*/kernel/drivers/net/dummy.ko' './lib/modules/*/kernel/drivers/net/veth.ko'
  './lib/modules/*/kernel/drivers/net/nlmon.ko' './lib/modules/*/modules.builtin*'
  './lib/modules/*/modules.order')
[ -n "${LVSCARE_VM_EXTRA_MODULES:-}" ] && KPARTS=('./boot/*' './lib/modules/*')
KSTAMP=$KTREE/.unpacked-$(printf '%s\n' "${KPARTS[@]}" | sha256sum | cut -c1-12)
if [ ! -f "$KSTAMP" ]; then
  log "unpacking $KPKG"
  rm -rf "$KTREE"; mkdir -p "$KTREE"
  # a pattern that matches nothing is not an error; anything else tar says is shown
  dpkg-deb --fsys-tarfile "$(deb "$KPKG")" |
    { tar -x -C "$KTREE" --wildcards "${KPARTS[@]}" 2>&1 |
      grep -v -e 'Not found in archive' -e 'Exiting with failure' >&2 || true; }
  [ -f "$KTREE/boot/vmlinuz-$KVER" ] || die "unpacking $KPKG gave no boot/vmlinuz-$KVER"
  busybox depmod -b "$KTREE" "$KVER"
  touch "$KSTAMP"
fi
MD=$KTREE/lib/modules/$KVER

# ---- 4. userland debs: unpack into one tree (kept while the set of .deb files is the same) -----
U=$LAB/userland
UKEY=$(for p in "${TOP[@]}" "${LIBS[@]}"; do basename "$(deb "$p")"; done | sha256sum | cut -c1-16)
if [ "$(cat "$U/.debs-key" 2>/dev/null)" != "$UKEY" ]; then
  log "unpacking ${#TOP[@]} programs and ${#LIBS[@]} libraries"
  rm -rf "$U"; mkdir -p "$U"
  for p in "${TOP[@]}" "${LIBS[@]}"; do dpkg-deb -x "$(deb "$p")" "$U"; done
  echo "$UKEY" >"$U/.debs-key"
fi

# ---- 5. the initramfs tree ----------------------------------------------------------------------
R=$LAB/initrd-root
rm -rf "$R"; mkdir -p "$R"
mkdir -p "$R"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,etc,proc,sys,dev,tmp,run,root,lab,mnt}
mkdir -p "$R"/var/{tmp,lib,log,empty}
ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
ln -s ../run "$R/var/run"
chmod 1777 "$R/tmp" "$R/var/tmp"

cp /bin/busybox "$R/usr/bin/busybox"
for a in $("$R/usr/bin/busybox" --list); do [ -e "$R/usr/bin/$a" ] || ln -s busybox "$R/usr/bin/$a"; done
# the kernel's module autoloader (request_module, e.g. on the first IPVS netlink lookup) runs
# /sbin/modprobe
for a in modprobe insmod rmmod lsmod depmod modinfo sysctl poweroff reboot halt; do
  ln -sf ../bin/busybox "$R/usr/sbin/$a"
done

# copy_libs LIBPATH BIN: copies the shared libraries BIN needs, resolved by ldd with LIBPATH
# searched first; a library that resolves nowhere fails the build (the guest would fail later,
# with a worse message).
copy_libs() {
  local libpath=$1 bin=$2 out lib dst
  out=$(LD_LIBRARY_PATH=$libpath ldd "$bin" 2>&1) || true
  if grep -q 'not found' <<<"$out"; then die "$bin: unresolved libraries: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"; fi
  awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' <<<"$out" | while read -r lib; do
    case "$lib" in /lib64/*|/usr/lib64/*) dst=/usr/lib64 ;; *) dst=/usr/lib/x86_64-linux-gnu ;; esac
    [ -e "$R$dst/$(basename "$lib")" ] || cp -L "$lib" "$R$dst/$(basename "$lib")"
  done
}
# install_bin SRC DIR [LIBPATH]: a real program replaces any busybox applet of the same name.
install_bin() {
  local src=$1 dir=$2 n
  [ -f "$src" ] || die "program $src not found"
  n=$(basename "$src")
  rm -f "$R/usr/bin/$n" "$R/usr/sbin/$n"
  cp -L "$src" "$R$dir/$n"
  copy_libs "${3:-}" "$src"
}
# from_debs NAME: the path of program NAME in the unpacked debs
from_debs() {
  local d
  for d in usr/sbin usr/bin sbin bin; do [ -f "$U/$d/$1" ] && { echo "$U/$d/$1"; return; }; done
  die "program $1 is in none of the downloaded packages"
}

# From the host: its node (native addons in node_modules must match it) and glibc (node's),
# dash/bash, and util-linux (Essential on Debian: always there).
# Debian's busybox ash prefers its own applets to $PATH (its `ip` has no netns), so commands run
# under dash (/bin/sh) or bash.
install_bin /bin/dash /usr/bin
install_bin /bin/bash /usr/bin
ln -sf dash "$R/usr/bin/sh"
install_bin "$NODE" /usr/bin
for b in setpriv nsenter unshare; do install_bin "$(command -v "$b")" /usr/bin; done
# Native addons (rolldown, koffi) dlopen more of glibc than node links: ship all of it, with the
# C++ runtime and zlib.
for lib in $(dpkg -L libc6 libstdc++6 libgcc-s1 zlib1g 2>/dev/null |
             grep -E '^/(usr/)?lib/x86_64-linux-gnu/[^/]+\.so[.0-9]*$'); do
  [ -e "$R/usr/lib/x86_64-linux-gnu/$(basename "$lib")" ] || cp -L "$lib" "$R/usr/lib/x86_64-linux-gnu/" 2>/dev/null || true
done
[ -e "$R/usr/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$R/usr/lib64/"

# From the downloaded debs: the tools the kernel tests drive or compare against.
ULIB=$U/usr/lib/x86_64-linux-gnu:$U/lib/x86_64-linux-gnu
install_bin "$(from_debs ipvsadm)" /usr/sbin "$ULIB"
install_bin "$(from_debs ip)" /usr/sbin "$ULIB"
install_bin "$(from_debs ss)" /usr/bin "$ULIB"
install_bin "$(from_debs tcpdump)" /usr/bin "$ULIB"
install_bin "$(from_debs keepalived)" /usr/sbin "$ULIB"
install_bin "$(from_debs openssl)" /usr/bin "$ULIB"
for b in capsh getpcaps setcap getcap; do install_bin "$(from_debs "$b")" /usr/sbin "$ULIB"; done
# keepalived loads libnl-genl (IPVS) with dlopen in some builds: make sure it is there.
for lib in "$U"/lib/x86_64-linux-gnu/libnl-*.so.* "$U"/usr/lib/x86_64-linux-gnu/libnl-*.so.*; do
  [ -e "$lib" ] || continue
  [ -e "$R/usr/lib/x86_64-linux-gnu/$(basename "$lib")" ] || cp -L "$lib" "$R/usr/lib/x86_64-linux-gnu/"
done
[ -d "$U/etc/iproute2" ] && cp -a "$U/etc/iproute2" "$R/etc/"
[ -d "$U/usr/share/iproute2" ] && mkdir -p "$R/usr/share" && cp -a "$U/usr/share/iproute2" "$R/usr/share/"
mkdir -p "$R/etc/ssl/certs" "$R/etc/ssl/private" "$R/usr/lib/ssl" "$R/etc/keepalived"
cp "$U/etc/ssl/openssl.cnf" "$R/etc/ssl/openssl.cnf"
ln -s /etc/ssl/openssl.cnf "$R/usr/lib/ssl/openssl.cnf"
ln -s /etc/ssl/certs "$R/usr/lib/ssl/certs"
ln -s /etc/ssl/private "$R/usr/lib/ssl/private"

# ---- 6. kernel modules, with their dependency closure -------------------------------------------
MODS=(ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_sh ip_vs_dh ip_vs_sed ip_vs_nq ip_vs_mh
      ip_vs_fo ip_vs_ovf ip_vs_lblc ip_vs_lblcr ip_vs_ftp
      nf_conntrack nf_nat dummy veth bridge nlmon crc32c_generic crc32c-intel
      virtio_mmio virtio_pci virtio_console 9pnet_virtio 9p ${LVSCARE_VM_EXTRA_MODULES:-})
declare -A want=()
add_module() { # add_module NAME: the module and, recursively, what modules.dep says it needs
  local path dep
  path=$(awk -F: -v m="/$1.ko" 'substr($1, length($1) - length(m) + 1) == m { print $1; exit }' "$MD/modules.dep")
  if [ -z "$path" ]; then
    grep -q "/$1.ko$" "$MD/modules.builtin" 2>/dev/null && return 0   # built in: nothing to ship
    log "module $1 is not in $KVER (left out)"; return 0
  fi
  [ -n "${want[$path]:-}" ] && return 0
  want[$path]=1
  for dep in $(grep "^$path:" "$MD/modules.dep" | cut -d: -f2); do add_module "$(basename "$dep" .ko)"; done
}
for m in "${MODS[@]}"; do add_module "$m"; done
RM=$R/lib/modules/$KVER
mkdir -p "$RM"
for p in "${!want[@]}"; do mkdir -p "$RM/$(dirname "$p")"; cp "$MD/$p" "$RM/$p"; done
cp "$MD"/modules.builtin* "$MD"/modules.order "$RM/" 2>/dev/null || true
busybox depmod -b "$R" "$KVER"

# ---- 7. /etc and /init ----------------------------------------------------------------------------
cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
tcpdump:x:101:101:tcpdump:/nonexistent:/usr/sbin/nologin
keepalived_script:x:102:65534:keepalived scripts:/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
printf 'root:x:0:\ntcpdump:x:101:\nnogroup:x:65534:\n' >"$R/etc/group"
printf '127.0.0.1 localhost lvscare-vm\n::1 localhost ip6-localhost\n' >"$R/etc/hosts"
printf 'hosts: files\npasswd: files\ngroup: files\n' >"$R/etc/nsswitch.conf"
: >"$R/etc/resolv.conf"
echo "export PS1='lvscare-vm:\\w# '" >"$R/etc/profile"
install -m 0755 "$HERE/guest-init.sh" "$R/init"

# The manifest goes into the image too (/etc/lvscare-vm-manifest.txt), so provenance written in
# the guest (test/fixtures/ipvsadm/README.md) can name package versions.
debv() { dpkg-deb -f "$(deb "$1")" Version; }
{
  echo "kernel: $KPKG $(debv "$KPKG")"
  for p in "${TOP[@]}"; do echo "$p: $(debv "$p")"; done
  echo "libraries (from debs): $(for p in "${LIBS[@]}"; do printf '%s=%s ' "$p" "$(debv "$p")"; done)"
  echo "host: node $("$NODE" --version) ($NODE), glibc $(dpkg-query -W -f='${Version}' libc6)," \
       "util-linux $(dpkg-query -W -f='${Version}' util-linux), busybox $(dpkg-query -W -f='${Version}' busybox-static)"
  echo "modules:"; (cd "$RM" && find . -name '*.ko' | sort | sed 's|^\./|  |')
} >"$R/etc/lvscare-vm-manifest.txt"

# ---- 8. pack into a new image dir, then swap it in ---------------------------------------------
NEW=$LAB/image.new
rm -rf "$NEW"; mkdir -p "$NEW"
# bzImage = setup code + an xz stream holding the ELF kernel. qemu boots the ELF directly through
# its PVH entry point, which skips real-mode setup and in-guest decompression (seconds under TCG).
off=$(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$KTREE/boot/vmlinuz-$KVER" | head -n1 | cut -d: -f1)
[ -n "$off" ] || die "no xz stream in vmlinuz-$KVER"
# (xz stops reading after the stream, so tail may die of SIGPIPE: its status does not matter)
xz -dc --single-stream <(tail -c "+$((off + 1))" "$KTREE/boot/vmlinuz-$KVER") >"$NEW/vmlinux"
[ "$(head -c4 "$NEW/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || die "vmlinux is not an ELF file"
# Same inputs, same archive content: sorted names, one fixed mtime.
find "$R" -exec touch -h -d @0 {} +
(cd "$R" && find . | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) >"$NEW/initrd.cpio"
echo "$KVER" >"$NEW/kver"
cp "$R/etc/lvscare-vm-manifest.txt" "$NEW/manifest.txt"
echo "$STAMP" >"$NEW/stamp"   # written last: a half-built dir never looks fresh
rm -rf "$LAB/image.old"
[ -d "$OUT" ] && mv "$OUT" "$LAB/image.old"
mv "$NEW" "$OUT"
rm -rf "$LAB/image.old" "$R"
# Keep the lab dir from growing with every Debian point release: only the current kernel tree
# and the newest .deb of each package stay.
for d in "$LAB"/kernel-*; do [ "$d" = "$KTREE" ] || rm -rf "$d"; done
for p in "$KPKG" "${TOP[@]}" "${LIBS[@]}"; do
  compgen -G "$DEBS/${p}_*.deb" | sort -V | head -n -1 | xargs -r rm -f
done
for f in "$DEBS"/linux-image-*.deb; do [[ "$(basename "$f")" == "${KPKG}_"* ]] || rm -f "$f"; done
log "done: $OUT (kernel $KVER, initrd $(du -h "$OUT/initrd.cpio" | cut -f1), $(grep -c '\.ko$' "$OUT/manifest.txt") modules)"
