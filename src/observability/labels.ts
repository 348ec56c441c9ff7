/**
 * Label sets of lvscare's metrics. Names and values match node_exporter's IPVS collector
 * (collector/ipvs_linux.go, which reads /proc/net/ip_vs through procfs), so lvscare's series join
 * node_exporter's on `local_address, local_port, remote_address, remote_port, proto`:
 * - addresses in Go's net.IP form: `10.0.0.1`, compressed IPv6 `fd00::1`, no brackets (our
 *   model's canonical form);
 * - ports as decimal strings;
 * - proto as /proc/net/ip_vs prints it, upper case: `TCP`, `UDP`, `SCTP`, and `FWM` for a
 *   firewall-mark service (then local_address is empty and local_port `0`).
 * node_exporter also has `local_mark`, empty for address services; lvscare leaves it out, since
 * an empty label and an absent one are the same series in Prometheus.
 */
import type { RealServerState, ServiceState } from '../daemon/care-state.js';
import type { DestinationId, ServiceId } from '../ipvs/model.js';
import { labelText } from './text-format.js';

export const VS_LABELS = ['local_address', 'local_port', 'proto'] as const;
export const RS_LABELS = [...VS_LABELS, 'remote_address', 'remote_port'] as const;

export type VsLabel = (typeof VS_LABELS)[number];
export type RsLabel = (typeof RS_LABELS)[number];
export type VsLabels = Record<VsLabel, string>;
export type RsLabels = Record<RsLabel, string>;

/** vsLabels names a virtual server. */
export function vsLabels(id: ServiceId): VsLabels {
  if (id.fwmark !== undefined) return { local_address: '', local_port: '0', proto: 'FWM' };
  return { local_address: id.address, local_port: String(id.port), proto: id.protocol.toUpperCase() };
}

/** rsLabels names a real server of a virtual server. */
export function rsLabels(service: ServiceId, rs: DestinationId): RsLabels {
  // Built field by field, not spread: this runs for every real server in every scrape and probe.
  const vs = vsLabels(service);
  return { local_address: vs.local_address, local_port: vs.local_port, proto: vs.proto, remote_address: rs.address, remote_port: String(rs.port) };
}

/** rsLabelText is a real server's labels as exposition text: `local_address="10.0.0.1",…,remote_port="6443"`. */
export function rsLabelText(service: ServiceId, rs: DestinationId): string {
  const l = rsLabels(service, rs);
  return labelText([['local_address', l.local_address], ['local_port', l.local_port], ['proto', l.proto], ['remote_address', l.remote_address], ['remote_port', l.remote_port]]);
}

/**
 * RealServerLabelTexts builds each configured real server's label text once: a real server's
 * labels never change, and a scrape writes them about twenty times per real server.
 */
export class RealServerLabelTexts {
  private readonly texts = new WeakMap<RealServerState, string>();

  of(service: ServiceState, rs: RealServerState): string {
    let text = this.texts.get(rs);
    if (text === undefined) {
      text = rsLabelText(service.spec.id, rs.spec);
      this.texts.set(rs, text);
    }
    return text;
  }
}
