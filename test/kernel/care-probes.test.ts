// What lvscare's probes count as healthy, against real servers: HTTP status codes (with and without
// --health-status), HTTPS verified against a CA made here (by server name and by IP SAN), and plain
// TCP connects (--health-schem tcp).
import { afterEach, describe, expect, it } from 'vitest';
import { createCareNode, createRemote, startBackend, VIP, VS, type Backend } from './support/backends.js';
import { CARE_TEST_TIMEOUT_MS, careArgs, DEFAULT_PROBE_TIMEOUT_MS, startCareReady, type CareProcess } from './support/care-process.js';
import { careWorld, failedWith, KILLED_CODES, figure, opOn, settled, stateChange, weights } from './support/care-scenario.js';
import { netlinkReader } from './support/care-table.js';
import { createCa, issueCert } from './support/pki.js';
import { Teardown } from './support/teardown.js';

const teardown = new Teardown();
afterEach(() => teardown.run());

/** A second virtual server on the same VIP, for a second lvscare with other probe settings. */
const VS2 = `${VIP}:6444`;

describe('lvscare care: probes', { timeout: CARE_TEST_TIMEOUT_MS }, () => {
  it('counts HTTP 500 as unhealthy (quiesced, removed) and restores the backend once it answers 200', async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 2 });
    const sick = backends[1]!;
    const mark = care.mark();
    await sick.setStatus(500);
    const quiescing = await care.waitForLog(stateChange(sick.address, 'quiescing'), { since: mark });
    expect(quiescing['statusCode']).toBe(500);
    expect(quiescing['errorCode']).toBe('HTTP_STATUS');
    await care.waitForLog(opOn('delete-destination', sick.address), { since: mark });
    await settled(node, read, VS, weights([backends[0]!]));

    await sick.setStatus(200);
    await care.waitForLog(opOn('add-destination', sick.address, 'weight 1'), { since: mark });
    await settled(node, read, VS, weights(backends));
  });

  it('counts 401 as healthy with --health-status 401, and as unhealthy without it', async () => {
    const node = await createCareNode(teardown);
    const remotes = [await createRemote(node, 1, teardown), await createRemote(node, 2, teardown)];
    const [steady, auth] = await Promise.all(remotes.map((r) => startBackend(r, {}, teardown)));
    const rs = [steady!.address, auth!.address];
    const read = await netlinkReader(node, teardown);
    // Two lvscare processes side by side, one virtual server each, the same real servers.
    const [k3s, plain] = await Promise.all([
      startCareReady(node, careArgs(VS, rs, ['--health-status', '401']), teardown),
      startCareReady(node, careArgs(VS2, rs, ['--metrics-address', '']), teardown),
    ]);
    await settled(node, read, VS, weights([steady!, auth!]));
    await settled(node, read, VS2, weights([steady!, auth!]));

    // 500 first: both quiesce it, so that a 401 afterwards has something to prove.
    const marks = [k3s.mark(), plain.mark()] as const;
    await auth!.setStatus(500);
    for (const [i, care] of [k3s, plain].entries()) await care.waitForLog(stateChange(auth!.address, 'quiescing'), { since: marks[i] });
    await auth!.setStatus(401);

    const up = await k3s.waitForLog(stateChange(auth!.address, 'up'), { since: marks[0], what: '401 counted healthy' });
    expect(up['statusCode']).toBe(401);
    await plain.waitForLog(opOn('delete-destination', auth!.address), { since: marks[1] });
    const last = plain.find(stateChange(auth!.address, 'down'), marks[1])[0]!;
    expect(last['statusCode']).toBe(401);
    expect(last['errorCode']).toBe('HTTP_STATUS');
    await settled(node, read, VS, weights([steady!, auth!]));
    await settled(node, read, VS2, weights([steady!]));
    expect(k3s.ops(marks[0]).filter((l) => l.msg.includes(VS2))).toEqual([]);
    expect(plain.ops(marks[1]).filter((l) => l.msg.includes(`${VS} `))).toEqual([]);
  });

  it('verifies HTTPS backends against a CA made in the test, by --health-server-name and by IP SAN', async () => {
    const ca = await createCa('lvscare-test-ca', teardown);
    const rogue = await createCa('rogue-ca', teardown);
    const NAME = 'apiserver.cluster.local';
    const node = await createCareNode(teardown);
    const remotes = [];
    for (const i of [1, 2, 3]) remotes.push(await createRemote(node, i, teardown));
    const [r1, r2, r3] = remotes as [(typeof remotes)[0], (typeof remotes)[0], (typeof remotes)[0]];
    const pairs = [
      // right CA, the name and its IP: healthy either way
      await issueCert(ca, 'rs1', 'kube-apiserver', [`DNS:${NAME}`, `IP:${r1.ip}`]),
      // right CA, the name only: healthy by name, not by IP
      await issueCert(ca, 'rs2', 'kube-apiserver', [`DNS:${NAME}`]),
      // another CA: unhealthy either way
      await issueCert(rogue, 'rs3', 'kube-apiserver', [`DNS:${NAME}`, `IP:${r3.ip}`]),
    ];
    const backends: Backend[] = await Promise.all(
      [r1, r2, r3].map((r, i) => startBackend(r, { proto: 'https', tls: pairs[i]! }, teardown)),
    );
    const [b1, b2, b3] = backends as [Backend, Backend, Backend];
    const rs = backends.map((b) => b.address);
    const read = await netlinkReader(node, teardown);
    const https = ['--health-schem', 'https', '--health-ca-file', ca.certFile];
    const [byName, byIp] = await Promise.all([
      startCareReady(node, careArgs(VS, rs, [...https, '--health-server-name', NAME]), teardown),
      startCareReady(node, careArgs(VS2, rs, [...https, '--metrics-address', '']), teardown),
    ]);

    const untrusted = async (care: CareProcess, b: Backend): Promise<string> => {
      const line = await care.waitForLog(stateChange(b.address, 'quiescing'), { what: `${b.address} refused by verification` });
      return String(line['errorCode']);
    };
    // Another CA: refused by both.
    expect(await untrusted(byName, b3)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|CERT_SIGNATURE_FAILURE/);
    expect(await untrusted(byIp, b3)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|CERT_SIGNATURE_FAILURE/);
    // No IP SAN: refused when verifying the IP, fine when verifying the name.
    expect(await untrusted(byIp, b2)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    for (const care of [byName, byIp]) await care.waitForLog(opOn('delete-destination', b3.address));
    await byIp.waitForLog(opOn('delete-destination', b2.address));
    await settled(node, read, VS, weights([b1, b2]));
    await settled(node, read, VS2, weights([b1]));
    // By then each has probed every backend at least three times: the good ones never failed.
    expect(byName.find((l) => l.msg === 'real server state changed' && l['rs'] !== b3.address)).toEqual([]);
    expect(byIp.find((l) => l.msg === 'real server state changed' && l['rs'] === b1.address)).toEqual([]);
  });

  it('checks plain TCP backends with --health-schem tcp: connect is enough, refused is down', async () => {
    const { node, backends, care, read } = await careWorld(teardown, { backends: 3, backend: { proto: 'tcp' }, args: ['--health-schem', 'tcp'] });
    const victim = backends[2]!;
    const mark = care.mark();
    await victim.kill();
    const quiescing = await care.waitForLog(stateChange(victim.address, 'quiescing'), { since: mark });
    const how = failedWith(quiescing, KILLED_CODES, DEFAULT_PROBE_TIMEOUT_MS);
    expect(quiescing['statusCode']).toBeUndefined();
    await care.waitForLog(opOn('delete-destination', victim.address), { since: mark });
    await settled(node, read, VS, weights(backends.slice(0, 2)));
    await victim.start();
    await care.waitForLog(opOn('add-destination', victim.address, 'weight 1'), { since: mark });
    await settled(node, read, VS, weights(backends));
    // The backends speak no HTTP: only a TCP check can have kept them in (nothing else changed).
    expect(care.find((l) => l.msg === 'real server state changed' && l['rs'] !== victim.address)).toEqual([]);
    figure(`tcp check: killed backend failed with ${String(quiescing['errorCode'])} (${how})`);
  });
});
