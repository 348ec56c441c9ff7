/**
 * A message-level fake Transport, after mdlayher's genltest: a handler sees each request decoded
 * as generic netlink and returns the kernel's answer. Code above the transport (family
 * resolution, the IPVS client) is tested against it without root or sockets.
 *
 * The fake keeps the real transport's contract where callers can observe it: errnos reject with
 * a NetlinkError shaped as SocketTransport makes it (code, errno, op, seq, extAckMessage); a
 * closed transport or an already-aborted signal rejects before the handler runs; requests run in
 * call order, one at a time. It does not simulate timeouts or overruns: a handler that wants them
 * throws the NetlinkError it wants the caller to see.
 */
import { AttributeSet, AttributeWriter } from '../../src/netlink/attributes.js';
import {
  CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR, CTRL_ATTR_VERSION, CTRL_CMD_GETFAMILY,
  CTRL_CMD_NEWFAMILY, GENL_ID_CTRL, NLM_F_DUMP, NLM_F_MULTI,
} from '../../src/netlink/constants.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { decodeGenlPayload, encodeGenlPayload, type GenlPayload, type NetlinkMessage } from '../../src/netlink/message.js';
import type { BatchOutcome, OutgoingRequest, RequestOptions, Transport } from '../../src/netlink/transport.js';

/** FakeRequest is one request as the handler sees it. */
export interface FakeRequest {
  readonly type: number;
  /** The flags the caller passed; the real transport adds NLM_F_REQUEST, and NLM_F_ACK unless dumping. */
  readonly flags: number;
  readonly genl: { readonly cmd: number; readonly version: number; readonly attributes: AttributeSet };
  readonly seq: number;
  /** RequestOptions.op of the call. */
  readonly op: string;
}

/** FakeErrno is a refusal: a positive errno, optionally with the kernel's extended-ack message. */
export interface FakeErrno {
  readonly errno: number;
  readonly extAckMessage?: string;
}

/**
 * FakeReply is the kernel's answer: genl payloads (the data messages before the ack, or the parts
 * of a dump; framed with the request's type and seq), or an errno (number or FakeErrno).
 */
export type FakeReply = readonly GenlPayload[] | number | FakeErrno;

/** FakeHandler answers one request; what it throws reaches the caller unchanged. */
export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeTransport extends Transport {
  /** requests holds every request the handler was given, in order. */
  readonly requests: readonly FakeRequest[];
  readonly closed: boolean;
}

/** FAKE_PORT_ID is the nlmsg_pid of framed replies (the real transport checks it; the fake just sets it). */
export const FAKE_PORT_ID = 0x1234;

/** fakeTransport returns a Transport whose kernel is `handler`. */
export function fakeTransport(handler: FakeHandler): FakeTransport {
  const requests: FakeRequest[] = [];
  let closed = false;
  let nextSeq = 1;
  let queue: Promise<unknown> = Promise.resolve();

  const serialise = <T>(options: RequestOptions, run: () => Promise<T>): Promise<T> => {
    const turn = queue.then(() => {
      if (closed) throw new NetlinkError({ op: options.op, errno: 0, cause: new Error('transport closed') });
      if (options.signal?.aborted) {
        throw new NetlinkError({ op: options.op, errno: 0, code: 'LVSCARE_ERR_ABORTED', cause: options.signal.reason });
      }
      return run();
    });
    queue = turn.catch(() => undefined);
    return turn;
  };

  /** exchange hands one message to the handler: data replies, or the NetlinkError an errno makes. */
  const exchange = async (m: OutgoingRequest, op: string): Promise<NetlinkMessage[] | NetlinkError> => {
    const seq = nextSeq++;
    const { cmd, version, attributes } = decodeGenlPayload(m.payload);
    const req: FakeRequest = { type: m.type, flags: m.flags, genl: { cmd, version, attributes: AttributeSet.decode(attributes) }, seq, op };
    requests.push(req);
    const reply = await handler(req);
    if (typeof reply === 'number') return new NetlinkError({ op, errno: reply, seq });
    if (!Array.isArray(reply)) {
      const { errno, extAckMessage } = reply as FakeErrno;
      return new NetlinkError({ op, errno, seq, extAckMessage });
    }
    const flags = (m.flags & NLM_F_DUMP) === NLM_F_DUMP ? NLM_F_MULTI : 0;
    return (reply as readonly GenlPayload[]).map((p) => ({ type: m.type, flags, seq, pid: FAKE_PORT_ID, payload: encodeGenlPayload(p) }));
  };

  return {
    requests,
    get closed() {
      return closed;
    },
    request(message, options) {
      return serialise(options, async () => {
        const result = await exchange(message, options.op);
        if (result instanceof NetlinkError) throw result;
        return result;
      });
    },
    requestBatch(messages, options) {
      return serialise(options, async () => {
        const outcomes: BatchOutcome[] = [];
        for (const m of messages) {
          const result = await exchange(m, options.op);
          outcomes.push(result instanceof NetlinkError ? result : undefined);
        }
        return outcomes;
      });
    },
    close() {
      closed = true;
    },
  };
}

