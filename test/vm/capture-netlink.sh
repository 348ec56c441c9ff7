#!/usr/bin/env bash
# capture-netlink.sh: records the generic-netlink messages ipvsadm exchanges with the kernel and
# writes them as golden fixtures to test/fixtures/ipvsadm/ (NAME.hex what ipvsadm sent,
# NAME.reply.hex what the kernel answered, README.md how every file was made).
#
#   test/vm/capture-netlink.sh            on the host: runs itself in the qemu guest (run-in-vm.sh)
#   test/vm/capture-netlink.sh --native   here, as root, on a kernel with ip_vs, with ipvsadm,
#                                         tcpdump and node installed (versions go into README.md)
#
# How: in a network namespace of its own, an nlmon device sees every netlink message of the
# namespace; for each step below, tcpdump records it while one ipvsadm command runs, then
# pcap-to-hex.mjs keeps ipvsadm's requests and the kernel's answers to them. Steps run in order
# and the IPVS table carries over from one to the next, so later files depend on earlier steps.
# It fails when a step's ipvsadm exit code is not the expected one or a capture is incomplete.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/test/fixtures/ipvsadm
if [ -z "${LVSCARE_IN_GUEST:-}" ] && [ "${1:-}" != --native ]; then
  exec bash "$HERE/run-in-vm.sh" -d "$ROOT" -- bash "$HERE/capture-netlink.sh" --native
fi

# Steps: NAME SELECT WHERE EXPECTED-EXIT IPVSADM-ARGS...
#   SELECT  command | ctrl | info (see pcap-to-hex.mjs), or - to run the step without capturing
#   WHERE   full: the namespace with lo up, 10.0.0.254/16 and fd00::fe/64 on a dummy interface;
#           bare: a namespace with only nlmon0 up and no address at all (lo down);
#           noadmin: the full namespace, ipvsadm started without CAP_NET_ADMIN
STEPS=$(cat <<'EOF'
ctrl-getfamily-ipvs                ctrl    full    0    -Ln
get-info                           info    full    0    -Ln
list-empty                         command full    0    -Ln
add-service-tcp4-rr                command full    0    -A -t 10.0.0.1:80 -s rr
add-service-tcp4-wlc-persistent    command full    0    -A -t 10.0.0.2:443 -s wlc -p 300 -M 255.255.255.0
add-service-udp4-sh-flags          command full    0    -A -u 10.0.0.3:53 -s sh -b sh-fallback,sh-port
add-service-udp4-ops               command full    0    -A -u 10.0.0.4:514 -s rr -o
add-service-fwmark4-wrr            command full    0    -A -f 42 -s wrr
add-service-tcp6-rr                command full    0    -A -t [fd00::1]:6443 -s rr
add-service-udp6-mh-persistent     command full    0    -A -u [fd00::2]:53 -s mh -b mh-port -p 60
add-service-fwmark6-lc             command full    0    -A -f 43 -6 -s lc
edit-service-tcp4-wrr              command full    0    -E -t 10.0.0.1:80 -s wrr
add-dest-tcp4-masq                 command full    0    -a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 1
add-dest-tcp4-route                command full    0    -a -t 10.0.0.1:80 -r 10.0.1.2 -g -w 2
add-dest-tcp4-tunnel               command full    0    -a -t 10.0.0.1:80 -r 10.0.1.3 -i -w 3
add-dest-tcp4-thresholds           command full    0    -a -t 10.0.0.1:80 -r 10.0.1.4:8080 -m -w 4 -x 100 -y 10
add-dest-udp4-masq                 command full    0    -a -u 10.0.0.3:53 -r 10.0.1.5:5353 -m
add-dest-fwmark4-masq              command full    0    -a -f 42 -r 10.0.1.6:80 -m -w 1
add-dest-tcp6-masq                 command full    0    -a -t [fd00::1]:6443 -r [fd00::10]:6443 -m -w 1
edit-dest-tcp4-weight0             command full    0    -e -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 0
list-all                           command full    0    -Ln
list-service-tcp4                  command full    0    -Ln -t 10.0.0.1:80
zero-all                           command full    0    -Z
set-timeouts                       command full    0    --set 900 120 300
list-timeouts                      command full    0    -Ln --timeout
error-add-service-exists           command full    255  -A -t 10.0.0.1:80 -s rr
error-add-service-no-scheduler     command full    255  -A -t 10.0.0.9:80 -s nosuch
error-del-service-missing          command full    255  -D -t 10.0.0.99:80
error-add-dest-no-service          command full    255  -a -t 10.0.0.99:80 -r 10.0.1.1:80 -m
error-add-dest-exists              command full    255  -a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m
error-del-dest-missing             command full    255  -d -t 10.0.0.1:80 -r 10.0.1.99:8080
del-dest-tcp4                      command full    0    -d -t 10.0.0.1:80 -r 10.0.1.4:8080
del-service-udp4                   command full    0    -D -u 10.0.0.3:53
del-service-fwmark6                command full    0    -D -f 43 -6
flush                              command full    0    -C
list-empty-after-flush             command full    0    -Ln
error-get-info-eperm               info    noadmin 2    -Ln
-                                  -       bare    0    -A -t 10.0.0.1:80 -s rr
error-add-dest-no-route-table      command bare    255  -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m
EOF
)

