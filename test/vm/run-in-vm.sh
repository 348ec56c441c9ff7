#!/usr/bin/env bash
# run-in-vm.sh: boots the lvscare test guest (built by build-image.sh, rebuilt here when stale)
# under qemu, shares a host directory into it, runs one command there, streams the command's
# output and exits with the command's exit code.
#
#   run-in-vm.sh [options] [--] 'SHELL SNIPPET'     one argument: run by the guest's bash
#   run-in-vm.sh [options] [--] COMMAND ARG...      several: exec'd as an argv
#   run-in-vm.sh [options] -f SCRIPT [ARG...]       SCRIPT (a host file) run by the guest's bash
#   run-in-vm.sh [options] -i                        interactive shell (needs a terminal)
#
# Options:
#   -d DIR     host directory to share (default $PWD), mounted read-write at the same absolute
#              path in the guest, so paths inside it mean the same thing on both sides
#   -C DIR     working directory in the guest (default: the -d DIR)
#   -m MB      guest memory (default $LVSCARE_VM_MEM or 2048)
#   -c N       guest vCPUs (default $LVSCARE_VM_CPUS or the host's nproc)
#   -t SECS    hard limit for the whole run (default 900): exit 124 when reached
#   -e K=V     export K=V for the command (repeatable). CI, NO_COLOR, FORCE_COLOR, NODE_OPTIONS
#              GITHUB_ACTIONS and TERM pass through when set; nothing else of the host's env does.
#   -v         show the kernel's boot messages
# Env: LVSCARE_VM_DIR (lab dir, default /var/tmp/lvscare-vm), LVSCARE_VM_BOOT_TIMEOUT (seconds
#      to wait for the guest's first sign of life before retrying, default 60),
#      LVSCARE_VM_BOOT_ATTEMPTS (default 3), LVSCARE_VM_MACHINE (microvm | q35, default microvm),
#      LVSCARE_VM_9P_CACHE (loose | mmap | none, default loose).
#
# Exit codes: the command's own; 124 on timeout; 125 when the guest died or never reported one;
# 2 on bad usage. The guest has no network device: nothing it does can leave it.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB=${LVSCARE_VM_DIR:-/var/tmp/lvscare-vm}
IMG=$LAB/image
DIR=$PWD CWD= MEM=${LVSCARE_VM_MEM:-2048} CPUS=${LVSCARE_VM_CPUS:-$(nproc)}
TMO=900 VERBOSE=0 INTERACTIVE=0 SCRIPT= ENVS=()
BOOT_TMO=${LVSCARE_VM_BOOT_TIMEOUT:-60} ATTEMPTS=${LVSCARE_VM_BOOT_ATTEMPTS:-3}
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d;s/^# \{0,1\}//' >&2; exit 2; }
while getopts ':d:C:m:c:t:e:vif:h' o; do
  case $o in
    d) DIR=$OPTARG ;; C) CWD=$OPTARG ;; m) MEM=$OPTARG ;; c) CPUS=$OPTARG ;; t) TMO=$OPTARG ;;
    e) ENVS+=("$OPTARG") ;; v) VERBOSE=1 ;; i) INTERACTIVE=1 ;; f) SCRIPT=$OPTARG ;; *) usage ;;
  esac
