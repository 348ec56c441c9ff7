#!/usr/bin/env node
// pcap-to-hex.mjs: turns nlmon captures of one ipvsadm run into golden .hex fixtures.
//
//   node test/vm/pcap-to-hex.mjs OUT_DIR JOB...
//   JOB = NAME=CAPTURE.pcap[@SELECT], SELECT = command (default) | ctrl | info
//
// For each job it reads the capture (classic pcap, as `tcpdump -w` writes it, from an nlmon
// device), keeps the generic-netlink messages, and writes
//   OUT_DIR/NAME.hex        the selected messages ipvsadm sent, in order
//   OUT_DIR/NAME.reply.hex  every message the kernel sent back to them (matched by seq and pid)
// then prints one line per job, `NAME<TAB>summary`, for the fixtures' README.
// SELECT picks which requests: `command` every IPVS request except IPVS_CMD_GET_INFO; `ctrl` the
// first family look-up (GENL_ID_CTRL); `info` the first IPVS_CMD_GET_INFO. libipvs sends the last
// two before any command (the look-up again for every request, each on a new socket).
//
// Frames: nlmon's link type is LINKTYPE_NETLINK (253); each frame starts with a 16-byte header in
// the layout of LINUX_SLL (pkttype, ARPHRD_NETLINK, address length, address, then the netlink
// protocol, big-endian, at offset 14). LINUX_SLL (113) and LINUX_SLL2 (276, 20 bytes, protocol at
// offset 0) are read too. The pkttype field does not tell the direction (it is the same for both
// ways), so direction comes from the netlink header itself: NLM_F_REQUEST is set only on messages
// a program sends; the kernel never sets it.
//
// It fails (exit 1) on anything it cannot account for: an unknown pcap, a frame whose messages
// overrun it, no IPVS family in the capture, nothing selected, or a selected request with no final
// answer (NLMSG_ERROR or NLMSG_DONE), which would mean the capture stopped too early.
import { readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';

const NETLINK_GENERIC = 16;
const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const GENL_ID_CTRL = 0x10;
const CTRL_CMD_NEWFAMILY = 1;
const CTRL_ATTR_FAMILY_ID = 1;
const CTRL_ATTR_FAMILY_NAME = 2;
const IPVS_CMD_GET_INFO = 15;
const LINK_HEADERS = { 253: { length: 16, protocolAt: 14 }, 113: { length: 16, protocolAt: 14 }, 276: { length: 20, protocolAt: 0 } };
const IPVS_CMDS = [
  '', 'NEW_SERVICE', 'SET_SERVICE', 'DEL_SERVICE', 'GET_SERVICE', 'NEW_DEST', 'SET_DEST', 'DEL_DEST', 'GET_DEST',
  'NEW_DAEMON', 'DEL_DAEMON', 'GET_DAEMON', 'SET_CONFIG', 'GET_CONFIG', 'SET_INFO', 'GET_INFO', 'ZERO', 'FLUSH',
];
const CTRL_CMDS = ['UNSPEC', 'NEWFAMILY', 'DELFAMILY', 'GETFAMILY'];
const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, value]) => [value, name]));

function main(argv) {
  const [outDir, ...jobs] = argv;
  if (!outDir || jobs.length === 0) {
    console.error('usage: pcap-to-hex.mjs OUT_DIR NAME=CAPTURE.pcap[@command|ctrl|info]...');
    return 2;
  }
  for (const job of jobs) {
    const match = /^([\w.-]+)=(.+?)(?:@(command|ctrl|info))?$/.exec(job);
    if (!match) throw new Error(`bad job ${job}`);
    const [, name, pcap, select = 'command'] = match;
    const summary = extract(readFileSync(pcap), select, outDir, name);
    console.log(`${name}\t${summary}`);
  }
  return 0;
}

/** extract writes NAME.hex and NAME.reply.hex for one capture and returns a one-line summary. */
function extract(capture, select, outDir, name) {
  const messages = readPcap(capture).flatMap((frame) => splitMessages(frame));
  const familyId = ipvsFamilyId(messages);
  let requests = messages.filter((m) => m.isRequest && selected(m, select, familyId));
  if (select !== 'command') requests = requests.slice(0, 1);
  if (requests.length === 0) throw new Error(`${name}: no ${select} request in the capture`);
  // An answer carries its request's seq and, as nlmsg_pid, the port id of the requesting socket
  // (libnl puts that port id in its requests). seq alone is not enough: libnl starts seq at the
  // current second, so two sockets (or two runs in one second) share seq values.
  const keys = new Set(requests.map(key));
  const replies = messages.filter((m) => !m.isRequest && keys.has(key(m)));
  for (const request of requests) {
    const final = replies.some((r) => key(r) === key(request) && (r.type === NLMSG_ERROR || r.type === NLMSG_DONE));
    if (!final) throw new Error(`${name}: request seq ${request.seq} pid ${request.pid} has no final answer in the capture`);
  }
  writeFileSync(join(outDir, `${name}.hex`), toHex(requests));
  writeFileSync(join(outDir, `${name}.reply.hex`), toHex(replies));
  const describeAll = (list) => list.map((m) => describe(m, familyId)).join('; ');
  return `sent: ${describeAll(requests)} | received: ${describeAll(replies)}`;
}

function key(message) {
  return `${message.seq}:${message.pid}`;
}

