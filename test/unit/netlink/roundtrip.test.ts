import { describe, expect, it } from 'vitest';
import { decodeAttributes } from '../../../src/netlink/attributes.js';
import { decodeGenlPayload, decodeMessages, encodeGenlPayload, encodeMessage } from '../../../src/netlink/message.js';
import { createPrng } from './prng.js';
import { randomTree, readTree, writeTree } from './random-attributes.js';

// Seeded, so every run checks the same cases; change the seed to explore others.
const SEED = 20240611;

describe('round trips (seeded)', () => {
  it('random attribute trees survive AttributeWriter → decodeAttributes → readers', () => {
    const rng = createPrng(SEED);
    for (let i = 0; i < 2000; i++) {
      const tree = randomTree(rng);
      const buf = writeTree(tree).toBuffer();
      expect(buf.length % 4).toBe(0);
      expect(readTree(decodeAttributes(buf), tree)).toEqual(tree);
    }
  });

  it('random datagrams of genl messages survive encode → decode', () => {
    const rng = createPrng(SEED + 1);
    for (let i = 0; i < 1000; i++) {
      const messages = Array.from({ length: 1 + rng.int(4) }, () => ({
        type: rng.int(0x10000),
        flags: rng.int(0x10000),
        seq: rng.int(2 ** 32),
        pid: rng.int(2 ** 32),
        genl: { cmd: rng.int(256), version: rng.int(256), attributes: writeTree(randomTree(rng)).toBuffer() },
      }));
      const datagram = Buffer.concat(messages.map(({ genl, ...h }) => encodeMessage({ ...h, payload: encodeGenlPayload(genl) })));
      const decoded = decodeMessages(datagram).map(({ payload, ...h }) => ({ ...h, genl: decodeGenlPayload(payload) }));
      expect(decoded).toEqual(messages);
    }
  });
});