done
shift $((OPTIND - 1))
DIR=$(cd "$DIR" && pwd) || exit 2
case "$DIR" in  # mounted at the same path in the guest: it must not hide the guest's own files
  /|/usr|/usr/*|/bin|/bin/*|/sbin|/sbin/*|/lib|/lib/*|/lib64|/lib64/*|/etc|/etc/*|/proc|/proc/*|\
  /sys|/sys/*|/dev|/dev/*|/lab|/lab/*|/run|/run/*|/tmp|/var|/var/tmp|/root)
    echo "run-in-vm: cannot share $DIR (it would cover the guest's own $DIR)" >&2; exit 2 ;;
esac
CWD=${CWD:-$DIR}
if [ "$INTERACTIVE" = 0 ] && [ -z "$SCRIPT" ] && [ $# -eq 0 ]; then
  echo "run-in-vm: nothing to run (give a command, -f SCRIPT or -i)" >&2; exit 2
fi
command -v qemu-system-x86_64 >/dev/null ||
  { echo "run-in-vm: qemu-system-x86_64 not found: apt-get install qemu-system-x86" >&2; exit 2; }

bash "$HERE/build-image.sh" --if-stale >&2 || { echo "run-in-vm: cannot build the guest image" >&2; exit 125; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lvscare-vm-run.XXXXXX")   # host-only: fifo, marker files
RUN=$TMP/lab                                                # shared into the guest as /lab
mkdir "$RUN"
QPID= SPID=
cleanup() {
  [ -n "$QPID" ] && kill "$QPID" 2>/dev/null
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }   # quote for sh
for v in CI NO_COLOR FORCE_COLOR NODE_OPTIONS GITHUB_ACTIONS TERM; do   # the guest starts with a bare env
  [ -n "${!v+x}" ] && ENVS=("$v=${!v}" "${ENVS[@]}")
done
{
  for kv in "${ENVS[@]}"; do printf 'export %s=%s\n' "${kv%%=*}" "$(q "${kv#*=}")"; done
  printf 'cd %s || exit 125\n' "$(q "$CWD")"
  if [ -n "$SCRIPT" ]; then
    cp "$SCRIPT" "$RUN/user-script.sh"
    printf 'bash /lab/user-script.sh'
    for a in "$@"; do printf ' %s' "$(q "$a")"; done
  elif [ $# -eq 1 ]; then
    printf '%s' "$1"
  else
    printf 'exec'
    for a in "$@"; do printf ' %s' "$(q "$a")"; done
  fi
  printf '\n'
} >"$RUN/cmd.sh"
[ "$INTERACTIVE" = 1 ] && rm -f "$RUN/cmd.sh"

APPEND="console=ttyS0 panic=-1 oops=panic lvscare.work=$DIR lvscare.cwd=$CWD"
APPEND="$APPEND lvscare.9pcache=${LVSCARE_VM_9P_CACHE:-loose}"
[ "$VERBOSE" = 1 ] || APPEND="$APPEND quiet loglevel=1"
[ "$INTERACTIVE" = 1 ] && APPEND="$APPEND lvscare.shell=1"
[ -t 1 ] || APPEND="$APPEND lvscare.tty=0"
MACHINE=${LVSCARE_VM_MACHINE:-microvm}
if [ "$MACHINE" = microvm ]; then
  # microvm: no PCI, no firmware, virtio-mmio devices announced by ACPI; boots about 1 s faster
  # than q35. It has no HPET or PM timer, so under TCG the kernel's TSC calibration can fail and
  # the boot hang (seen once in six boots): give it the TSC rate (TCG's guest TSC runs at the
  # host's rate) and tell it to trust the TSC.
  KHZ=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
  APPEND="$APPEND ${KHZ:+tsc_early_khz=$KHZ }tsc=reliable pci=off"
  # (virtio 1.0 transport rather than the legacy default: the times in README.md are with it)
  MACH=(-machine microvm,acpi=on -global virtio-mmio.force-legacy=false) VDEV=device
else
  MACH=(-machine q35) VDEV=pci
fi
KERNEL=$IMG/vmlinux

# boot_once: one boot of the guest. Sets BOOTED=1 once the guest's first line arrived; returns
# qemu's exit status. The console goes through sed, which drops the protocol lines and records
# the boot marker; qemu runs in the background so a TERM/INT reaches our trap at once.
boot_once() {
  local qrc
  rm -f "$RUN/rc"; : >"$TMP/up"
  local qemu=(qemu-system-x86_64 "${MACH[@]}" -accel tcg,thread=multi -cpu max -smp "$CPUS"
    -m "$MEM" -nodefaults -no-user-config -display none -nic none -no-reboot
    -kernel "$KERNEL" -initrd "$IMG/initrd.cpio"
    -append "$APPEND lvscare.epoch=$(date +%s)"
    -fsdev "local,id=lab,path=$RUN,security_model=none" -device "virtio-9p-$VDEV,fsdev=lab,mount_tag=lab"
    -fsdev "local,id=work,path=$DIR,security_model=none" -device "virtio-9p-$VDEV,fsdev=work,mount_tag=work")
  if [ "$INTERACTIVE" = 1 ]; then
    BOOTED=1
    timeout --foreground "$TMO" "${qemu[@]}" -serial mon:stdio
    return $?
  fi
  rm -f "$TMP/console"; mkfifo "$TMP/console"
  sed -u -e "/^@@LVSCARE-GUEST-UP@@\r\{0,1\}\$/{w $TMP/up
d}" -e '/^@@LVSCARE-EXIT-CODE=[0-9]*@@\r\{0,1\}$/d' -e '/\] reboot: Power down\r\{0,1\}$/d' \
    <"$TMP/console" &
  SPID=$!
  timeout --foreground "$TMO" "${qemu[@]}" -chardev stdio,id=con,signal=off -serial chardev:con \
    </dev/null >"$TMP/console" 2>&1 &
  QPID=$!
  local ticks=0
  BOOTED=0
  while kill -0 "$QPID" 2>/dev/null; do
    if [ -s "$TMP/up" ]; then BOOTED=1; break; fi
    if (((ticks += 1) > BOOT_TMO * 10)); then
      echo "run-in-vm: no sign of life from the guest after ${BOOT_TMO}s: stopping it" >&2
      kill "$QPID" 2>/dev/null; break
    fi
    sleep 0.1
  done
  wait "$QPID"; qrc=$?
  QPID=
  wait "$SPID"; SPID=
  [ -s "$TMP/up" ] && BOOTED=1
  return "$qrc"
}

attempt=1
while :; do
  boot_once; qrc=$?
  [ "$INTERACTIVE" = 1 ] && exit 0
  [ "$BOOTED" = 1 ] && break
  if ((attempt >= ATTEMPTS)); then
    echo "run-in-vm: the guest did not boot in $ATTEMPTS attempts (qemu rc=$qrc)" >&2; exit 125
  fi
  attempt=$((attempt + 1))
  echo "run-in-vm: retrying the boot (attempt $attempt of $ATTEMPTS)" >&2
done
if [ -f "$RUN/rc" ]; then
  exit "$(cat "$RUN/rc")"
elif [ "$qrc" = 124 ]; then
  echo "run-in-vm: timeout after ${TMO}s" >&2; exit 124
else
  echo "run-in-vm: the guest ended without an exit code (qemu rc=$qrc)" >&2; exit 125
fi