/** ServeFamilyOptions are the nlctrl attributes of the served family beyond its name and id. */
export interface ServeFamilyOptions {
  /** CTRL_ATTR_VERSION (IPVS: 1). */
  readonly version?: number;
  /** CTRL_ATTR_MAXATTR. */
  readonly maxAttr?: number;
}

const ENOENT = 2;
const EINVAL = 22;
const EOPNOTSUPP = 95;
/** NLCTRL_VERSION is the genl version nlctrl puts in its own replies (genl_ctrl.version = 0x2). */
const NLCTRL_VERSION = 2;

/**
 * serveFamily answers nlctrl CTRL_CMD_GETFAMILY for one family, by name or id, as ctrl_getfamily()
 * does: ENOENT for any other family, EINVAL when the request names none. Other nlctrl commands get
 * EOPNOTSUPP; every request that is not nlctrl's goes to `handler`.
 */
export function serveFamily(name: string, id: number, handler: FakeHandler, options: ServeFamilyOptions = {}): FakeHandler {
  return (req) => {
    if (req.type !== GENL_ID_CTRL) return handler(req);
    if (req.genl.cmd !== CTRL_CMD_GETFAMILY) return EOPNOTSUPP;
    const askedName = req.genl.attributes.optionalString(CTRL_ATTR_FAMILY_NAME);
    const askedId = req.genl.attributes.optionalU16(CTRL_ATTR_FAMILY_ID);
    if (askedName === undefined && askedId === undefined) return EINVAL;
    if ((askedName ?? name) !== name || (askedId ?? id) !== id) return ENOENT;
    const attributes = new AttributeWriter()
      .string(CTRL_ATTR_FAMILY_NAME, name)
      .u16(CTRL_ATTR_FAMILY_ID, id)
      .u32(CTRL_ATTR_VERSION, options.version ?? 1)
      .u32(CTRL_ATTR_HDRSIZE, 0)
      .u32(CTRL_ATTR_MAXATTR, options.maxAttr ?? 0)
      .toBuffer();
    return [{ cmd: CTRL_CMD_NEWFAMILY, version: NLCTRL_VERSION, attributes }];
  };
}

/** RequestExpectations lists what checkRequest verifies; an absent field is not checked. */
export interface RequestExpectations {
  readonly type?: number;
  readonly cmd?: number;
  readonly version?: number;
  /** The caller's flags, compared exactly. */
  readonly flags?: number;
  /** Further checks on the attributes; throw (or use expect) to fail. */
  readonly attributes?: (set: AttributeSet) => void;
}

/** RequestMismatchError is what checkRequest throws; it is deliberately not a NetlinkError. */
export class RequestMismatchError extends Error {
  override readonly name = 'RequestMismatchError';
}

/**
 * checkRequest wraps `handler` so that each request is first checked against `expected`, like
 * genltest.CheckRequest. A mismatch throws RequestMismatchError naming every differing field; the
 * transport passes it to the caller (a batch rejects as a whole), so it cannot pass for a refusal.
 */
export function checkRequest(expected: RequestExpectations, handler: FakeHandler): FakeHandler {
  return (req) => {
    const actual = { type: req.type, cmd: req.genl.cmd, version: req.genl.version, flags: req.flags };
    const wrong = (['type', 'cmd', 'version', 'flags'] as const)
      .filter((k) => expected[k] !== undefined && expected[k] !== actual[k])
      .map((k) => `${k} ${hex(actual[k])}, expected ${hex(expected[k]!)}`);
    if (wrong.length > 0) throw new RequestMismatchError(`request ${req.seq} (${req.op}): ${wrong.join('; ')}`);
    expected.attributes?.(req.genl.attributes);
    return handler(req);
  };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
