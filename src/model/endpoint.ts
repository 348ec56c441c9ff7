/**
 * Endpoints as configuration writes them: `10.103.97.2:6443` or `[fd00::1]:6443`.
 *
 * Contract: parseEndpoint and parseIpAddress accept IP literals only (the Go lvscare resolves no
 * names either, and a name that resolves differently later would silently move the service), and
 * return the canonical text the kernel side uses: IPv4 dotted quad, IPv6 compressed lower-case as
 * inet_ntop prints it (`node:net`'s SocketAddress, `ipvsadm -Ln`), so equal addresses compare equal
 * as strings. Every rejection is a ConfigError naming the flag (`what`) and the text given. These
 * parsers read configuration only; addresses coming back from the kernel are decoded by the codec.
 */
import { SocketAddress, isIPv4, isIPv6 } from 'node:net';
import { ConfigError } from '../cli/errors.js';
import { destinationKey, formatHostPort, type Family } from '../ipvs/model.js';

/** Endpoint is an IP address and a TCP port; `address` is canonical (see the module comment). */
export interface Endpoint {
  readonly family: Family;
  readonly address: string;
  readonly port: number;
}

/** IpAddress is a canonical IP address with its family. */
export interface IpAddress {
  readonly family: Family;
  readonly address: string;
}

const EXAMPLE = 'expected ip:port, e.g. 10.103.97.2:6443 or [fd00::2]:6443';

/** parseEndpoint parses `ip:port` or `[ipv6]:port`; `what` names the source in errors. */
export function parseEndpoint(text: string, what: string): Endpoint {
  const fail = (problem: string): never => {
    throw new ConfigError(what, text, problem);
  };
  const { host, port } = splitHostPort(text, fail);
  const ip = parseHost(host, fail);
  return { ...ip, port: parsePort(port, fail) };
}

/** parseIpAddress parses a bare IP address (no brackets, no port), as pflag's IP flags do. */
export function parseIpAddress(text: string, what: string): IpAddress {
  const fail = (problem: string): never => {
    throw new ConfigError(what, text, problem);
  };
  if (text.includes('%')) fail('has a zone id (%…), which lvscare does not support');
  return canonicalIp(text) ?? fail('is not an IP address');
}

/** formatEndpoint renders `10.0.0.1:6443` or `[fd00::1]:6443` (what parseEndpoint reads back). */
export function formatEndpoint(ep: Endpoint): string {
  return formatHostPort(ep.family, ep.address, ep.port);
}

/** endpointKey is an identity key: equal keys mean the same address and port. */
export function endpointKey(ep: Endpoint): string {
  return destinationKey(ep);
}

type Fail = (problem: string) => never;

/** splitHostPort separates host and port, telling the usual mistakes apart. */
function splitHostPort(text: string, fail: Fail): { host: string; port: string } {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) fail(`has an unclosed [: ${EXAMPLE}`);
    const rest = text.slice(close + 1);
    if (rest === '') fail(`has no port: ${EXAMPLE}`);
    if (!rest.startsWith(':')) fail(`is not an address: ${EXAMPLE}`);
    return { host: text.slice(1, close), port: rest.slice(1) };
  }
  const colons = text.split(':').length - 1;
  if (colons > 1) fail('looks like an IPv6 address without brackets: write [address]:port');
  if (colons === 0) fail(text === '' ? `is empty: ${EXAMPLE}` : `has no port: ${EXAMPLE}`);
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at), port: text.slice(at + 1) };
}

/** parseHost checks the host part is an IP literal and canonicalises it. */
function parseHost(host: string, fail: Fail): IpAddress {
  if (host === '') fail(`has no IP address: ${EXAMPLE}`);
  if (host.includes('%')) fail('has a zone id (%…), which lvscare does not support');
  const looksNumeric = /^[\d.]+$/.test(host) || host.includes(':');
  const ip =
    canonicalIp(host) ??
    fail(looksNumeric ? 'has an invalid IP address' : 'names a host: give an IP address (names are not resolved)');
  if (ip.address === '0.0.0.0' || ip.address === '::') fail('has the unspecified address');
  return ip;
}

/** parsePort accepts a decimal 1..65535 without sign or leading zeros. */
function parsePort(port: string, fail: Fail): number {
  const n = /^[1-9]\d{0,4}$/.test(port) ? Number(port) : 0;
  if (n < 1 || n > 65535) fail('has an invalid port: expected 1..65535 without leading zeros');
  return n;
}

/**
 * canonicalIp returns the canonical form of an IPv4 or IPv6 literal, or undefined. `isIPv4`
 * rejects leading zeros (`010.0.0.1` would be octal to inet_aton); SocketAddress formats with
 * inet_ntop, so IPv4-mapped addresses keep their dotted tail (`::ffff:10.0.0.1`) as in ipvsadm.
 */
function canonicalIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { family: 4, address: text };
  if (!isIPv6(text) || text.includes('%')) return undefined;
  return { family: 6, address: new SocketAddress({ address: text, family: 'ipv6' }).address };
}
