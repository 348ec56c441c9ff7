/** Human-readable names of rtnetlink objects, in `ip`'s words, for logs and error messages. */
import type { AddressSpec, RouteSpec } from './model.js';

/** describeRoute: '10.103.97.2/32 via 192.168.0.10 metric 50 table 254 proto 76'. */
export function describeRoute(r: RouteSpec): string {
  const via = r.gateway === undefined ? '' : ` via ${r.gateway}`;
  const dev = r.oif === undefined ? '' : ` dev #${r.oif}`;
  const src = r.prefsrc === undefined ? '' : ` src ${r.prefsrc}`;
  return `${r.dst}/${r.dstLen}${via}${dev}${src} metric ${r.metric} table ${r.table} proto ${r.protocol}`;
}

/** describeAddress: '10.103.97.2/32 on link #3'. */
export function describeAddress(a: AddressSpec): string {
  return `${a.address}/${a.prefixLen} on link #${a.index}`;
}
