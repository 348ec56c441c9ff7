#!/usr/bin/env bash
# run-metrics-scrape.sh [-- ARGS...]: bench/metrics-scrape from the host (npm run bench:metrics-scrape).
#
# Builds (tsc -p tsconfig.build.json), then runs `node dist/bench/metrics-scrape.js run ARGS...`:
#   - natively when we are root, the host kernel has ip_vs and ipvsadm, ip and nsenter are installed;
#   - otherwise in the qemu guest of test/vm/ (booted once for the whole run; see test/vm/README.md).
# LVSCARE_BENCH_MODE=native|qemu forces one. Afterwards it writes the `## Metrics scrape
# (bench/metrics-scrape)` section of docs/benchmarks.md from the run's JSON, adding the host's CPU, its
# load average sampled during the run and how many other qemu guests were running: the guest
# cannot see those. ARGS: --scrapes N (default 30), --services N (10), --per-service N (100), --busy-seconds N (20).
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
  native) native_ok || { echo "run-metrics-scrape: cannot run natively (root, ip_vs, ipvsadm, ip, nsenter)" >&2; exit 2; } ;;
  qemu) ;;
  *) echo "run-metrics-scrape: LVSCARE_BENCH_MODE=$MODE: expected auto, native or qemu" >&2; exit 2 ;;
esac

mkdir -p .vm
JSON=.vm/metrics-scrape-result.json
LOADS=.vm/metrics-scrape-load.$$
rm -f "$JSON"
OTHERS=$(pgrep -c -f '^qemu-system-' || true)
# The host's 1-minute load average every 10 s while the benchmark runs: on a shared machine it
# says how much the figures competed with other work.
(while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done >"$LOADS") &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null; rm -f "$LOADS"' EXIT

echo "run-metrics-scrape: $MODE; other qemu guests running: $OTHERS; host load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$MODE" = native ]; then
  node dist/bench/metrics-scrape.js run --json "$JSON" "$@"
else
  test/vm/run-in-vm.sh -d "$ROOT" -t "${LVSCARE_BENCH_TIMEOUT:-3600}" -- \
    node dist/bench/metrics-scrape.js run --json "$JSON" "$@"
fi
[ -s "$JSON" ] || { echo "run-metrics-scrape: the run left no $JSON" >&2; exit 1; }
# What profiling found, kept next to the code and appended to the section when present.
FINDINGS=()
[ -s bench/metrics-scrape-findings.md ] && FINDINGS=(--findings bench/metrics-scrape-findings.md)
node dist/bench/metrics-scrape.js doc --json "$JSON" --doc docs/benchmarks.md "${FINDINGS[@]}" \
  --host-load "$(tr '\n' ' ' <"$LOADS")" --other-guests "$OTHERS"
