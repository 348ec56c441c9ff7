import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProber } from '../../../src/probe/index.js';
import type { Prober } from '../../../src/probe/prober.js';
import type { HttpProbeSpec, TlsProbeSpec } from '../../../src/probe/spec.js';
import { makePki, type KeyPair, type Pki } from './pki.js';
import { eventually, startHttp, startSilent, type Loopback, type TestServer } from './servers.js';

const never = new AbortController().signal;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let pki: Pki;
beforeAll(() => {
  pki = makePki();
});

interface ServeOptions {
  readonly host?: Loopback;
  readonly pair?: KeyPair;
  /** Require a client certificate signed by the test CA. */
  readonly requireClientCert?: boolean;
}

async function serveTls(options: ServeOptions = {}): Promise<TestServer> {
  const pair = options.pair ?? pki.server;
  const clientAuth = options.requireClientCert ? { requestCert: true, rejectUnauthorized: true, ca: pki.caPem } : {};
  const server = await startHttp((_req, res) => res.writeHead(200).end('ok'), options.host, { cert: pair.certPem, key: pair.keyPem, ...clientAuth });
  cleanups.push(() => server.close());
  return server;
}

function prober(tls: TlsProbeSpec, spec: Partial<HttpProbeSpec> = {}): Prober {
  const p = createProber({ scheme: 'https', path: '/healthz', timeoutMs: 3000, tls, ...spec });
  cleanups.push(() => p.close());
  return p;
}

const verifyWith = (caPem: string, extra: TlsProbeSpec = {}): TlsProbeSpec => ({ insecureSkipVerify: false, caPem, ...extra });

describe('HTTPS verification', () => {
  it('verifies against the CA and the server name, sent as SNI and Host', async () => {
    const server = await serveTls();
    const outcome = await prober(verifyWith(pki.caPem, { serverName: 'kubernetes' })).probe(server.target, never);
    expect(outcome).toMatchObject({ ok: true, statusCode: 200 });
    expect(server.requests[0]).toMatchObject({ servername: 'kubernetes' });
    expect(server.requests[0]?.headers.host).toBe(`kubernetes:${server.target.port}`);
  });

  it('without a server name, verifies the target IP against the IP SANs and sends no SNI', async () => {
    const server = await serveTls();
    expect(await prober(verifyWith(pki.caPem)).probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
    expect(server.requests[0]).toMatchObject({ servername: false });
    expect(server.requests[0]?.headers.host).toBe(`127.0.0.1:${server.target.port}`);
  });

  it('verifies an IPv6 target against its IP SAN', async () => {
    const server = await serveTls({ host: '::1' });
    expect(await prober(verifyWith(pki.caPem)).probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
  });

  it('a server name the certificate lacks is ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    const server = await serveTls();
    const outcome = await prober(verifyWith(pki.caPem, { serverName: 'apiserver.example' })).probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(server.requests).toHaveLength(0);
  });

  it('a Host header does not change the name verified (the TLS name is pinned)', async () => {
    const server = await serveTls();
    const p = prober(verifyWith(pki.caPem, { serverName: 'apiserver.example' }), { headers: { Host: 'kubernetes' } });
    expect(await p.probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('the wrong CA is UNABLE_TO_VERIFY_LEAF_SIGNATURE', async () => {
    const server = await serveTls();
    const outcome = await prober(verifyWith(pki.otherCaPem, { serverName: 'kubernetes' })).probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(outcome.statusCode).toBeUndefined();
  });

  it('a self-signed certificate fails verification with DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    const server = await serveTls({ pair: pki.selfSigned });
    expect(await prober(verifyWith(pki.caPem)).probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('skips verification by default (the Go lvscare default): a self-signed certificate passes', async () => {
    const server = await serveTls({ pair: pki.selfSigned });
    expect(await prober({}).probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
    expect(await prober({ insecureSkipVerify: true, serverName: 'nothing-matches' }).probe(server.target, never)).toMatchObject({ ok: true });
  });

  it('the scheme defaults to skip-verify when no tls settings are given at all', async () => {
    const server = await serveTls({ pair: pki.selfSigned });
    const p = createProber({ scheme: 'https', path: '/healthz', timeoutMs: 3000 });
    cleanups.push(() => p.close());
    expect(await p.probe(server.target, never)).toMatchObject({ ok: true });
  });
});

describe('HTTPS client certificates', () => {
  it('presents the client certificate a server requires', async () => {
    const server = await serveTls({ requireClientCert: true });
    const tls = verifyWith(pki.caPem, { serverName: 'kubernetes', certPem: pki.client.certPem, keyPem: pki.client.keyPem });
    expect(await prober(tls).probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
    expect(server.requests[0]).toMatchObject({ clientCn: 'lvscare' });
  });

  it('presents it with verification skipped too', async () => {
    const server = await serveTls({ requireClientCert: true });
    const tls = { certPem: pki.client.certPem, keyPem: pki.client.keyPem };
    expect(await prober(tls).probe(server.target, never)).toMatchObject({ ok: true, statusCode: 200 });
  });

  it('without one, the server refuses it: the TLS alert is the error code (not "other side closed")', async () => {
    const server = await serveTls({ requireClientCert: true });
    const outcome = await prober(verifyWith(pki.caPem, { serverName: 'kubernetes' })).probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
  });

  it('a client certificate from another CA is refused: not ok, no request served', async () => {
    const server = await serveTls({ requireClientCert: true });
    // The self-signed pair is not issued by the CA the server trusts for clients. A Node TLS
    // server then closes the connection without an alert, so all the client sees is the close.
    const tls = verifyWith(pki.caPem, { serverName: 'kubernetes', certPem: pki.selfSigned.certPem, keyPem: pki.selfSigned.keyPem });
    expect(await prober(tls).probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'SOCKET_CLOSED' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('HTTPS connections', () => {
  it('does a full handshake on a fresh connection per probe', async () => {
    const server = await serveTls();
    const p = prober(verifyWith(pki.caPem, { serverName: 'kubernetes' }));
    for (let i = 0; i < 3; i += 1) expect(await p.probe(server.target, never)).toMatchObject({ ok: true });
    expect(server.connections()).toBe(3);
  });

  it('a server that accepts but never completes the handshake is ETIMEDOUT while connecting', async () => {
    const server = await startSilent();
    cleanups.push(() => server.close());
    const outcome = await prober({}, { timeoutMs: 200 }).probe(server.target, never);
    expect(outcome).toMatchObject({ ok: false, errorCode: 'ETIMEDOUT', detail: 'timeout 200 ms reached while connecting' });
    await eventually(() => server.openSockets() === 0);
  });

  it('an HTTPS probe of a plain HTTP port is a TLS error', async () => {
    const server = await startHttp((_req, res) => res.writeHead(200).end());
    cleanups.push(() => server.close());
    expect(await prober({}).probe(server.target, never)).toMatchObject({ ok: false, errorCode: 'ERR_SSL_WRONG_VERSION_NUMBER' });
  });
});
