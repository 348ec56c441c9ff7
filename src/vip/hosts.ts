/**
 * The `/etc/hosts` fallback for the route-mode node IP: sealos writes `<node ip> lvscare.node.ip`
 * there, and the Go lvscare reads it when neither `--ip` nor LVSCARE_NODE_IP is set.
 */

/** NODE_IP_HOSTNAME is the name sealos gives the node IP in /etc/hosts. */
export const NODE_IP_HOSTNAME = 'lvscare.node.ip';

/**
 * lookupHosts returns the address of the first line naming `name` in hosts(5) text, or
 * undefined. As glibc reads the file: `#` starts a comment, fields are separated by blanks, the
 * first field is the address and the rest are names (matched case-insensitively); the first
 * matching line wins. The address is returned as written: the caller validates it.
 */
export function lookupHosts(text: string, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const raw of text.split('\n')) {
    const line = raw.split('#', 1)[0]!;
    const [address, ...names] = line.trim().split(/\s+/);
    if (address && names.some((n) => n.toLowerCase() === wanted)) return address;
  }
  return undefined;
}
