/**
 * The table bench/ipvs-ops writes: `services` TCP services with `perService` masquerading
 * destinations each, as our client's specs and as the `ipvsadm -R` rules that describe the same
 * table. parseRules() reads those rules back, so that our whole-process add script and
 * `ipvsadm -R` start from the same bytes on stdin.
 */
import type { DestinationSpec, ServiceId, ServiceSpec } from '../src/ipvs/model.js';

export interface BenchTable {
  readonly services: ServiceSpec[];
  readonly destinations: Array<{ service: ServiceId; dest: DestinationSpec }>;
}

const PORT = 6443;

/**
 * benchTable: services 10.1.x.y:6443 (rr), destinations 10.0.(1+j/256).(j%256):6443, masq,
 * weights 1..7. The addresses sit inside the namespace's 10.0.0.0/16, like the kernel tests'.
 */
export function benchTable(services = 100, perService = 100): BenchTable {
  if (services > 0xffff || perService > 254 * 256) throw new RangeError('table too large for the address plan');
  const specs: ServiceSpec[] = [];
  const destinations: Array<{ service: ServiceId; dest: DestinationSpec }> = [];
  const dests: DestinationSpec[] = Array.from({ length: perService }, (_, j) => ({
    family: 4, address: `10.0.${1 + (j >> 8)}.${j & 0xff}`, port: PORT, forward: 'masq', weight: 1 + (j % 7), upperThreshold: 0, lowerThreshold: 0,
  }));
  for (let i = 0; i < services; i++) {
    const spec: ServiceSpec = { id: { family: 4, protocol: 'tcp', address: `10.1.${i >> 8}.${i & 0xff}`, port: PORT }, scheduler: 'rr', flags: 0, timeout: 0, netmask: 0xffffffff };
    specs.push(spec);
    for (const dest of dests) destinations.push({ service: spec.id, dest });
  }
  return { services: specs, destinations };
}

/** toRules renders the table as `ipvsadm -S -n` would: one -A line per service, then its -a lines. */
export function toRules(table: BenchTable): string {
  const byService = new Map<ServiceId, string[]>(table.services.map((s) => [s.id, []]));
  for (const { service, dest } of table.destinations) {
    byService.get(service)!.push(`-a -t ${service.address}:${service.port} -r ${dest.address}:${dest.port} -m -w ${dest.weight}`);
  }
  const lines: string[] = [];
  for (const s of table.services) lines.push(`-A -t ${s.id.address}:${s.id.port} -s ${s.scheduler}`, ...byService.get(s.id)!);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * parseRules reads what toRules() writes (TCP IPv4 services, masq destinations with a weight)
 * and throws on anything else. Destinations refer to their service's ServiceId object.
 */
export function parseRules(text: string): BenchTable {
  const services: ServiceSpec[] = [];
  const destinations: Array<{ service: ServiceId; dest: DestinationSpec }> = [];
  const byAddress = new Map<string, ServiceId>();
  for (const [n, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    if (t[0] === '-A' && t[1] === '-t' && t[3] === '-s' && t.length === 5) {
      const [address, port] = hostPort(t[2]!, n);
      const spec: ServiceSpec = { id: { family: 4, protocol: 'tcp', address, port }, scheduler: t[4]!, flags: 0, timeout: 0, netmask: 0xffffffff };
      services.push(spec);
      byAddress.set(t[2]!, spec.id);
    } else if (t[0] === '-a' && t[1] === '-t' && t[3] === '-r' && t[5] === '-m' && t[6] === '-w' && t.length === 8) {
      const service = byAddress.get(t[2]!);
      if (service === undefined) throw new Error(`rules line ${n + 1}: destination of an unknown service ${t[2]}`);
      const [address, port] = hostPort(t[4]!, n);
      destinations.push({ service, dest: { family: 4, address, port, forward: 'masq', weight: Number(t[7]), upperThreshold: 0, lowerThreshold: 0 } });
    } else {
      throw new Error(`rules line ${n + 1}: not a rule this benchmark writes: ${line}`);
    }
  }
  return { services, destinations };
}

function hostPort(text: string, n: number): [string, number] {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(text);
  if (m === null) throw new Error(`rules line ${n + 1}: bad address ${text}`);
  return [m[1]!, Number(m[2])];
}
