#!/usr/bin/env bash
# run-in-guest.sh NAME [-- ARGS...]: runs bench/NAME from the host (npm run bench:NAME).
#
# Builds (tsc -p tsconfig.build.json), then runs `node $BENCH_NODE_FLAGS dist/bench/NAME.js run
# --json .vm/NAME-result.json ARGS...`:
#   - natively when we are root, the host kernel has ip_vs and ipvsadm, ip and nsenter are installed;
#   - otherwise in the qemu guest of test/vm/ (booted once for the whole run; see test/vm/README.md).
# LVSCARE_BENCH_MODE=native|qemu forces one; LVSCARE_BENCH_TIMEOUT bounds the guest run (seconds,
# default 5400). Afterwards `dist/bench/NAME.js doc` writes its section of docs/benchmarks.md from
# the run's JSON, adding the host's CPU, its load average sampled during the run and how many other
# qemu guests were running (the guest cannot see those), and bench/NAME-findings.md when present:
# what profiling found, kept next to the code.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
NAME=${1:?usage: run-in-guest.sh NAME [-- ARGS...]}
shift
[ "${1:-}" = -- ] && shift
[ -f "bench/$NAME.ts" ] || { echo "run-in-guest: no bench/$NAME.ts" >&2; exit 2; }
MODE=${LVSCARE_BENCH_MODE:-auto}
read -r -a NODE_FLAGS <<<"${BENCH_NODE_FLAGS:-}"

npx tsc -p tsconfig.build.json

native_ok() {
  [ "$(id -u)" = 0 ] && command -v ipvsadm >/dev/null && command -v nsenter >/dev/null &&
    command -v ip >/dev/null && { [ -e /proc/net/ip_vs ] || modprobe -q ip_vs 2>/dev/null; } && [ -e /proc/net/ip_vs ]
}
case $MODE in
  auto) if native_ok; then MODE=native; else MODE=qemu; fi ;;
  native) native_ok || { echo "run-in-guest: cannot run natively (root, ip_vs, ipvsadm, ip, nsenter)" >&2; exit 2; } ;;
  qemu) ;;
  *) echo "run-in-guest: LVSCARE_BENCH_MODE=$MODE: expected auto, native or qemu" >&2; exit 2 ;;
esac

mkdir -p .vm
JSON=.vm/$NAME-result.json
LOADS=.vm/$NAME-host-load.txt
rm -f "$JSON" "$LOADS"
OTHERS=$(pgrep -c -f '^qemu-system-' || true)
echo "$OTHERS" >".vm/$NAME-other-guests.txt"
# The host's 1-minute load average every 10 s while the benchmark runs: on a shared machine it
# says how much the figures competed with other work.
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done >"$LOADS") &
SAMPLER=$!
# The samples stay in $LOADS (and the guest count next to it), so that the section can be
# written again from the same run: dist/bench/NAME.js doc --json $JSON --host-load "$(cat $LOADS)" …
trap 'kill "$SAMPLER" 2>/dev/null' EXIT

echo "run-in-guest: $NAME, $MODE; other qemu guests running: $OTHERS; host load: $(cut -d' ' -f1-3 /proc/loadavg)"
CMD=(node "${NODE_FLAGS[@]}" "dist/bench/$NAME.js" run --json "$JSON" "$@")
if [ "$MODE" = native ]; then
  "${CMD[@]}"
else
  test/vm/run-in-vm.sh -d "$ROOT" -t "${LVSCARE_BENCH_TIMEOUT:-5400}" -- "${CMD[@]}"
fi
[ -s "$JSON" ] || { echo "run-in-guest: the run left no $JSON" >&2; exit 1; }
FINDINGS=()
[ -s "bench/$NAME-findings.md" ] && FINDINGS=(--findings "bench/$NAME-findings.md")
node "dist/bench/$NAME.js" doc --json "$JSON" --doc docs/benchmarks.md "${FINDINGS[@]}" \
  --host-load "$(tr '\n' ' ' <"$LOADS")" --other-guests "$OTHERS"
