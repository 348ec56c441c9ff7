/**
 * hosts(5) as lvscare reads it: the `/etc/hosts` fallback for the route-mode node IP (sealos
 * writes `<node ip> lvscare.node.ip` there, and the Go lvscare reads it when neither `--ip` nor
 * LVSCARE_NODE_IP is set), and the line parser the installer's hosts editor shares, so the
 * entries `lvscare hosts` writes are exactly the ones the daemon finds.
 */

/** NODE_IP_HOSTNAME is the name sealos gives the node IP in /etc/hosts. */
export const NODE_IP_HOSTNAME = 'lvscare.node.ip';

/** HostsLine is one line's mapping: the address as written and its names; `comment` from `#` on. */
export interface HostsLine {
  readonly address: string;
  readonly names: readonly string[];
  readonly comment: string;
}

/**
 * parseHostsLine reads one line as glibc does: `#` starts a comment, fields are separated by
 * blanks, the first field is the address and the rest are names. Undefined for a line that maps
 * nothing (blank, comment only, or an address without names).
 */
export function parseHostsLine(raw: string): HostsLine | undefined {
  const hash = raw.indexOf('#');
  const body = hash < 0 ? raw : raw.slice(0, hash);
  const [address, ...names] = body.trim().split(/\s+/);
  if (!address || names.length === 0) return undefined;
  return { address, names, comment: hash < 0 ? '' : raw.slice(hash).replace(/\r$/, '') };
}

/** sameHostname compares names as the resolver does: case-insensitively. */
export function sameHostname(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * lookupHosts returns the address of the first line naming `name` in hosts(5) text, or
 * undefined; the first matching line wins. The address is returned as written: the caller
 * validates it.
 */
export function lookupHosts(text: string, name: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = parseHostsLine(raw);
    if (line?.names.some((n) => sameHostname(n, name))) return line.address;
  }
  return undefined;
}
