import { describe, expect, it } from 'vitest';
import { classifyError, oneLine } from '../../../src/probe/classify.js';

function coded(code: string, message = `failed: ${code}`, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const err = Object.assign(new Error(message), extra);
  err.name = name;
  return err;
}

describe('classifyError', () => {
  it.each<[string, unknown, string]>([
    ['an errno passes through', coded('ECONNREFUSED'), 'ECONNREFUSED'],
    ['EHOSTUNREACH passes through', coded('EHOSTUNREACH'), 'EHOSTUNREACH'],
    ['ENETUNREACH passes through', coded('ENETUNREACH'), 'ENETUNREACH'],
    ['ECONNRESET passes through', coded('ECONNRESET'), 'ECONNRESET'],
    ['an OpenSSL verification code passes through', coded('DEPTH_ZERO_SELF_SIGNED_CERT'), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['a Node TLS code passes through', coded('ERR_TLS_CERT_ALTNAME_INVALID'), 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['an OpenSSL alert passes through', coded('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'],
    ["undici's connect timeout is ETIMEDOUT", coded('UND_ERR_CONNECT_TIMEOUT'), 'ETIMEDOUT'],
    ["undici's headers timeout is ETIMEDOUT", coded('UND_ERR_HEADERS_TIMEOUT'), 'ETIMEDOUT'],
    ["undici's body timeout is ETIMEDOUT", coded('UND_ERR_BODY_TIMEOUT'), 'ETIMEDOUT'],
    ["undici's 'other side closed' is SOCKET_CLOSED", coded('UND_ERR_SOCKET', 'other side closed'), 'SOCKET_CLOSED'],
    ['a socket error with a coded cause takes the cause', coded('UND_ERR_SOCKET', 'closed', { cause: coded('ECONNRESET') }), 'ECONNRESET'],
    ['a parser error with an HPE code is HTTP_PARSE', named('HTTPParserError', 'bad', { code: 'HPE_INVALID_CONSTANT' }), 'HTTP_PARSE'],
    ['a parser error without a code is HTTP_PARSE', named('HTTPParserError', 'Expected HTTP/'), 'HTTP_PARSE'],
    ['a bare HPE code is HTTP_PARSE', coded('HPE_INVALID_STATUS'), 'HTTP_PARSE'],
    ['a content-length mismatch is HTTP_PARSE', coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 'HTTP_PARSE'],
    ['an unknown undici code is UNKNOWN', coded('UND_ERR_DESTROYED'), 'UNKNOWN'],
    ['a code that is not a system code is UNKNOWN', coded('weird code'), 'UNKNOWN'],
    ['an error without a code is UNKNOWN', new Error('boom'), 'UNKNOWN'],
    ['a thrown string is UNKNOWN', 'boom', 'UNKNOWN'],
    ['undefined is UNKNOWN', undefined, 'UNKNOWN'],
    ['an AggregateError takes its first error', new AggregateError([coded('ECONNREFUSED'), coded('ENETUNREACH')], 'all failed'), 'ECONNREFUSED'],
    ['a cause code is used when the error has none', Object.assign(new Error('wrapped'), { cause: coded('EPIPE') }), 'EPIPE'],
  ])('%s', (_name, err, code) => {
    expect(classifyError(err).errorCode).toBe(code);
  });

  it('keeps the message, and the undici or parser code, in the detail', () => {
    expect(classifyError(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))).toEqual({ errorCode: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(classifyError(coded('UND_ERR_DESTROYED', 'The client is destroyed')).detail).toBe('UND_ERR_DESTROYED: The client is destroyed');
    expect(classifyError(named('HTTPParserError', 'bad', { code: 'HPE_INVALID_CONSTANT' })).detail).toBe('HPE_INVALID_CONSTANT: bad');
  });
});

describe('oneLine', () => {
  it('folds whitespace and bounds the length', () => {
    expect(oneLine('  a\n\tb  \r\n c ')).toBe('a b c');
    expect(oneLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(oneLine('x'.repeat(10), 10)).toBe('x'.repeat(10));
    expect(oneLine('connect ECONNREFUSED 10.0.0.1:6443, while connecting')).toBe('connect ECONNREFUSED 10.0.0.1:6443, while connecting');
    for (const text of [' a', 'a ', 'a  b', 'a\tb', 'a\nb', 'a\u00a0b']) expect(oneLine(text)).toBe(text.replace(/\s+/g, ' ').trim());
  });
});