NS_FULL=lvscare-capture NS_BARE=lvscare-capture-bare
T=$(mktemp -d /tmp/lvscare-capture.XXXXXX)
cleanup() { ip netns del "$NS_FULL" 2>/dev/null; ip netns del "$NS_BARE" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
modprobe ip_vs 2>/dev/null || true
[ -e /proc/net/ip_vs ] || { echo "capture-netlink: no ip_vs in this kernel" >&2; exit 1; }

ip netns add "$NS_FULL"
ip -n "$NS_FULL" -batch - <<'EOF'
link set lo up
link add lvscap0 type dummy
link set lvscap0 up
addr add 10.0.0.254/16 dev lvscap0
addr add fd00::fe/64 dev lvscap0 nodad
link add nlmon0 type nlmon
link set nlmon0 up
EOF
ip netns add "$NS_BARE"
ip -n "$NS_BARE" link add nlmon0 type nlmon
ip -n "$NS_BARE" link set nlmon0 up

# run_step WHERE ARGS...: ipvsadm in the step's namespace; stderr to $T/stderr
run_step() {
  local where=$1; shift
  case "$where" in
    full) ip netns exec "$NS_FULL" ipvsadm "$@" ;;
    bare) ip netns exec "$NS_BARE" ipvsadm "$@" ;;
    noadmin) ip netns exec "$NS_FULL" setpriv --bounding-set=-net_admin --inh-caps=-net_admin ipvsadm "$@" ;;
  esac >"$T/stdout" 2>"$T/stderr"
}
# capture NAME NS ...: tcpdump on the namespace's nlmon0 while the rest of the line runs.
# --immediate-mode: else packets wait in the capture ring until a block fills or times out.
# -Z root: Debian's tcpdump otherwise drops to user tcpdump. -s/-B: the capture ring holds
# buffer/snaplen frames; with the defaults (2 MiB, 256 KiB) that is 8, and a dump overflows it
# ("dropped by kernel"); 32 MiB / 64 KiB gives 512. Stopping tcpdump discards what it has
# not processed yet, so before stopping it we wait until it has written every packet its filter
# took (all of ipvsadm's are taken by then: the netlink tap runs in the sender's system call):
# SIGUSR1 makes tcpdump print "N packets captured, M packets received by filter, ...".
capture() {
  local name=$1 ns=$2 pid rc=0 seen stats
  shift 2
  ip netns exec "$ns" tcpdump -Z root --immediate-mode -U -s 65535 -B 32768 -i nlmon0 -w "$T/$name.pcap" 2>"$T/tcpdump.err" &
  pid=$!
  for _ in $(seq 200); do grep -q 'listening on' "$T/tcpdump.err" && break; sleep 0.05; done
  "$@" || rc=$?
  for _ in $(seq 100); do
    seen=$(grep -c 'captured' "$T/tcpdump.err" || true)
    kill -USR1 "$pid"
    while [ "$(grep -c 'captured' "$T/tcpdump.err" || true)" = "$seen" ]; do sleep 0.02; done
    stats=$(grep 'captured' "$T/tcpdump.err" | tail -n1)
    [ "$(drained "$stats")" = yes ] && break
    sleep 0.1
  done
  kill -INT "$pid"; wait "$pid" || true
  stats=$(tail -n3 "$T/tcpdump.err" | tr '\n' ' ')   # the final report takes three lines
  if [ "$(drained "$stats")" != yes ]; then
    echo "capture-netlink: step $name: tcpdump lost packets: $stats" >&2; exit 1
  fi
  return "$rc"
}
# drained STATS: yes when tcpdump's "N packets captured, M packets received by filter" has N = M
drained() {
  awk '{ for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^packets?$/ && $(i+2) ~ /^captured/) c = $i
                                     if ($(i+1) ~ /^packets?$/ && $(i+2) == "received") r = $i } }
       END { print (c != "" && c == r) ? "yes" : "no" }' <<<"$1"
}

