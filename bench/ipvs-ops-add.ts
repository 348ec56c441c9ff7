/**
 * `node dist/bench/ipvs-ops-add.js < RULES`: adds the services and destinations of an
 * `ipvsadm -R` rules file (the subset bench/ipvs-ops-rules.ts writes) to the IPVS table of the
 * current network namespace with lvscare's client, and exits: the whole-process counterpart of
 * `ipvsadm -R < RULES`, without the CLI (yargs, the daemon's modules) in the way. Exit 1 when the
 * kernel refused anything.
 */
import { readFileSync } from 'node:fs';
import { loadLibc } from '../native/libc.js';
import { openIpvsClient } from '../src/ipvs/client.js';
import { NETLINK_GENERIC } from '../src/netlink/constants.js';
import { openNetlinkTransport } from '../src/netlink/open.js';
import { parseRules } from './ipvs-ops-rules.js';

const table = parseRules(readFileSync(0, 'utf8'));
const client = await openIpvsClient(openNetlinkTransport(loadLibc(), { protocol: NETLINK_GENERIC }));
try {
  for (const spec of table.services) await client.addService(spec);
  const outcomes = await client.addDestinations(table.destinations);
  const failed = outcomes.filter((o) => o !== undefined);
  if (failed.length > 0) {
    console.error(`${failed.length} of ${outcomes.length} destinations refused; the first: ${failed[0]!.message}`);
    process.exitCode = 1;
  }
} finally {
  client.close();
}
