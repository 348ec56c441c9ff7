// The kernel tier's own test: it proves that the tier runs on a kernel with IPVS, that every test
// namespace has its own table, and that the tools later kernel tests rely on are there. None of
// these checks skips: on a kernel without IPVS they fail.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createNetns, ipvsadm, run, runOk, TEST_NET, type TestNetns } from './support/netns.js';
import { requireKernelTier } from './support/tier.js';

const owned: TestNetns[] = [];
async function freshNetns(): Promise<TestNetns> {
  const ns = await createNetns();
  owned.push(ns);
  return ns;
}
afterEach(async () => {
  await Promise.all(owned.splice(0).map((ns) => ns.destroy()));
});

describe('kernel tier harness', () => {
  it('runs as root on a kernel with ip_vs loaded', () => {
    const where = requireKernelTier();
    expect(['native', 'qemu']).toContain(where);
    expect(existsSync('/proc/net/ip_vs'), '/proc/net/ip_vs: the ip_vs module is not loaded').toBe(true);
    expect(readFileSync('/proc/net/ip_vs', 'utf8')).toMatch(/^IP Virtual Server version \d+\.\d+\.\d+/);
  });

  it('gives a fresh namespace lo, the dummy interface and both test addresses', async () => {
    const ns = await freshNetns();
    expect(ns.path).toBe(`/run/netns/${ns.name}`);
    expect(existsSync(ns.path)).toBe(true);
    const addrs = (await ns.exec('ip', ['-o', 'addr', 'show'])).stdout;
    expect(addrs).toMatch(/\blo\b.*inet 127\.0\.0\.1\/8/);
    expect(addrs).toContain(`${TEST_NET.iface}    inet ${TEST_NET.ipv4}/${TEST_NET.ipv4Prefix}`);
    expect(addrs).toContain(`${TEST_NET.iface}    inet6 ${TEST_NET.ipv6}/${TEST_NET.ipv6Prefix}`);
    await ns.destroy();
    expect(existsSync(ns.path)).toBe(false);
  });

  it('adds a service and destinations of both families in a fresh namespace', async () => {
    const ns = await freshNetns();
    await ipvsadm(ns, ['-A', '-t', '10.0.0.1:80', '-s', 'rr']);
    await ipvsadm(ns, ['-a', '-t', '10.0.0.1:80', '-r', '10.0.1.1:8080', '-m', '-w', '1']);
    await ipvsadm(ns, ['-A', '-t', '[fd00::1]:6443', '-s', 'wlc']);
    await ipvsadm(ns, ['-a', '-t', '[fd00::1]:6443', '-r', '[fd00::10]:6443', '-m', '-w', '2']);
    const table = await ipvsadm(ns, ['-Ln']);
    expect(table).toMatch(/^TCP {2}10\.0\.0\.1:80 rr\s*$/m);
    expect(table).toMatch(/^ {2}-> 10\.0\.1\.1:8080 +Masq +1 +0 +0\s*$/m);
    expect(table).toMatch(/^TCP {2}\[fd00::1\]:6443 wlc\s*$/m);
    expect(table).toMatch(/^ {2}-> \[fd00::10\]:6443 +Masq +2 +0 +0\s*$/m);
  });

  it('keeps every namespace table apart', async () => {
    const first = await freshNetns();
    const second = await freshNetns();
    await ipvsadm(first, ['-A', '-t', '10.0.0.1:80', '-s', 'rr']);
    expect(await ipvsadm(first, ['-Ln'])).toContain('10.0.0.1:80');
    const other = await ipvsadm(second, ['-Ln']);
    expect(other).not.toMatch(/^(TCP|UDP|FWM)/m);
    // the namespace this test process runs in does not see it either
    expect(await runOk('ipvsadm', ['-Ln'])).not.toContain('10.0.0.1:80 rr');
  });

  it('refuses IPVS changes to a process without CAP_NET_ADMIN', async () => {
    const ns = await freshNetns();
    const result = await ns.exec('setpriv', [
      '--bounding-set=-net_admin',
      '--inh-caps=-net_admin',
      'ipvsadm',
      '-A',
      '-t',
      '10.0.0.1:80',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Permission denied|Operation not permitted/);
    expect(await ipvsadm(ns, ['-Ln'])).not.toContain('10.0.0.1:80');
  });

  it('can create an nlmon device for netlink captures', async () => {
    const ns = await freshNetns();
    const add = await ns.exec('ip', ['link', 'add', 'nlmon0', 'type', 'nlmon']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    await runOk('ip', ['-n', ns.name, 'link', 'set', 'nlmon0', 'up']);
    expect((await ns.exec('ip', ['-d', 'link', 'show', 'nlmon0'])).stdout).toMatch(/link\/netlink[\s\S]*nlmon/);
  });

  it('has the tools later kernel tests use', async () => {
    const checks: [string, string[], RegExp][] = [
      ['tcpdump', ['--version'], /tcpdump version/],
      ['keepalived', ['--version'], /Keepalived v\d/],
      ['openssl', ['version'], /OpenSSL 3\./],
      ['setpriv', ['--version'], /util-linux/],
      ['nsenter', ['--version'], /util-linux/],
      ['unshare', ['--version'], /util-linux/],
      ['capsh', ['--print'], /Bounding set/],
    ];
    for (const [cmd, args, expected] of checks) {
      const result = await run(cmd, args);
      expect(`${result.stdout}${result.stderr}`, cmd).toMatch(expected);
    }
  });
});
