import { describe, expect, it } from 'vitest';
import { authority, drainBody, isHealthyStatus, judge, originOf, requestHeaders, BODY_DRAIN_LIMIT } from '../../../src/probe/http-request.js';
import type { ProbeTarget } from '../../../src/probe/prober.js';
import type { HttpProbeSpec } from '../../../src/probe/spec.js';

const v4: ProbeTarget = { address: '10.0.0.1', port: 6443, family: 4 };
const v6: ProbeTarget = { address: 'fd00::1', port: 6443, family: 6 };
const http: HttpProbeSpec = { scheme: 'http', path: '/healthz', timeoutMs: 1000 };

describe('origin and authority', () => {
  it('brackets IPv6 addresses', () => {
    expect(authority(v4)).toBe('10.0.0.1:6443');
    expect(authority(v6)).toBe('[fd00::1]:6443');
    expect(originOf('https', v6)).toBe('https://[fd00::1]:6443');
    expect(originOf('http', v4)).toBe('http://10.0.0.1:6443');
  });
});

describe('requestHeaders', () => {
  it('defaults Host to the target and adds a User-Agent', () => {
    expect(requestHeaders(http, v6)).toEqual({ host: '[fd00::1]:6443', 'user-agent': 'lvscare-probe' });
  });

  it('uses the HTTPS server name for Host, so Host and SNI agree', () => {
    expect(requestHeaders({ ...http, scheme: 'https', tls: { serverName: 'kubernetes' } }, v4).host).toBe('kubernetes:6443');
    expect(requestHeaders({ ...http, tls: { serverName: 'kubernetes' } }, v4).host).toBe('10.0.0.1:6443');
  });

  it('keeps headers the spec sets, whatever their case, without duplicating them', () => {
    const headers = requestHeaders({ ...http, headers: { HOST: 'x', 'USER-agent': 'y', 'X-A': 'b' } }, v4);
    expect(headers).toEqual({ HOST: 'x', 'USER-agent': 'y', 'X-A': 'b' });
  });
});

describe('judge', () => {
  it.each<[number, readonly number[], boolean]>([
    [200, [], true],
    [204, [], true],
    [301, [], true],
    [399, [], true],
    [400, [], false],
    [401, [], false],
    [401, [401], true],
    [403, [401], false],
    [500, [], false],
    [503, [503], true],
  ])('%i with %j healthy → %s', (status, healthy, ok) => {
    expect(isHealthyStatus(status, healthy)).toBe(ok);
    expect(judge(status, '', healthy).ok).toBe(ok);
  });

  it('an unhealthy verdict carries HTTP_STATUS, the status, and the start of the body on one line', () => {
    expect(judge(500, 'etcd\nfailed', [])).toEqual({ ok: false, statusCode: 500, errorCode: 'HTTP_STATUS', detail: 'body: etcd failed' });
    expect(judge(500, 'x'.repeat(1000), []).detail).toHaveLength('body: '.length + 200);
    expect(judge(503, '', [])).toEqual({ ok: false, statusCode: 503, errorCode: 'HTTP_STATUS' });
    expect(judge(200, 'whatever', [])).toEqual({ ok: true, statusCode: 200 });
  });
});

describe('drainBody', () => {
  async function* chunks(sizes: number[], read: number[]): AsyncGenerator<Buffer> {
    for (const size of sizes) {
      read.push(size);
      yield Buffer.alloc(size, 'a');
    }
  }

  it('reads everything up to the limit and stops there, saying the body was cut', async () => {
    const read: number[] = [];
    const { start, complete } = await drainBody(chunks(Array.from({ length: 10 }, () => BODY_DRAIN_LIMIT / 4), read));
    expect(read).toHaveLength(4);
    expect(start.length).toBeGreaterThanOrEqual(200);
    expect(complete).toBe(false);
  });

  it('returns a short body whole', async () => {
    async function* one(): AsyncGenerator<Buffer> {
      yield Buffer.from('[-]etcd failed');
    }
    expect(await drainBody(one())).toEqual({ start: '[-]etcd failed', complete: true });
  });
});
