/**
 * `lvscare ipvs list [--json] [--netns PATH]`: the kernel's IPVS table read with our own client,
 * printed as `ipvsadm -Ln` prints it, or as JSON for programs.
 */
import type { Argv } from 'yargs';
import { openIpvsClient } from '../ipvs/client.js';
import { readIpvsTable } from '../ipvs/table.js';
import { NETLINK_GENERIC } from '../netlink/constants.js';
import { formatIpvsTable } from '../view/ipvs-table.js';
import type { Runtime } from './runtime.js';

export function ipvsCommand(runtime: Runtime) {
  return (yargs: Argv) =>
    yargs
      .command(
        'list',
        'print the IPVS table as ipvsadm -Ln does',
        (y) => y
          .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of the ipvsadm layout' })
          .option('netns', { type: 'string', describe: 'read the table of the network namespace at this path (e.g. /run/netns/x)' }),
        async (argv) => {
          const transport = runtime.openTransport({ protocol: NETLINK_GENERIC, netnsPath: argv.netns });
          const client = await openIpvsClient(transport).catch((err) => {
            transport.close();
            throw err;
          });
          try {
            const [info, entries] = [await client.info(), await readIpvsTable(client)];
            runtime.stdout(argv.json ? JSON.stringify({ info, services: entries }, null, 2) + '\n' : formatIpvsTable(info, entries));
          } finally {
            client.close();
          }
        },
      )
      .demandCommand(1, 'name an ipvs subcommand: list');
}
