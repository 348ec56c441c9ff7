/**
 * The rtnetlink client: links, addresses and routes of one network namespace over a NETLINK_ROUTE
 * transport. Each method is one request (or one dump), so the caller sees the kernel's answer for
 * exactly what it asked. Every error leaving it is an RtnlError naming the object.
 */
import type { Family } from '../ipvs/model.js';
import { NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE } from '../netlink/constants.js';
import { NetlinkDecodeError } from '../netlink/errors.js';
import type { NetlinkMessage } from '../netlink/message.js';
import type { Transport } from '../netlink/transport.js';
import * as codec from './codec.js';
import * as K from './constants.js';
import { describeAddress, describeRoute } from './describe.js';
import { toRtnlError, type RtnlError } from './errors.js';
import type { Address, AddressSpec, Link, LinkSettings, Route, RouteSpec } from './model.js';

/** RtnlClient reads and writes links, addresses and routes. */
export interface RtnlClient {
  listLinks(signal?: AbortSignal): Promise<Link[]>;
  /** getLink looks a link up by name (`ip link show NAME`); undefined when there is none. */
  getLink(name: string, signal?: AbortSignal): Promise<Link | undefined>;
  /**
   * createDummy creates a dummy interface (`ip link add NAME type dummy`), down unless
   * `settings.up`; EEXIST if the name is taken. See encodeDummyCreate for the alias.
   */
  createDummy(name: string, settings?: LinkSettings, signal?: AbortSignal): Promise<void>;
  setLinkUp(index: number, signal?: AbortSignal): Promise<void>;
  /** configureLink sets IFF_UP and/or the alias of link `index` in one request. */
  configureLink(index: number, settings: LinkSettings, signal?: AbortSignal): Promise<void>;
  deleteLink(index: number, signal?: AbortSignal): Promise<void>;
  listAddresses(family: Family, signal?: AbortSignal): Promise<Address[]>;
  /** addAddress adds; EEXIST if the interface already has it. */
  addAddress(a: AddressSpec, signal?: AbortSignal): Promise<void>;
  deleteAddress(a: AddressSpec, signal?: AbortSignal): Promise<void>;
  listRoutes(family: Family, signal?: AbortSignal): Promise<Route[]>;
  /** addRoute creates (NLM_F_CREATE|NLM_F_EXCL); EEXIST if one with the same dst, table and metric exists. */
  addRoute(r: RouteSpec, signal?: AbortSignal): Promise<void>;
  /** replaceRoute replaces the route with the same dst, table and metric, or creates it. */
  replaceRoute(r: RouteSpec, signal?: AbortSignal): Promise<void>;
  /** deleteRoute deletes the route matching every field of `r` (protocol included); ESRCH if none. */
  deleteRoute(r: RouteSpec, signal?: AbortSignal): Promise<void>;
  close(): void;
}

export class NetlinkRtnlClient implements RtnlClient {
  constructor(private readonly transport: Transport) {}

  async listLinks(signal?: AbortSignal): Promise<Link[]> {
    return this.dump('list links', K.RTM_GETLINK, K.RTM_NEWLINK, codec.encodeLinkDump(), codec.decodeLink, signal);
  }

  async getLink(name: string, signal?: AbortSignal): Promise<Link | undefined> {
    const op = `look up link ${name}`;
    let replies: NetlinkMessage[];
    try {
      replies = await this.run(op, K.RTM_GETLINK, 0, codec.encodeLinkByName(name), signal);
    } catch (err) {
      if ((err as RtnlError).errnoName === 'ENODEV') return undefined;
      throw err;
    }
    try {
      const reply = replies.find((m) => m.type === K.RTM_NEWLINK);
      if (reply === undefined) throw new NetlinkDecodeError(`no RTM_NEWLINK in the answer to RTM_GETLINK ${name}`, 0);
      return codec.decodeLink(reply.payload);
    } catch (err) {
      throw toRtnlError(err, op);
    }
  }

  async createDummy(name: string, settings: LinkSettings = {}, signal?: AbortSignal): Promise<void> {
    await this.run(`create dummy interface ${name}`, K.RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, codec.encodeDummyCreate(name, settings), signal);
  }

  async setLinkUp(index: number, signal?: AbortSignal): Promise<void> {
    await this.run(`set link #${index} up`, K.RTM_NEWLINK, 0, codec.encodeLinkUp(index), signal);
  }

  async configureLink(index: number, settings: LinkSettings, signal?: AbortSignal): Promise<void> {
    const what = [settings.up === undefined ? '' : settings.up ? 'up' : 'down', settings.alias === undefined ? '' : `alias ${JSON.stringify(settings.alias)}`].filter(Boolean).join(' ');
    await this.run(`set link #${index} ${what}`, K.RTM_NEWLINK, 0, codec.encodeLinkSettings(index, settings), signal);
  }

  async deleteLink(index: number, signal?: AbortSignal): Promise<void> {
    await this.run(`delete link #${index}`, K.RTM_DELLINK, 0, codec.encodeLinkIndex(index), signal);
  }

  async listAddresses(family: Family, signal?: AbortSignal): Promise<Address[]> {
    return this.dump(`list IPv${family} addresses`, K.RTM_GETADDR, K.RTM_NEWADDR, codec.encodeAddressDump(family), codec.decodeAddress, signal);
  }

  async addAddress(a: AddressSpec, signal?: AbortSignal): Promise<void> {
    await this.run(`add address ${describeAddress(a)}`, K.RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, codec.encodeAddress(a), signal);
  }

  async deleteAddress(a: AddressSpec, signal?: AbortSignal): Promise<void> {
    await this.run(`delete address ${describeAddress(a)}`, K.RTM_DELADDR, 0, codec.encodeAddress(a), signal);
  }

  async listRoutes(family: Family, signal?: AbortSignal): Promise<Route[]> {
    return this.dump(`list IPv${family} routes`, K.RTM_GETROUTE, K.RTM_NEWROUTE, codec.encodeRouteDump(family), codec.decodeRoute, signal);
  }

  async addRoute(r: RouteSpec, signal?: AbortSignal): Promise<void> {
    await this.run(`add route ${describeRoute(r)}`, K.RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, codec.encodeRoute(r), signal);
  }

  async replaceRoute(r: RouteSpec, signal?: AbortSignal): Promise<void> {
    await this.run(`replace route ${describeRoute(r)}`, K.RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, codec.encodeRoute(r), signal);
  }

  async deleteRoute(r: RouteSpec, signal?: AbortSignal): Promise<void> {
    await this.run(`delete route ${describeRoute(r)}`, K.RTM_DELROUTE, 0, codec.encodeRoute(r), signal);
  }

  close(): void {
    this.transport.close();
  }

  private async run(op: string, type: number, flags: number, payload: Buffer, signal?: AbortSignal): Promise<NetlinkMessage[]> {
    try {
      return await this.transport.request({ type, flags, payload }, { op, signal });
    } catch (err) {
      throw toRtnlError(err, op);
    }
  }

  /** dump runs a dump and decodes every part; a part of another type than `replyType` is rejected. */
  private async dump<T>(op: string, type: number, replyType: number, payload: Buffer, decode: (p: Buffer) => T, signal?: AbortSignal): Promise<T[]> {
    const replies = await this.run(op, type, NLM_F_DUMP, payload, signal);
    try {
      return replies.map((m) => {
        if (m.type !== replyType) throw new NetlinkDecodeError(`message type ${m.type} in a dump of type ${replyType}`, 0);
        return decode(m.payload);
      });
    } catch (err) {
      throw toRtnlError(err, op);
    }
  }
}
