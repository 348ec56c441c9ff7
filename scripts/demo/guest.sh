#!/bin/bash
# The demo, run on a kernel with IPVS (the qemu guest, or a fresh netns on such a host): three
# apiserver-like HTTP backends in network namespaces reached through veth pairs, like remote
# masters; `lvscare care` keeping VIP 10.103.97.2:6443 on them; a client on the node; one backend
# killed and brought back while lvscare is watching. Everything stays inside this kernel.
set -euo pipefail
cd "$(dirname "$0")/../.."
LVSCARE="node dist/src/bin.js"
VIP=10.103.97.2
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
cleanup() { kill $(jobs -p) 2>/dev/null || true; }
trap cleanup EXIT

step "three backends in network namespaces rs1..rs3 (10.240.N.2:6443)"
modprobe ip_vs 2>/dev/null || true
for i in 1 2 3; do
  ip netns add rs$i
  ip link add veth-rs$i type veth peer name eth0 netns rs$i
  ip addr add 10.240.$i.1/24 dev veth-rs$i && ip link set veth-rs$i up
  ip -n rs$i link set lo up
  ip -n rs$i addr add 10.240.$i.2/24 dev eth0 && ip -n rs$i link set eth0 up
  ip -n rs$i route add default via 10.240.$i.1
  ip netns exec rs$i node scripts/demo/backend.mjs 10.240.$i.2 6443 rs$i &
  eval "BACKEND$i=\$!"
done
# The VIP lives on a dummy interface so that the node itself can connect to it (the route and link
# VIP modes of lvscare will do this part themselves).
ip link add lvscare-demo type dummy && ip addr add $VIP/32 dev lvscare-demo && ip link set lvscare-demo up
sleep 2

step "lvscare care --vs $VIP:6443 --rs 10.240.1.2:6443 --rs 10.240.2.2:6443 --rs 10.240.3.2:6443 --health-schem http --interval 1s"
$LVSCARE care --vs $VIP:6443 --rs 10.240.1.2:6443 --rs 10.240.2.2:6443 --rs 10.240.3.2:6443 \
  --health-schem http --health-path /healthz --interval 1s --mode "" >/tmp/lvscare-demo.log 2>&1 &
CARE=$!
sleep 4
$LVSCARE ipvs list

step "a client on the node: 6 requests to http://$VIP:6443/"
node scripts/demo/client.mjs http://$VIP:6443/ 6

step "kill backend rs2: lvscare quiesces it (weight 0), then removes it"
kill $BACKEND2
sleep 2; $LVSCARE ipvs list
sleep 4; $LVSCARE ipvs list

step "bring rs2 back: lvscare restores it after --health-rise successes"
ip netns exec rs2 node scripts/demo/backend.mjs 10.240.2.2 6443 rs2 &
sleep 6; $LVSCARE ipvs list

step "what lvscare logged about rs2"
grep -E 'state changed|weight|destination' /tmp/lvscare-demo.log | grep 10.240.2.2 || cat /tmp/lvscare-demo.log

step "SIGTERM: lvscare exits, the rules stay (the node keeps reaching the apiservers)"
kill -TERM $CARE; wait $CARE || true
$LVSCARE ipvs list