function selected(message, select, familyId) {
  if (select === 'ctrl') return message.type === GENL_ID_CTRL;
  if (message.type !== familyId) return false;
  return select === 'info' ? message.cmd === IPVS_CMD_GET_INFO : message.cmd !== IPVS_CMD_GET_INFO;
}

/** readPcap returns the netlink payload of every NETLINK_GENERIC frame of a classic pcap file. */
function readPcap(buf) {
  if (buf.length < 24) throw new Error('not a pcap file (too short)');
  const magic = buf.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const big = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!little && !big) throw new Error(`not a classic pcap file (magic 0x${magic.toString(16)}; pcapng is not read)`);
  const u32 = (offset) => (little ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset));
  const linkType = u32(20) & 0xffff;
  const link = LINK_HEADERS[linkType];
  if (!link) throw new Error(`link type ${linkType} is not a netlink capture (expected 253, 113 or 276)`);
  const frames = [];
  for (let offset = 24; offset < buf.length; ) {
    if (offset + 16 > buf.length) throw new Error('truncated pcap record header');
    const caplen = u32(offset + 8);
    const origlen = u32(offset + 12);
    const start = offset + 16;
    if (start + caplen > buf.length) throw new Error('truncated pcap record');
    if (caplen !== origlen) throw new Error(`frame cut by the snapshot length (${caplen} of ${origlen} bytes)`);
    const frame = buf.subarray(start, start + caplen);
    if (frame.readUInt16BE(link.protocolAt) === NETLINK_GENERIC) frames.push(frame.subarray(link.length));
    offset = start + caplen;
  }
  return frames;
}

/** splitMessages cuts one frame into its netlink messages (nlmsg_len, aligned to 4 bytes). */
function splitMessages(frame) {
  const out = [];
  for (let offset = 0; offset < frame.length; ) {
    if (offset + NLMSG_HDRLEN > frame.length) throw new Error('frame ends inside a netlink header');
    const length = frame.readUInt32LE(offset);
    if (length < NLMSG_HDRLEN || offset + length > frame.length) throw new Error(`nlmsg_len ${length} overruns its frame`);
    const bytes = frame.subarray(offset, offset + length);
    const flags = bytes.readUInt16LE(6);
    out.push({
      bytes,
      type: bytes.readUInt16LE(4),
      flags,
      seq: bytes.readUInt32LE(8),
      pid: bytes.readUInt32LE(12),
      isRequest: (flags & NLM_F_REQUEST) !== 0,
      cmd: length > NLMSG_HDRLEN ? bytes[NLMSG_HDRLEN] : undefined,
    });
    offset += (length + 3) & ~3;
  }
  return out;
}

/** ipvsFamilyId reads the IPVS family id from the kernel's CTRL_CMD_NEWFAMILY answer. */
function ipvsFamilyId(messages) {
  for (const m of messages) {
    if (m.isRequest || m.type !== GENL_ID_CTRL || m.cmd !== CTRL_CMD_NEWFAMILY) continue;
    const attrs = attributes(m.bytes.subarray(NLMSG_HDRLEN + 4));
    const nameAttr = attrs.get(CTRL_ATTR_FAMILY_NAME);
    const idAttr = attrs.get(CTRL_ATTR_FAMILY_ID);
    if (nameAttr && idAttr && nameAttr.toString('latin1').replace(/\0+$/, '') === 'IPVS') return idAttr.readUInt16LE(0);
  }
  throw new Error('the capture holds no answer to the IPVS family look-up');
}

function attributes(buf) {
  const out = new Map();
  for (let offset = 0; offset + 4 <= buf.length; ) {
    const length = buf.readUInt16LE(offset);
    if (length < 4 || offset + length > buf.length) break;
    out.set(buf.readUInt16LE(offset + 2) & 0x3fff, buf.subarray(offset + 4, offset + length));
    offset += (length + 3) & ~3;
  }
  return out;
}

/** describe names a message for the README: family and command, flags, length, errno. */
function describe(m, familyId) {
  const len = `${m.bytes.length} B`;
  if (m.type === NLMSG_ERROR) {
    const error = m.bytes.readInt32LE(NLMSG_HDRLEN);
    return error === 0 ? `NLMSG_ERROR 0 (ack, ${len})` : `NLMSG_ERROR -${ERRNO_NAMES.get(-error) ?? -error} (${len})`;
  }
  if (m.type === NLMSG_DONE) return `NLMSG_DONE (${len})`;
  const flags = [];
  if (m.flags & NLM_F_REQUEST) flags.push('REQUEST');
  if (m.flags & 0x2) flags.push('MULTI');
  if (m.flags & 0x4) flags.push('ACK');
  if ((m.flags & 0x300) === 0x300 && m.isRequest) flags.push('DUMP');
  const what =
    m.type === GENL_ID_CTRL
      ? `CTRL_CMD_${CTRL_CMDS[m.cmd] ?? m.cmd}`
      : m.type === familyId
        ? `IPVS_CMD_${IPVS_CMDS[m.cmd] ?? m.cmd}`
        : `type ${m.type}`;
  return `${what} (${flags.join('|') || 'no flags'}, ${len})`;
}

/** toHex: 16 lower-case bytes per line, each message starting on a new line after a blank one. */
function toHex(messages) {
  return messages
    .map((m) => {
      const lines = [];
      for (let i = 0; i < m.bytes.length; i += 16) {
        lines.push([...m.bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
      }
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`pcap-to-hex: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
