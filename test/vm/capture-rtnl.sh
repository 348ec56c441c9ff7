#!/usr/bin/env bash
# capture-rtnl.sh: records the rtnetlink requests `ip` sends for what link and route modes do,
# and writes them as golden fixtures to test/fixtures/ip/ (NAME.hex: the request of the step's
# message type; README.md: how each was made). The unit tier decodes them with our codec and
# compares them with what our encoder writes (test/unit/rtnl/ip-golden.test.ts).
#
#   test/vm/capture-rtnl.sh            on the host: runs itself in the qemu guest (run-in-vm.sh)
#   test/vm/capture-rtnl.sh --native   here, as root, with iproute2, tcpdump and node
#
# How: as capture-netlink.sh, an nlmon device in a namespace of its own sees every netlink
# message of the namespace while one `ip` command runs; rtnl-pcap-to-hex.mjs keeps the requests
# of the step's type (what else ip sends, its name look-ups and probes, is left out).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/test/fixtures/ip
if [ -z "${LVSCARE_IN_GUEST:-}" ] && [ "${1:-}" != --native ]; then
  exec bash "$HERE/run-in-vm.sh" -d "$ROOT" -- bash "$HERE/capture-rtnl.sh" --native
fi

# Steps: NAME TYPE IP-ARGS... (TYPE: the rtnetlink message type kept, RTM_NEWLINK = 16 ...)
STEPS=$(cat <<'EOF2'
link-add-dummy          16  link add lvscare type dummy
link-set-up             16  link set lvscare up
link-set-alias          16  link set lvscare alias ours
addr-add-4              20  addr add 10.103.97.2/32 dev lvscare
addr-add-6              20  addr add fd00:10::10/128 dev lvscare nodad
route-replace-local-4   24  route replace local 10.103.97.2 dev lvscare table local proto 76 scope host src 10.0.0.254
route-del-local-4       25  route del local 10.103.97.2 dev lvscare table local proto 76 scope host src 10.0.0.254
addr-del-4              21  addr del 10.103.97.2/32 dev lvscare
link-del                17  link del lvscare
EOF2
)

NS=lvscare-capture-rtnl
T=$(mktemp -d /tmp/lvscare-capture.XXXXXX)
cleanup() { ip netns del "$NS" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
modprobe dummy 2>/dev/null || true
ip netns add "$NS"
ip -n "$NS" -batch - <<'EOF2'
link set lo up
link add lvscap0 type dummy
link set lvscap0 up
addr add 10.0.0.254/16 dev lvscap0
link add nlmon0 type nlmon
link set nlmon0 up
EOF2

# capture NAME ARGS...: tcpdump on nlmon0 while `ip ARGS` runs (see capture-netlink.sh for the flags).
capture() {
  local name=$1 pid
  shift
  ip netns exec "$NS" tcpdump -Z root --immediate-mode -U -s 65535 -B 32768 -i nlmon0 -w "$T/$name.pcap" 2>"$T/tcpdump.err" &
  pid=$!
  for _ in $(seq 200); do grep -q 'listening on' "$T/tcpdump.err" && break; sleep 0.05; done
  ip -n "$NS" "$@"
  sleep 0.5
  kill -INT "$pid"; wait "$pid" || true
}

rm -f "$OUT"/*.hex
mkdir -p "$OUT"
JOBS=() LOG=()
while read -r name type args; do
  read -r -a argv <<<"$args"
  capture "$name" "${argv[@]}"
  JOBS+=("$name=$T/$name.pcap@$type")
  LOG+=("| \`$name\` | \`ip $args\` | $type |")
  echo "capture-rtnl: $name: ip $args"
done <<<"$STEPS"
node "$HERE/rtnl-pcap-to-hex.mjs" "$OUT" "${JOBS[@]}"

{
  echo '# Golden rtnetlink requests of `ip`'
  echo
  echo 'Made by `test/vm/capture-rtnl.sh` (run it again to regenerate them). Do not edit by hand.'
  echo
  echo "- Kernel: Linux $(uname -r), in the qemu guest of \`test/vm/\`"
  echo "- iproute2: $(ip -V 2>&1 | head -n1)"
  echo "- Captured $(date -u +%Y-%m-%d) with tcpdump on an nlmon device, in a namespace made for it"
  echo '  (`lo` up, `lvscap0` dummy with 10.0.0.254/16), the steps in order, each on the state the'
  echo '  one before left.'
  echo
  echo 'Each `NAME.hex` holds the requests of the step'"'"'s message type `ip` sent (hex, 16 bytes a line,'
  echo 'one message per paragraph, host byte order). `nlmsg_seq` (bytes 8-11) and `nlmsg_pid`'
  echo '(12-15) vary between runs; interface indexes are those of this namespace.'
  echo
  echo '| File (NAME) | Command | Type kept |'
  echo '|---|---|---|'
  printf '%s\n' "${LOG[@]}"
} >"$OUT/README.md"
echo "capture-rtnl: wrote $(ls "$OUT"/*.hex | wc -l) files and README.md to $OUT"