rm -f "$OUT"/*.hex
mkdir -p "$OUT"
JOBS=() LOG=()
while read -r name select where expect args; do
  read -r -a argv <<<"$args"
  ns=$NS_FULL; [ "$where" = bare ] && ns=$NS_BARE
  rc=0
  if [ "$select" = - ]; then
    run_step "$where" "${argv[@]}" || rc=$?
  else
    capture "$name" "$ns" run_step "$where" "${argv[@]}" || rc=$?
    JOBS+=("$name=$T/$name.pcap@$select")
  fi
  if [ "$rc" != "$expect" ]; then
    echo "capture-netlink: step $name: ipvsadm $args exited $rc, expected $expect: $(cat "$T/stderr")" >&2
    exit 1
  fi
  LOG+=("$name|$select|$where|$rc|ipvsadm $args|$(tr '\n' ' ' <"$T/stderr" | sed 's/ *$//')")
  echo "capture-netlink: $name: ipvsadm $args -> $rc"
done <<<"$STEPS"

node "$HERE/pcap-to-hex.mjs" "$OUT" "${JOBS[@]}" >"$T/summaries"

# ---- README.md: provenance of every file -----------------------------------------------------------
manifest() { sed -n "s/^$1: //p" /etc/lvscare-vm-manifest.txt 2>/dev/null || true; }
{
  cat <<EOF
# Golden netlink captures of ipvsadm

Made by \`test/vm/capture-netlink.sh\` (run it again to regenerate every file here; it deletes the
old ones first). Do not edit these files by hand.

- Kernel: Linux $(uname -r)$( [ -n "$(manifest kernel)" ] && echo " (Debian $(manifest kernel))"), in the qemu guest of \`test/vm/\`
- ipvsadm: $(ipvsadm --version 2>&1 | head -n1)$( [ -n "$(manifest ipvsadm)" ] && echo " (Debian ipvsadm $(manifest ipvsadm))")
- Captured $(date -u +%Y-%m-%d) with tcpdump on an nlmon device, in a network namespace made for it.

## How each file was made

Each step ran one \`ipvsadm\` command in a namespace of its own while tcpdump captured the
namespace's netlink traffic; \`test/vm/pcap-to-hex.mjs\` then wrote

- \`NAME.hex\`: the messages ipvsadm sent for the step, in order. For ordinary steps, every IPVS
  request except \`IPVS_CMD_GET_INFO\`. libipvs resolves the family and sends \`IPVS_CMD_GET_INFO\`
  before every command (and resolves the family again for every request, each on a new socket);
  those are left out, except in \`ctrl-getfamily-ipvs\` and \`get-info\` / \`error-get-info-eperm\`,
  which hold only the first such request.
- \`NAME.reply.hex\`: every message the kernel sent back to those requests (matched by seq and pid),
  in order: acks and errors (\`NLMSG_ERROR\`), dump parts and the closing \`NLMSG_DONE\`.

The steps ran in the order below and the IPVS table carried over from step to step.
Namespaces: **full** has \`lo\` up and a dummy interface with 10.0.0.254/16 and fd00::fe/64
(nodad); **bare** has only the nlmon device up and no address at all, not even on \`lo\` (down):
there IPVS refuses an IPv4 destination with EINVAL, which it accepts as soon as \`lo\` is up;
**noadmin** is *full* with ipvsadm started
without CAP_NET_ADMIN (\`setpriv --bounding-set=-net_admin --inh-caps=-net_admin\`).

## Format

Hex bytes, lower case, 16 per line; every message starts on a new line and messages are separated
by a blank line. Whitespace carries no meaning: strip it and the rest is the byte stream, a series
of complete netlink messages (\`nlmsg_len\` each, padded to 4 bytes), host byte order (x86-64:
little-endian) except where the protocol says otherwise (ports, netmask, addresses).

## Fields that differ between runs: mask them in tests

- \`nlmsg_seq\` (bytes 8-11) and \`nlmsg_pid\` (bytes 12-15) of every message: libnl starts seq at
  the current time and picks the port id from its process id.
- An \`NLMSG_ERROR\` message echoes the request after the error code, so its bytes 28-31 (seq)
  and 32-35 (pid) vary too. An ack (error 0) echoes only the request's header (flag
  \`NLM_F_CAPPED\`); an error echoes the whole request, because ipvsadm's sockets do not set
  NETLINK_CAP_ACK (nor NETLINK_EXT_ACK: no extended-ack attributes follow).
- Dumps list services in the order of the kernel's service hash table, and that hash mixes in the
  namespace: in \`list-all\` the order of the services, and so of ipvsadm's \`IPVS_CMD_GET_DEST\`
  requests and their answers, changes from run to run. Compare dumped services as a set.
  Destinations of one service come in the order they were added.
- The IPVS family id (\`nlmsg_type\` of every IPVS message) is assigned when ip_vs registers: it
  was $(node -e '
const hex = require("fs").readFileSync(process.argv[1], "utf8").replace(/\s+/g, "");
const b = Buffer.from(hex, "hex");
const payload = b.subarray(20, b.readUInt32LE(0));
for (let o = 0; o + 4 <= payload.length; o += (payload.readUInt16LE(o) + 3) & ~3) {
  if (payload.readUInt16LE(o + 2) === 1) { const id = payload.readUInt16LE(o + 4); console.log(`0x${id.toString(16)} (${id})`); }
}' "$OUT/ctrl-getfamily-ipvs.reply.hex") here (see \`ctrl-getfamily-ipvs.reply.hex\`, attribute CTRL_ATTR_FAMILY_ID) and may
  differ on another kernel. Encode with the id from that file, or mask it.

## Files

| File (NAME) | Command | Namespace | Exit | ipvsadm said |
|---|---|---|---|---|
EOF
  for entry in "${LOG[@]}"; do
    IFS='|' read -r name select where rc cmd said <<<"$entry"
    [ "$name" = - ] && name="(set-up, not captured)"
    echo "| \`$name\` | \`$cmd\` | $where | $rc | ${said:-} |"
  done
  echo
  echo "## Messages in each file"
  echo
  while IFS=$'\t' read -r name summary; do
    printf -- '- `%s`\n  - %s\n  - %s\n' "$name" "${summary%% | *}" "${summary#* | }"
  done <"$T/summaries"
} >"$OUT/README.md"
echo "capture-netlink: wrote $(ls "$OUT"/*.hex | wc -l) files and README.md to $OUT"
