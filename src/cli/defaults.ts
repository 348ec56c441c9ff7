/**
 * DEFAULTS: every default of `lvscare care` in one frozen object (re-exported by config.ts).
 * Nothing else holds a default: yargs declares none, so a flag that was not given stays absent
 * and a `CARE_*` variable or the config file can still set it. Where the Go lvscare had a default
 * we keep it; the others say why they are what they are.
 */
import { deepFreeze } from './freeze.js';
import type { HealthScheme, ListenAddress, LogLevel, Scheduler, VipMode } from './config-types.js';

export const DEFAULTS = deepFreeze({
  /** Go: `--scheduler rr`. */
  scheduler: 'rr' as Scheduler,
  /** Go: `--mode route`. */
  mode: 'route' as VipMode,
  /** Go: `--iface lvscare`. */
  iface: 'lvscare',
  /** Go: `--masqueradebit 0`. */
  masqueradeBit: 0,
  /** Go: `--logger INFO`. */
  logLevel: 'info' as LogLevel,
  /** Go: a real server without `@weight` gets weight 1. */
  weight: 1,
  /** Panic mode on (keep every real server when all fail): a probing fault must not cut the node off. */
  failClosed: false,
  /**
   * /metrics, /healthz and /status on the loopback only, on by default (kube-proxy's stance:
   * metrics on 127.0.0.1:10249). The pod runs with hostNetwork, so 0.0.0.0 would publish the
   * control plane's addresses and health to every network the node is on; on 127.0.0.1 the
   * kubelet's liveness probe (`host: 127.0.0.1`) and `lvscare status` still reach it. Scraping
   * from another host needs an explicit `--metrics-address <node-ip>:9190`; `""` turns it off.
   * A port that is taken never stops the daemon (observability/http-server.ts).
   */
  metricsAddress: { host: '127.0.0.1', port: 9190 } as ListenAddress | null,
  /** Go: `--interval 5` (and 0 means this). */
  intervalMs: 5_000,
  health: {
    /** Go: `--health-schem https`. */
    scheme: 'https' as HealthScheme,
    /** Go: `--health-path /healthz`. */
    path: '/healthz',
    /** Go: `--health-req-method GET`. */
    method: 'GET',
    headers: {} as Readonly<Record<string, string>>,
    body: '',
    extraHealthyStatuses: [] as readonly number[],
    /** Go: `--health-insecure-skip-verify true`; false instead when a CA file is given. */
    insecureSkipVerify: true,
    /** Go: `--health-timeout 10s`. */
    timeoutMs: 10_000,
    /** Two successes to restore: one lucky probe does not put a flapping server back (HAProxy: rise 2). */
    rise: 2,
    /** Three failures to remove (HAProxy: fall 3); the first already quiesces the server (weight 0). */
    fall: 3,
    /**
     * 1 s, capped at the interval (HAProxy's fastinter): with the 5 s interval a failing server is
     * quiesced at its first failure and removed two fast probes later, about 2 s instead of 10 s,
     * while steady servers are still probed only every 5 s.
     */
    fastIntervalMs: 1_000,
    /**
     * On: a backend that exits (crash, restart, kill) closes the connection lvscare holds, and is
     * probed at once instead of up to an interval later. One idle connection per real server.
     */
    probeOnClose: true,
  },
});
