import { beforeAll, describe, expect, it } from 'vitest';
import { createProber, ProbeError } from '../../../src/probe/index.js';
import { validateProbeSpec, type HttpProbeSpec, type TlsProbeSpec } from '../../../src/probe/spec.js';
import { tlsSettings } from '../../../src/probe/tls-options.js';
import { isLvscareError } from '../../../src/errors.js';
import { makePki, type Pki } from './pki.js';

const base: HttpProbeSpec = { scheme: 'http', path: '/healthz', timeoutMs: 1000 };

function refusal(run: () => unknown): { setting: string; message: string } {
  try {
    run();
  } catch (err) {
    if (!isLvscareError(err, 'LVSCARE_ERR_PROBE')) throw err;
    return { setting: (err as unknown as { setting: string }).setting, message: err.message };
  }
  throw new Error('expected a ProbeError');
}

describe('validateProbeSpec', () => {
  it.each<[string, Partial<HttpProbeSpec>, string]>([
    ['a path without /', { path: 'healthz' }, 'path'],
    ['an empty path', { path: '' }, 'path'],
    ['a path with a space', { path: '/health z' }, 'path'],
    ['a path with a line break', { path: '/healthz\r\nX: y' }, 'path'],
    ['an empty method', { method: '' }, 'method'],
    ['a method with a space', { method: 'GET /' }, 'method'],
    ['a header name with a colon', { headers: { 'X:Y': 'z' } }, 'headers.X:Y'],
    ['a header value with a line break', { headers: { 'X-A': 'a\r\nInjected: 1' } }, 'headers.X-A'],
    ['a Connection header (the prober owns it)', { headers: { Connection: 'keep-alive' } }, 'headers.Connection'],
    ['a Transfer-Encoding header', { headers: { 'transfer-encoding': 'chunked' } }, 'headers.transfer-encoding'],
    ['a Content-Length header', { headers: { 'Content-Length': '3' } }, 'headers.Content-Length'],
    ['a status below 100', { healthyStatuses: [99] }, 'healthyStatuses'],
    ['a status above 599', { healthyStatuses: [600] }, 'healthyStatuses'],
    ['a fractional status', { healthyStatuses: [401.5] }, 'healthyStatuses'],
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs'],
    ['a negative timeout', { timeoutMs: -5 }, 'timeoutMs'],
    ['a NaN timeout', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['a server name with a space', { scheme: 'https', tls: { serverName: 'a b' } }, 'tls.serverName'],
    ['an empty server name', { scheme: 'https', tls: { serverName: '' } }, 'tls.serverName'],
  ])('refuses %s', (_name, change, setting) => {
    const spec = { ...base, ...change } as HttpProbeSpec;
    expect(refusal(() => validateProbeSpec(spec)).setting).toBe(setting);
  });

  it('accepts a full spec', () => {
    const spec: HttpProbeSpec = {
      scheme: 'https',
      path: '/readyz?verbose',
      timeoutMs: 10_000,
      method: 'POST',
      headers: { Authorization: 'Bearer x', Host: 'kubernetes' },
      body: '{}',
      healthyStatuses: [401, 403],
      tls: { insecureSkipVerify: false, serverName: 'kubernetes' },
    };
    expect(() => validateProbeSpec(spec)).not.toThrow();
  });

  it('is LVSCARE_ERR_PROBE, which the CLI exits 2 for (a settings problem)', () => {
    const err = new ProbeError('path', 'bad');
    expect(err).toMatchObject({ code: 'LVSCARE_ERR_PROBE', exitCode: 2, setting: 'path', name: 'ProbeError', message: 'probe path: bad' });
  });

  it('messages are one line naming the setting', () => {
    const { message } = refusal(() => validateProbeSpec({ ...base, path: 'a\nb' }));
    expect(message).toMatch(/^probe path: /);
    expect(message).not.toMatch(/\n/);
  });
});

describe('TLS material', () => {
  let pki: Pki;
  beforeAll(() => {
    pki = makePki();
  });

  it.each<[string, (p: Pki) => TlsProbeSpec, string]>([
    ['a CA file with no certificate', () => ({ insecureSkipVerify: false, caPem: 'not a pem' }), 'tls.caPem'],
    ['a CA certificate that does not parse', () => ({ insecureSkipVerify: false, caPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }), 'tls.caPem'],
    ['a certificate without its key', (p) => ({ certPem: p.client.certPem }), 'tls.keyPem'],
    ['a key without its certificate', (p) => ({ keyPem: p.client.keyPem }), 'tls.certPem'],
    ['a client certificate with the wrong key', (p) => ({ certPem: p.client.certPem, keyPem: p.server.keyPem }), 'tls.certPem/keyPem'],
    ['a client certificate that is not PEM', (p) => ({ certPem: 'garbage', keyPem: p.client.keyPem }), 'tls.certPem/keyPem'],
  ])('refuses %s when the prober is built', (_name, make, setting) => {
    const tls = make(pki);
    expect(refusal(() => tlsSettings(tls)).setting).toBe(setting);
    expect(refusal(() => createProber({ scheme: 'https', path: '/', timeoutMs: 1000, tls })).setting).toBe(setting);
  });

  it('ignores the CA when verification is skipped', () => {
    expect(() => tlsSettings({ insecureSkipVerify: true, caPem: 'not a pem' })).not.toThrow();
  });

  it('sends the server name as SNI unless it is an IP address (RFC 6066), and verifies against it', () => {
    expect(tlsSettings({ serverName: 'kubernetes' })).toMatchObject({ sni: 'kubernetes', verifyName: 'kubernetes' });
    expect(tlsSettings({ serverName: '10.0.0.1' })).toMatchObject({ sni: undefined, verifyName: '10.0.0.1' });
    expect(tlsSettings({})).toMatchObject({ sni: undefined, verifyName: undefined });
  });

  it('verifies only when insecureSkipVerify is false', () => {
    expect(tlsSettings({}).options.rejectUnauthorized).toBe(false);
    expect(tlsSettings({ insecureSkipVerify: true }).options.rejectUnauthorized).toBe(false);
    expect(tlsSettings({ insecureSkipVerify: false }).options.rejectUnauthorized).toBe(true);
  });
});
