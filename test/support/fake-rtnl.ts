/**
 * FakeRtnl: an in-memory RtnlClient (routes, addresses, links) for daemon and plumbing tests.
 *
 * - Answers as the kernel does where callers can tell: addRoute rejects EEXIST when a route with
 *   the same destination, table and metric exists; deleteRoute removes only a route matching every
 *   given field (protocol and metric included) and rejects ESRCH otherwise; a gateway route comes
 *   back from listRoutes with the kernel-chosen RTA_OIF (`GATEWAY_OIF`) and scope universe.
 * - Records writes (`writes`: 'add-route 10.103.97.2/32' ...); `refuse(op, errno)` fails them.
 * - `other` changes the table as `ip route` would: nothing recorded.
 */
import type { Family } from '../../src/ipvs/model.js';
import type { RtnlClient } from '../../src/rtnl/client.js';
import { RTN_UNICAST, RT_SCOPE_UNIVERSE } from '../../src/rtnl/constants.js';
import type { Address, AddressSpec, Link, Route, RouteSpec } from '../../src/rtnl/model.js';
import { FakeErrnoError } from './fake-kernel.js';

/** GATEWAY_OIF is the interface the fake kernel "resolves" every gateway to. */
export const GATEWAY_OIF = 2;

type ErrnoName = ConstructorParameters<typeof FakeErrnoError>[0];
type RouteWrite = 'add-route' | 'replace-route' | 'delete-route';

export class FakeRtnl implements RtnlClient {
  routes: Route[] = [];
  addresses: Address[] = [];
  links: Link[] = [{ index: 1, name: 'lo', flags: 1 }];
  readonly writes: string[] = [];
  reads = 0;
  closed = false;
  /** While set, every read rejects with it. */
  readError: unknown = undefined;
  private readonly refusals = new Map<RouteWrite, ErrnoName>();

  readonly other = {
    addRoute: (r: RouteSpec): void => void this.routes.push(toRoute(r)),
    deleteRoutes: (dst: string): void => void (this.routes = this.routes.filter((r) => r.dst !== dst)),
  };

  refuse(op: RouteWrite, errnoName: ErrnoName): void {
    this.refusals.set(op, errnoName);
  }

  async listLinks(): Promise<Link[]> { return this.read(this.links); }
  async listAddresses(family: Family): Promise<Address[]> { return this.read(this.addresses.filter((a) => a.family === family)); }
  async listRoutes(family: Family): Promise<Route[]> { return this.read(this.routes.filter((r) => r.family === family)); }

  async addRoute(r: RouteSpec): Promise<void> {
    this.write('add-route', r);
    if (this.routes.some((o) => sameKey(o, r))) throw new FakeErrnoError('EEXIST', 'add route');
    this.routes.push(toRoute(r));
  }

  async replaceRoute(r: RouteSpec): Promise<void> {
    this.write('replace-route', r);
    const at = this.routes.findIndex((o) => sameKey(o, r));
    if (at < 0) this.routes.push(toRoute(r));
    else this.routes[at] = toRoute(r);
  }

  async deleteRoute(r: RouteSpec): Promise<void> {
    this.write('delete-route', r);
    const at = this.routes.findIndex((o) => sameKey(o, r) && o.protocol === r.protocol && o.gateway === r.gateway
      && (r.oif === undefined || o.oif === r.oif));
    if (at < 0) throw new FakeErrnoError('ESRCH', 'delete route');
    this.routes.splice(at, 1);
  }

  async createDummy(): Promise<void> { throw new Error('FakeRtnl: links are not faked'); }
  async setLinkUp(): Promise<void> { throw new Error('FakeRtnl: links are not faked'); }
  async deleteLink(): Promise<void> { throw new Error('FakeRtnl: links are not faked'); }
  async addAddress(a: AddressSpec): Promise<void> { this.addresses.push({ ...a, scope: 0, flags: 0 }); }
  async deleteAddress(a: AddressSpec): Promise<void> { this.addresses = this.addresses.filter((o) => o.address !== a.address); }

  close(): void {
    this.closed = true;
  }

  private read<T>(value: T): T {
    this.reads++;
    if (this.readError !== undefined) throw this.readError;
    return structuredClone(value);
  }

  private write(op: RouteWrite, r: RouteSpec): void {
    this.writes.push(`${op} ${r.dst}/${r.dstLen}`);
    const refusal = this.refusals.get(op);
    if (refusal !== undefined) throw new FakeErrnoError(refusal, op);
  }
}

function sameKey(o: Route, r: RouteSpec): boolean {
  return o.family === r.family && o.dst === r.dst && o.dstLen === r.dstLen && o.table === r.table && o.metric === r.metric;
}

/** toRoute is how the kernel reports a route written as `r`. */
export function toRoute(r: RouteSpec): Route {
  return {
    family: r.family, dst: r.dst, dstLen: r.dstLen, metric: r.metric, table: r.table, protocol: r.protocol,
    scope: RT_SCOPE_UNIVERSE, type: RTN_UNICAST, multipath: false,
    oif: r.oif ?? GATEWAY_OIF,
    ...(r.gateway === undefined ? {} : { gateway: r.gateway }),
    ...(r.prefsrc === undefined ? {} : { prefsrc: r.prefsrc }),
  };
}
