#!/usr/bin/env bash
# run-ipvs-ops.sh [-- ARGS...]: bench/ipvs-ops from the host (npm run bench:ipvs-ops).
#
# Builds (tsc -p tsconfig.build.json), then runs `node dist/bench/ipvs-ops.js run ARGS...`:
#   - natively when we are root, the host kernel has ip_vs and ipvsadm, ip and nsenter are installed;
#   - otherwise in the qemu guest of test/vm/ (booted once for the whole run; see test/vm/README.md).
# LVSCARE_BENCH_MODE=native|qemu forces one. Afterwards it writes the `## IPVS operations
# (bench/ipvs-ops)` section of docs/benchmarks.md from the run's JSON, adding the host's CPU, its
# load average sampled during the run and how many other qemu guests were running: the guest
# cannot see those. ARGS: --trials N (default 5), --services N, --per-service N.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
MODE=${LVSCARE_BENCH_MODE:-auto}
[ "${1:-}" = -- ] && shift

npx tsc -p tsconfig.build.json

native_ok() {
  [ "$(id -u)" = 0 ] && command -v ipvsadm >/dev/null && command -v nsenter >/dev/null &&
    command -v ip >/dev/null && { [ -e /proc/net/ip_vs ] || modprobe -q ip_vs 2>/dev/null; } && [ -e /proc/net/ip_vs ]
}
case $MODE in
  auto) if native_ok; then MODE=native; else MODE=qemu; fi ;;
  native) native_ok || { echo "run-ipvs-ops: cannot run natively (root, ip_vs, ipvsadm, ip, nsenter)" >&2; exit 2; } ;;
  qemu) ;;
  *) echo "run-ipvs-ops: LVSCARE_BENCH_MODE=$MODE: expected auto, native or qemu" >&2; exit 2 ;;
esac

mkdir -p .vm
JSON=.vm/ipvs-ops-result.json
LOADS=.vm/ipvs-ops-load.$$
rm -f "$JSON"
OTHERS=$(pgrep -c -f '^qemu-system-' || true)
# The host's 1-minute load average every 10 s while the benchmark runs: on a shared machine it
# says how much the figures competed with other work.
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done >"$LOADS") &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null; rm -f "$LOADS"' EXIT

echo "run-ipvs-ops: $MODE; other qemu guests running: $OTHERS; host load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$MODE" = native ]; then
  node --expose-gc dist/bench/ipvs-ops.js run --json "$JSON" "$@"
else
  test/vm/run-in-vm.sh -d "$ROOT" -t "${LVSCARE_BENCH_TIMEOUT:-5400}" -- \
    node --expose-gc dist/bench/ipvs-ops.js run --json "$JSON" "$@"
fi
[ -s "$JSON" ] || { echo "run-ipvs-ops: the run left no $JSON" >&2; exit 1; }
node dist/bench/ipvs-ops.js doc --json "$JSON" --doc docs/benchmarks.md \
  --host-load "$(tr '\n' ' ' <"$LOADS")" --other-guests "$OTHERS"
