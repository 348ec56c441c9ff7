#!/bin/busybox sh
# /init of the lvscare test guest: PID 1, busybox ash. build-image.sh puts it in the initramfs;
# run-in-vm.sh boots it.
#
# Contract with run-in-vm.sh:
#   - the first line on the console is @@LVSCARE-GUEST-UP@@: the kernel booted and /init runs
#     (run-in-vm.sh retries a boot that never prints it);
#   - the 9p share tagged "lab" is mounted at /lab; it holds cmd.sh, the command to run;
#   - the 9p share tagged "work" is mounted at lvscare.work (the same absolute path as on the host);
#   - cmd.sh runs under bash in lvscare.cwd with stdin /dev/null; its exit code goes to /lab/rc
#     and to the console as @@LVSCARE-EXIT-CODE=N@@; then the guest powers off.
# Kernel command line keys read here: lvscare.work, lvscare.cwd, lvscare.epoch (host clock, the
# guest has no RTC), lvscare.shell=1 (interactive shell instead of cmd.sh), lvscare.9pcache,
# lvscare.tty=0 (stdout is not a terminal on the host: give the command a pipe too).

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=${TERM:-dumb} LANG=C.UTF-8 LVSCARE_IN_GUEST=1

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run
[ -d /sys/fs/cgroup ] && mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null

exec </dev/console >/dev/console 2>&1
stty -onlcr 2>/dev/null   # else the serial line turns every \n into \r\n on the host
echo "@@LVSCARE-GUEST-UP@@"

arg() { # arg KEY DEFAULT: the value of KEY=... on the kernel command line
  v=$(tr ' ' '\n' </proc/cmdline | sed -n "s|^$1=||p" | tail -n1)
  echo "${v:-$2}"
}
WORK=$(arg lvscare.work /work)
CWD=$(arg lvscare.cwd "$WORK")
EPOCH=$(arg lvscare.epoch 0)
[ "$EPOCH" != 0 ] && date -s "@$EPOCH" >/dev/null
hostname lvscare-vm
ip link set lo up

modprobe -q virtio_mmio; modprobe -q virtio_pci; modprobe -q 9pnet_virtio; modprobe -q 9p
mount_share() { # mount_share TAG DIR
  mkdir -p "$2" &&
  mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,cache=$(arg lvscare.9pcache loose),access=any" "$1" "$2"
}
mount_share lab /lab || echo "[guest-init] cannot mount the lab share"
mount_share work "$WORK" || echo "[guest-init] cannot mount the work share at $WORK"
cd "$CWD" 2>/dev/null || cd /

if [ "$(arg lvscare.shell 0)" = 1 ]; then
  echo "[guest-init] interactive shell; exit powers the guest off"
  setsid cttyhack bash -l
  rc=$?
elif [ ! -f /lab/cmd.sh ]; then
  echo "[guest-init] no /lab/cmd.sh: nothing to run"
  rc=125
elif [ "$(arg lvscare.tty 1)" = 0 ]; then
  set -o pipefail 2>/dev/null
  bash /lab/cmd.sh 2>&1 </dev/null | cat
  rc=$?
else
  bash /lab/cmd.sh </dev/null
  rc=$?
fi

echo "$rc" >/lab/rc 2>/dev/null
echo "@@LVSCARE-EXIT-CODE=$rc@@"
sync
umount -a -r 2>/dev/null
poweroff -f
