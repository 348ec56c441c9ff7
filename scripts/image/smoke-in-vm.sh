#!/usr/bin/env bash
# smoke-in-vm.sh: the image's runtime tree against a real IPVS kernel, in the qemu test guest.
#
#   scripts/image/verify-rootfs.sh && scripts/image/smoke-in-vm.sh [RUNTIME_TREE]
#
# Shares the runtime stage's tree that verify-rootfs.sh left (default
# /var/tmp/lvscare-image/stages/runtime) into the guest (test/vm/run-in-vm.sh: Debian's kernel
# with ip_vs, no network device) and, chrooted into it, runs the Dockerfile's ENTRYPOINT as
# `docker run` would: `care --run-once` creates the virtual server with two TCP-probed real
# servers (ipvsadm -Ln, the guest's own, must show them), `ipvs list` prints the table exactly as
# ipvsadm does, and `care -C` removes it again. One guest, for about a minute.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOT=$(realpath "${1:-${LVSCARE_IMAGE_CACHE:-/var/tmp/lvscare-image}/stages/runtime}")
[ -x "$ROOT/usr/local/bin/node" ] && [ -d "$ROOT/app/dist" ] || {
  echo "smoke-in-vm: $ROOT is not a runtime tree: run scripts/image/verify-rootfs.sh first" >&2
  exit 1
}
mapfile -t ENTRYPOINT < <(node "$REPO/scripts/image/dockerfile.mjs" plan "$REPO/Dockerfile" |
  awk '$1 == "ENTRYPOINT" { e = $0 } END { n = split(e, w, " "); for (i = 2; i <= n; i++) print w[i] }' |
  while read -r w; do printf '%s\n' "$(printf '%s' "$w" | base64 -d)"; done)
[ ${#ENTRYPOINT[@]} -gt 0 ] || { echo "smoke-in-vm: no ENTRYPOINT in the Dockerfile" >&2; exit 1; }

GUEST=$(mktemp "${TMPDIR:-/tmp}/lvscare-smoke.XXXXXX.sh")
trap 'rm -f "$GUEST"' EXIT
cat >"$GUEST" <<'GUEST_SCRIPT'
set -euo pipefail
root=$1
shift
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
trap 'umount -l "$root/dev" "$root/proc"' EXIT
ip link set lo up
lvscare() { chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin NODE_ENV=production "$@"; }
entry=("$@")
VS=10.103.97.2:6443
echo "== $(lvscare "${entry[@]}" --version) (node $(lvscare node --version)) on $(uname -r)"
echo "== care --run-once"
lvscare "${entry[@]}" care --vs $VS --rs 127.0.0.1:1 --rs 127.0.0.2:1@3 --health-schem tcp --health-timeout 1s --mode "" --run-once
ipvsadm -Ln | tee /tmp/ipvsadm.txt
grep -q "^TCP  $VS rr" /tmp/ipvsadm.txt && grep -q -- '-> 127.0.0.1:1 *Masq *1 ' /tmp/ipvsadm.txt && grep -q -- '-> 127.0.0.2:1 *Masq *3 ' /tmp/ipvsadm.txt ||
  { echo "FAIL: ipvsadm -Ln does not show the virtual server with both real servers"; exit 1; }
echo "== ipvs list (must equal ipvsadm -Ln)"
lvscare "${entry[@]}" ipvs list >/tmp/ours.txt
diff -u /tmp/ipvsadm.txt /tmp/ours.txt || { echo "FAIL: lvscare ipvs list differs from ipvsadm -Ln"; exit 1; }
echo "== care -C"
lvscare "${entry[@]}" care --vs $VS -C --mode ""
if ipvsadm -Ln | grep -q "$VS"; then echo "FAIL: the virtual server is still there after -C"; exit 1; fi
echo "== ok: the image's runtime tree keeps and removes IPVS rules in a real kernel"
GUEST_SCRIPT

exec "$REPO/test/vm/run-in-vm.sh" -d "$ROOT" -t 600 -f "$GUEST" "$ROOT" "${ENTRYPOINT[@]}"
