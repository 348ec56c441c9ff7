/**
 * The flags of `lvscare care`: one table that the yargs declaration, the argv normaliser, the
 * `CARE_*` environment lookup and the config-file loader all read, so a flag cannot exist in
 * one place and not another. Names and spellings are the Go lvscare's (`--health-schem`, sic).
 */

/**
 * FlagKind is a flag's value syntax: `string` (last one wins), `bool` (Go's ParseBool
 * spellings), `list` (repeatable and comma-separated, as pflag's StringSlice/IntSlice) or `map`
 * (repeatable `k=v` pairs, as pflag's StringToString).
 */
export type FlagKind = 'string' | 'bool' | 'list' | 'map';

/**
 * FlagScope is where a flag may be set:
 * - `action`: command line or environment only (what the process does);
 * - `source`: command line or environment only (`--config` itself);
 * - `global`: also at the top level of the config file (node-wide settings);
 * - `service`: also at the top level of the file (a default) and in each `services` entry;
 * - `identity`: the flag service's address (`--vs`, `--rs`), or a `services` entry's.
 */
export type FlagScope = 'action' | 'source' | 'global' | 'service' | 'identity';

/** FlagSpec describes one flag; `describe` is its --help line (defaults are appended there). */
export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly scope: FlagScope;
  readonly describe: string;
}

/** CARE_FLAGS lists every flag in --help order. */
export const CARE_FLAGS = [
  { name: 'vs', kind: 'string', scope: 'identity', describe: 'virtual server ip:port, e.g. 10.103.97.2:6443 or [fd00::2]:6443' },
  { name: 'rs', kind: 'list', scope: 'identity', describe: 'real server ip:port[@weight]; repeatable and comma-separated' },
  { name: 'scheduler', kind: 'string', scope: 'service', describe: 'IPVS scheduler: rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos' },
  { name: 'mode', kind: 'string', scope: 'global', describe: 'how the VIP is reached: route, link, or "" (IPVS rules only)' },
  { name: 'iface', short: 'i', kind: 'string', scope: 'global', describe: 'dummy interface of link mode' },
  { name: 'ip', kind: 'string', scope: 'global', describe: 'the node IP (route-mode gateway, link-mode source); else $LVSCARE_NODE_IP or lvscare.node.ip in /etc/hosts' },
  { name: 'masqueradebit', kind: 'string', scope: 'global', describe: 'iptables mark bit of the Go link mode, 0..31: accepted, not needed (our link mode marks nothing)' },
  { name: 'interval', kind: 'string', scope: 'service', describe: 'probe interval: whole seconds or a duration (500ms, 2s, 1m30s); 0 = default' },
  { name: 'run-once', kind: 'bool', scope: 'action', describe: 'create the rules and exit (before kubeadm join)' },
  { name: 'clean', short: 'C', kind: 'bool', scope: 'action', describe: 'delete the virtual server(s) and exit' },
  { name: 'logger', kind: 'string', scope: 'global', describe: 'log level: INFO, DEBG, or trace/debug/info/warn/error/fatal/silent' },
  { name: 'health-path', kind: 'string', scope: 'service', describe: 'HTTP probe path (a leading / is added if missing)' },
  { name: 'health-schem', kind: 'string', scope: 'service', describe: 'probe: http, https, or tcp (connect only)' },
  { name: 'health-req-method', kind: 'string', scope: 'service', describe: 'HTTP probe method' },
  { name: 'health-req-headers', kind: 'map', scope: 'service', describe: 'HTTP probe headers k=v; repeatable and comma-separated' },
  { name: 'health-req-body', kind: 'string', scope: 'service', describe: 'HTTP probe request body' },
  { name: 'health-status', kind: 'list', scope: 'service', describe: 'extra status codes counted healthy (e.g. 401); repeatable and comma-separated' },
  { name: 'health-insecure-skip-verify', kind: 'bool', scope: 'service', describe: 'skip TLS verification (default true, false once --health-ca-file is set)' },
  { name: 'health-timeout', kind: 'string', scope: 'service', describe: 'probe timeout: whole seconds or a duration' },
  { name: 'health-ca-file', kind: 'string', scope: 'service', describe: 'PEM CA bundle that HTTPS probes verify against' },
  { name: 'health-cert-file', kind: 'string', scope: 'service', describe: 'PEM client certificate for HTTPS probes (with --health-key-file)' },
  { name: 'health-key-file', kind: 'string', scope: 'service', describe: 'PEM client key for HTTPS probes (with --health-cert-file)' },
  { name: 'health-server-name', kind: 'string', scope: 'service', describe: 'name to verify the certificate against and send as SNI' },
  { name: 'health-rise', kind: 'string', scope: 'service', describe: 'consecutive successes that restore a real server' },
  { name: 'health-fall', kind: 'string', scope: 'service', describe: 'consecutive failures that remove a real server (the first quiesces it)' },
  { name: 'health-fast-interval', kind: 'string', scope: 'service', describe: 'probe interval of a server changing state (quiescing or rising)' },
  { name: 'health-probe-on-close', kind: 'bool', scope: 'service', describe: 'keep each server\'s last successful probe connection open and probe again at once when the server closes it (a process that dies or restarts closes its connections)' },
  { name: 'fail-closed', kind: 'bool', scope: 'global', describe: 'remove unhealthy servers even when that leaves none (no panic mode)' },
  { name: 'config', kind: 'string', scope: 'source', describe: 'YAML file with several virtual servers (see below)' },
  { name: 'metrics-address', kind: 'string', scope: 'global', describe: 'ip:port of /metrics, /healthz and /status; loopback by default (the pod shares the node\'s network), <node-ip>:9190 to be scraped from elsewhere, "" = off' },
] as const satisfies readonly FlagSpec[];

/** FlagName is the long name of a flag of `lvscare care`. */
export type FlagName = (typeof CARE_FLAGS)[number]['name'];

/** flagSpec finds a flag by long name. */
export function flagSpec(name: string): FlagSpec | undefined {
  return CARE_FLAGS.find((flag) => flag.name === name);
}

/** shortFlagSpec finds a flag by its one-letter shorthand (`-C`, `-i`). */
export function shortFlagSpec(letter: string): FlagSpec | undefined {
  return (CARE_FLAGS as readonly FlagSpec[]).find((flag) => flag.short === letter);
}

/** envName is the variable that may set a flag: `CARE_` + upper case, dashes to underscores. */
export function envName(flag: string): string {
  return `CARE_${flag.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * ParsedFlags is what the command line said, flag by flag: every occurrence's raw text in order
 * (a boolean only its last occurrence, as `true` or `false`). A flag that was not given is absent, never defaulted: defaults
 * live in DEFAULTS, so `CARE_*` variables can fill the gaps first.
 */
export type ParsedFlags = Readonly<Partial<Record<FlagName, readonly string[]>>>;
