/**
 * FakeRtnl: an in-memory RtnlClient (routes, addresses, links) for daemon and plumbing tests.
 *
 * - Answers as the kernel does where callers can tell: addRoute rejects EEXIST when a route with
 *   the same destination, table and metric exists; deleteRoute removes only a route matching every
 *   given field (protocol and metric included) and rejects ESRCH otherwise; a gateway route comes
 *   back from listRoutes with the kernel-chosen RTA_OIF (`GATEWAY_OIF`) and scope universe.
 * - Links: createDummy rejects EEXIST for a taken name, keeps the alias given at creation unless
 *   `dropAliasOnCreate`; deleting a link takes its addresses and routes with it. Adding an address
 *   adds the kernel's local route for it (`local A dev L proto kernel`, src A for IPv4), as
 *   fib_add_ifaddr / addrconf do; deleting it removes routes of proto kernel with that prefsrc.
 * - Records writes (`writes`: 'add-route 10.103.97.2/32', 'create-link lvscare' ...);
 *   `refuse(op, errno)` fails them.
 * - `other` changes the table as `ip route` would: nothing recorded.
 */
import type { Family } from '../../src/ipvs/model.js';
import type { RtnlClient } from '../../src/rtnl/client.js';
import { IFF_UP, RTN_LOCAL, RTN_UNICAST, RTPROT_KERNEL, RT_SCOPE_HOST, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL } from '../../src/rtnl/constants.js';
import type { Address, AddressSpec, Link, LinkSettings, Route, RouteSpec } from '../../src/rtnl/model.js';
import { FakeErrnoError } from './fake-kernel.js';

/** GATEWAY_OIF is the interface the fake kernel "resolves" every gateway to. */
export const GATEWAY_OIF = 2;

type ErrnoName = ConstructorParameters<typeof FakeErrnoError>[0];
type Write = 'add-route' | 'replace-route' | 'delete-route' | 'create-link' | 'configure-link' | 'delete-link' | 'add-address' | 'delete-address';

export class FakeRtnl implements RtnlClient {
  routes: Route[] = [];
  addresses: Address[] = [];
  links: Link[] = [{ index: 1, name: 'lo', flags: 1 }];
  readonly writes: string[] = [];
  reads = 0;
  closed = false;
  /** While set, every read rejects with it. */
  readError: unknown = undefined;
  /** The kernel keeps no alias given at creation (see encodeDummyCreate). */
  dropAliasOnCreate = false;
  private readonly refusals = new Map<Write, ErrnoName>();
  private nextIndex = 10;

  readonly other = {
    addRoute: (r: RouteSpec): void => void this.routes.push(toRoute(r)),
    deleteRoutes: (dst: string): void => void (this.routes = this.routes.filter((r) => r.dst !== dst)),
    addLink: (name: string, settings: LinkSettings = {}): Link => this.newLink(name, settings),
    deleteLink: (name: string): void => this.removeLink(this.links.find((l) => l.name === name)!.index),
    setDown: (name: string): void => void (this.links = this.links.map((l) => (l.name === name ? { ...l, flags: l.flags & ~IFF_UP } : l))),
    addAddress: (a: AddressSpec): void => this.putAddress(a),
    deleteAddress: (address: string): void => this.removeAddress(address),
  };

  refuse(op: Write, errnoName: ErrnoName): void {
    this.refusals.set(op, errnoName);
  }

  async listLinks(): Promise<Link[]> { return this.read(this.links); }
  async getLink(name: string): Promise<Link | undefined> { return this.read(this.links.find((l) => l.name === name)); }
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

  async createDummy(name: string, settings: LinkSettings = {}): Promise<void> {
    this.record('create-link', name);
    if (this.links.some((l) => l.name === name)) throw new FakeErrnoError('EEXIST', 'create link');
    this.newLink(name, this.dropAliasOnCreate ? { ...settings, alias: undefined } : settings);
  }

  async setLinkUp(index: number): Promise<void> { return this.configureLink(index, { up: true }); }

