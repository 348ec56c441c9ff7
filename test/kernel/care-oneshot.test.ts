// The one-shot forms of `lvscare care`: `--run-once` (before `kubeadm join`) and `-C` (clean).
// Neither probes, so no backends are needed: only the table.
import { afterEach, describe, expect, it } from 'vitest';
import { createCareNode, VS } from './support/backends.js';
import { CARE_TEST_TIMEOUT_MS, runCare } from './support/care-process.js';
import { figure } from './support/care-scenario.js';
import { readTable } from './support/care-table.js';
import { ipvsadm, runOk, type TestNetns } from './support/netns.js';
import { Teardown } from './support/teardown.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

const NOT_OURS = '10.103.97.3:6443';

/** expireNodestConn reads net.ipv4.vs.expire_nodest_conn of the namespace (it is per namespace). */
async function expireNodestConn(ns: TestNetns): Promise<string> {
  return (await runOk('ip', ['netns', 'exec', ns.name, 'cat', '/proc/sys/net/ipv4/vs/expire_nodest_conn'])).trim();
}

describe('lvscare care: one-shot forms', { timeout: CARE_TEST_TIMEOUT_MS }, () => {
  it('--run-once makes the table exactly as asked, fixing what differs, sets expire_nodest_conn, and exits 0', async () => {
    const node = await createCareNode(teardown);
    expect(await expireNodestConn(node)).toBe('0'); // a fresh namespace has the kernel's default
    // What a previous run or a person left: another scheduler, a wrong weight, a stray real server.
    await ipvsadm(node, ['-A', '-t', VS, '-s', 'wlc']);
    await ipvsadm(node, ['-a', '-t', VS, '-r', '10.240.1.2:6443', '-m', '-w', '3']);
    await ipvsadm(node, ['-a', '-t', VS, '-r', '10.240.9.9:6443', '-m', '-w', '1']);
    await ipvsadm(node, ['-A', '-t', NOT_OURS, '-s', 'rr']);
    await ipvsadm(node, ['-a', '-t', NOT_OURS, '-r', '10.240.9.9:6443', '-m', '-w', '1']);

    const { care, exit, ms } = await runCare(node, ['--vs', VS, '--rs', '10.240.1.2:6443,10.240.2.2:6443@5', '--rs', '10.240.3.2:6443', '--run-once', '--mode', ''], teardown);
    expect(exit.code, care.tail()).toBe(0);
    expect(care.find((l) => l.msg === 'the IPVS rules are in place')).toHaveLength(1);
    expect(await expireNodestConn(node)).toBe('1');
    const saved = (await ipvsadm(node, ['-S', '-n'])).trim().split('\n');
    expect(saved.filter((l) => l.includes(VS)).sort()).toEqual([
      `-A -t ${VS} -s rr`,
      `-a -t ${VS} -r 10.240.1.2:6443 -m -w 1`,
      `-a -t ${VS} -r 10.240.2.2:6443 -m -w 5`,
      `-a -t ${VS} -r 10.240.3.2:6443 -m -w 1`,
    ]);
    expect((await readTable(node))[NOT_OURS]).toEqual({ '10.240.9.9:6443': 1 });
    // One write per difference; the stray goes at once (no drain: nothing is serving through it yet).
    expect(care.ops().map((l) => l.msg.split(' ')[0]).sort()).toEqual(['add-destination', 'add-destination', 'delete-destination', 'update-destination', 'update-service']);
    figure(`--run-once: ${Math.round(ms)} ms fixing a drifted table (process start included)`);
  });

  it('-C removes our virtual server, a second -C is fine, and a virtual server that is not ours stays', async () => {
    const node = await createCareNode(teardown);
    await ipvsadm(node, ['-A', '-t', VS, '-s', 'rr']);
    await ipvsadm(node, ['-a', '-t', VS, '-r', '10.240.1.2:6443', '-m', '-w', '1']);
    await ipvsadm(node, ['-a', '-t', VS, '-r', '10.240.2.2:6443', '-m', '-w', '1']);
    // Not ours: another VIP, and our VIP on another port.
    await ipvsadm(node, ['-A', '-t', NOT_OURS, '-s', 'rr']);
    await ipvsadm(node, ['-a', '-t', NOT_OURS, '-r', '10.240.1.2:6443', '-m', '-w', '1']);
    await ipvsadm(node, ['-A', '-t', '10.103.97.2:8443', '-s', 'wlc']);
    const others = { [NOT_OURS]: { '10.240.1.2:6443': 1 }, '10.103.97.2:8443': {} };

    const first = await runCare(node, ['--vs', VS, '-C', '--mode', ''], teardown);
    expect(first.exit.code, first.care.tail()).toBe(0);
    expect(first.care.ops().map((l) => l.msg)).toEqual([`delete-service TCP ${VS}`]);
    expect(await readTable(node)).toEqual(others);

    const second = await runCare(node, ['--vs', VS, '-C', '--mode', ''], teardown);
    expect(second.exit.code, second.care.tail()).toBe(0);
    expect(second.care.ops()).toEqual([]);
    expect(second.care.find((l) => l.msg.includes('nothing to clean'))).toHaveLength(1);
    expect(await readTable(node)).toEqual(others);
    figure(`-C: ${Math.round(first.ms)} ms, again: ${Math.round(second.ms)} ms (process start included)`);
  });
});
