/**
 * readIpvsTable reads services and, for each, its destinations: one dump for the services and one
 * per service. `include` limits the destination dumps to the services a caller cares about.
 */
import type { IpvsClient } from './client.js';
import type { Destination, Service } from './model.js';

export interface IpvsTableEntry {
  readonly service: Service;
  readonly destinations: readonly Destination[];
}

export async function readIpvsTable(client: IpvsClient, signal?: AbortSignal, include: (s: Service) => boolean = () => true): Promise<IpvsTableEntry[]> {
  const services = (await client.listServices(signal)).filter(include);
  const entries: IpvsTableEntry[] = [];
  for (const service of services) {
    entries.push({ service, destinations: await client.listDestinations(service.id, signal) });
  }
  return entries;
}