  async configureLink(index: number, settings: LinkSettings): Promise<void> {
    this.record('configure-link', `#${index}`);
    const link = this.links.find((l) => l.index === index);
    if (link === undefined) throw new FakeErrnoError('ENODEV', 'configure link');
    const flags = settings.up === undefined ? link.flags : settings.up ? link.flags | IFF_UP : link.flags & ~IFF_UP;
    const alias = settings.alias ?? link.alias;
    this.links = this.links.map((l) => (l === link ? { ...l, flags, ...(alias === undefined ? {} : { alias }) } : l));
  }

  async deleteLink(index: number): Promise<void> {
    this.record('delete-link', `#${index}`);
    if (!this.links.some((l) => l.index === index)) throw new FakeErrnoError('ENODEV', 'delete link');
    this.removeLink(index);
  }

  async addAddress(a: AddressSpec): Promise<void> {
    this.record('add-address', `${a.address}/${a.prefixLen}`);
    if (!this.links.some((l) => l.index === a.index)) throw new FakeErrnoError('ENODEV', 'add address');
    if (this.addresses.some((o) => o.index === a.index && o.address === a.address)) throw new FakeErrnoError('EEXIST', 'add address');
    this.putAddress(a);
  }

  async deleteAddress(a: AddressSpec): Promise<void> {
    this.record('delete-address', `${a.address}/${a.prefixLen}`);
    if (!this.addresses.some((o) => o.index === a.index && o.address === a.address)) throw new FakeErrnoError('EADDRNOTAVAIL', 'delete address');
    this.removeAddress(a.address);
  }

  close(): void {
    this.closed = true;
  }

  private read<T>(value: T): T {
    this.reads++;
    if (this.readError !== undefined) throw this.readError;
    return structuredClone(value);
  }

  private write(op: Write, r: RouteSpec): void {
    this.record(op, `${r.dst}/${r.dstLen}`);
  }

  private record(op: Write, what: string): void {
    this.writes.push(`${op} ${what}`);
    const refusal = this.refusals.get(op);
    if (refusal !== undefined) throw new FakeErrnoError(refusal, op);
  }

  private newLink(name: string, settings: LinkSettings): Link {
    const link: Link = { index: this.nextIndex++, name, flags: settings.up === true ? IFF_UP : 0, kind: 'dummy', ...(settings.alias === undefined ? {} : { alias: settings.alias }) };
    this.links.push(link);
    return link;
  }

  private removeLink(index: number): void {
    this.links = this.links.filter((l) => l.index !== index);
    this.addresses = this.addresses.filter((a) => a.index !== index);
    this.routes = this.routes.filter((r) => r.oif !== index);
  }

  private putAddress(a: AddressSpec): void {
    this.addresses.push({ ...a, scope: 0, flags: 0 });
    const v4 = a.family === 4;
    this.routes.push({
      family: a.family, dst: a.address, dstLen: v4 ? 32 : 128, oif: a.index, metric: 0, table: RT_TABLE_LOCAL,
      protocol: RTPROT_KERNEL, scope: v4 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE, type: RTN_LOCAL, multipath: false,
      ...(v4 ? { prefsrc: a.address } : {}),
    });
  }

  private removeAddress(address: string): void {
    this.addresses = this.addresses.filter((o) => o.address !== address);
    this.routes = this.routes.filter((r) => !(r.protocol === RTPROT_KERNEL && r.dst === address && r.type === RTN_LOCAL));
  }
}

function sameKey(o: Route, r: RouteSpec): boolean {
  return o.family === r.family && o.dst === r.dst && o.dstLen === r.dstLen && o.table === r.table && o.metric === r.metric;
}

/** toRoute is how the kernel reports a route written as `r`. */
export function toRoute(r: RouteSpec): Route {
  return {
    family: r.family, dst: r.dst, dstLen: r.dstLen, metric: r.metric, table: r.table, protocol: r.protocol,
    scope: r.scope ?? RT_SCOPE_UNIVERSE, type: r.type ?? RTN_UNICAST, multipath: false,
    oif: r.oif ?? GATEWAY_OIF,
    ...(r.gateway === undefined ? {} : { gateway: r.gateway }),
    ...(r.prefsrc === undefined ? {} : { prefsrc: r.prefsrc }),
  };
}
