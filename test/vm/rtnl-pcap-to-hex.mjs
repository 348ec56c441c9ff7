#!/usr/bin/env node
// rtnl-pcap-to-hex.mjs: keeps, from nlmon captures of one `ip` command each, the NETLINK_ROUTE
// requests of one message type, and writes them as OUT_DIR/NAME.hex.
//
//   node test/vm/rtnl-pcap-to-hex.mjs OUT_DIR NAME=CAPTURE.pcap@TYPE...
//
// Frames as in pcap-to-hex.mjs (LINKTYPE_NETLINK: a 16-byte header, the netlink protocol
// big-endian at offset 14); a request is a message with NLM_F_REQUEST, which the kernel never
// sets. Requests with nlmsg_seq 0 are left out: that is iproute2's probe before `ip link`
// commands (iplink_have_newlink: an empty RTM_NEWLINK to see whether the kernel answers
// EOPNOTSUPP), not the command. It fails when a capture holds no request of the type asked for.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NETLINK_ROUTE = 0;
const NLM_F_REQUEST = 0x1;

for (const job of process.argv.slice(3)) {
  const match = /^([\w.-]+)=(.+)@(\d+)$/.exec(job);
  if (!match) throw new Error(`bad job ${job}`);
  const [, name, pcap, type] = match;
  const requests = frames(readFileSync(pcap)).flatMap(messages).filter((m) => m.readUInt16LE(4) === Number(type) && (m.readUInt16LE(6) & NLM_F_REQUEST) !== 0 && m.readUInt32LE(8) !== 0);
  if (requests.length === 0) throw new Error(`${name}: no request of type ${type} in ${pcap}`);
  const hex = requests.map((m) => m.toString('hex').match(/.{1,32}/g).map((l) => l.match(/../g).join(' ')).join('\n')).join('\n\n');
  writeFileSync(join(process.argv[2], `${name}.hex`), `${hex}\n`);
}

function frames(buf) {
  if (buf.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian classic pcap file');
  if ((buf.readUInt32LE(20) & 0xffff) !== 253) throw new Error('not a LINKTYPE_NETLINK capture');
  const out = [];
  for (let offset = 24; offset + 16 <= buf.length; ) {
    const caplen = buf.readUInt32LE(offset + 8);
    const frame = buf.subarray(offset + 16, offset + 16 + caplen);
    if (frame.readUInt16BE(14) === NETLINK_ROUTE) out.push(frame.subarray(16));
    offset += 16 + caplen;
  }
  return out;
}

function messages(frame) {
  const out = [];
  for (let offset = 0; offset + 16 <= frame.length; ) {
    const len = frame.readUInt32LE(offset);
    if (len < 16 || offset + len > frame.length) throw new Error(`netlink message of ${len} bytes overruns its frame`);
    out.push(frame.subarray(offset, offset + len));
    offset += (len + 3) & ~3;
  }
  return out;
}
