/**
 * The shape of a validated `lvscare care` configuration. Produced only by buildCareConfig, deeply
 * frozen; durations are whole milliseconds, addresses canonical (see model/endpoint.ts), and
 * "not set" is `null`, never a missing key.
 */
import type { Endpoint, IpAddress } from '../model/endpoint.js';

/**
 * Scheduler is an IPVS scheduler the kernel ships (net/netfilter/ipvs/ip_vs_*.c). The Go lvscare
 * accepted only rr, lc, dh, sh, wrr, wlc; `twos` needs Linux 6.2 or later.
 */
export type Scheduler =
  | 'rr' | 'wrr' | 'lc' | 'wlc' | 'lblc' | 'lblcr' | 'dh' | 'sh' | 'sed' | 'nq' | 'fo' | 'ovf' | 'mh' | 'twos';

/**
 * VipMode is how the virtual IP is made reachable from the node (`--mode`): `route` (a /32
 * route via the node IP), `link` (the VIP on a dummy interface, its local route sourced from the
 * node IP: see vip/link-plan.ts), or `none`
 * (IPVS rules only), which the Go flag spells as the empty string `--mode ""`.
 */
export type VipMode = 'route' | 'link' | 'none';

/** HealthScheme is how real servers are probed: an HTTP(S) request, or a TCP connect. */
export type HealthScheme = 'http' | 'https' | 'tcp';

/** LogLevel is a pino level; `--logger` maps Go's INFO/DEBG and the usual names onto it. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/**
 * CareAction is what the process does: keep the rules and probe (`run`), create the rules and
 * exit (`run-once`, before `kubeadm join`), or delete our virtual servers and exit (`clean`, -C).
 */
export type CareAction = 'run' | 'run-once' | 'clean';

/** RealServerConfig is one configured real server and the weight it has while healthy. */
export interface RealServerConfig {
  readonly endpoint: Endpoint;
  /** 0..65535; 1 unless `ip:port@weight` says otherwise. */
  readonly weight: number;
}

/** TlsConfig is how HTTPS probes treat the server's certificate (ignored for http and tcp). */
export interface TlsConfig {
  /** True skips verification. Defaults to true (Go's default) unless a CA file is given. */
  readonly insecureSkipVerify: boolean;
  readonly caFile: string | null;
  /** Client certificate and key: both set or both null. */
  readonly certFile: string | null;
  readonly keyFile: string | null;
  /** Name to verify the certificate against (and send as SNI); null means the real server's IP. */
  readonly serverName: string | null;
}

/** HealthConfig is how one virtual server's real servers are probed and judged. */
export interface HealthConfig {
  readonly scheme: HealthScheme;
  /** Request path, always starting with `/` (may carry a `?query`). */
  readonly path: string;
  readonly method: string;
  /** Extra request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Status codes counted healthy besides those below 400 (`--health-status 401` for k3s). */
  readonly extraHealthyStatuses: readonly number[];
  readonly tls: TlsConfig;
  readonly timeoutMs: number;
  /** Probe period of a server in a steady state. */
  readonly intervalMs: number;
  /** Probe period of a server changing state (after a failure, or rising); <= intervalMs. */
  readonly fastIntervalMs: number;
  /** Consecutive successes that restore a server. */
  readonly rise: number;
  /** Consecutive failures that remove a server (the first one already quiesces it). */
  readonly fall: number;
  /** Hold each server's last successful probe connection and probe at once when the server closes it. */
  readonly probeOnClose: boolean;
}

/** ServiceConfig is one virtual server (always TCP, real servers always masquerade) we own. */
export interface ServiceConfig {
  readonly vs: Endpoint;
  readonly scheduler: Scheduler;
  /** In configuration order, without duplicates; all of the virtual server's family. */
  readonly realServers: readonly RealServerConfig[];
  readonly health: HealthConfig;
}

/** VipConfig is the node-level VIP plumbing (`--mode`, `--iface`, `--ip`, `--masqueradebit`). */
export interface VipConfig {
  readonly mode: VipMode;
  /** Dummy interface of link mode. */
  readonly iface: string;
  /**
   * Route-mode gateway: `--ip`, else `CARE_IP`, else `LVSCARE_NODE_IP` (which sealos writes into
   * the static pod). When null the daemon may look up `lvscare.node.ip` in /etc/hosts, as Go does.
   */
  readonly gatewayIp: IpAddress | null;
  /**
   * The Go lvscare's iptables mark bit of link mode, 0..31: validated and accepted for
   * compatibility, but our link mode marks nothing (vip/link-plan.ts); a non-default value is
   * reported once at start-up.
   */
  readonly masqueradeBit: number;
}

/** ListenAddress is where the metrics server listens; host '' means every address. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** CareConfig is the whole validated configuration of `lvscare care`. */
export interface CareConfig {
  readonly action: CareAction;
  /** At least one; the `--vs` service first, then the config file's in file order. */
  readonly services: readonly ServiceConfig[];
  readonly vip: VipConfig;
  /** When every real server of a service is unhealthy, remove them anyway (no panic mode). */
  readonly failClosed: boolean;
  readonly logLevel: LogLevel;
  /** Where /metrics, /healthz and /status listen (default 127.0.0.1:9190); null: no server (`""`). */
  readonly metricsAddress: ListenAddress | null;
  /** The `--config` file that was read, or null. */
  readonly configFile: string | null;
}
