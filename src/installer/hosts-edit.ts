/**
 * Editing /etc/hosts text: pure functions from the old text to the new. Every line that is not
 * ours is kept byte for byte (comments, blank lines, other mappings, CRLF endings), and so is the
 * file's trailing-newline state: `setHostsEntries` then `removeHostsEntries` gives back the
 * original text whenever the names were not mapped before.
 *
 * Lines are read with the daemon's parser (src/vip/hosts.ts), so what is written here is what
 * `lvscare care` finds for `lvscare.node.ip`.
 */
import { parseIpAddress } from '../model/endpoint.js';
import { parseHostsLine, sameHostname, type HostsLine } from '../vip/hosts.js';

/** HostsEntry is one mapping we own: a canonical IP address and one name. */
export interface HostsEntry {
  readonly ip: string;
  readonly name: string;
}

/**
 * setHostsEntries maps each entry's name to its IP, exactly once. The first line that names it
 * is kept as is if it already maps it to that IP, rewritten in place if it maps it elsewhere
 * (a line of other names too loses only this name, and the entry follows it); later lines lose
 * the name (a line left without names goes). A name found nowhere is appended.
 */
export function setHostsEntries(text: string, entries: readonly HostsEntry[]): string {
  const doc = splitHosts(text);
  for (const entry of entries) doc.lines = setOne(doc.lines, entry, doc.cr);
  return joinHosts(doc);
}

/**
 * removeHostsEntries drops each entry's name from the lines that map it to the entry's IP (a
 * line left without names goes); a mapping of the name to another address is someone else's
 * and stays.
 */
export function removeHostsEntries(text: string, entries: readonly HostsEntry[]): string {
  const doc = splitHosts(text);
  for (const entry of entries) {
    doc.lines = doc.lines.flatMap((raw) => {
      const line = parseHostsLine(raw);
      if (!line || !names(line, entry.name) || !sameAddress(line.address, entry.ip)) return [raw];
      return withoutName(raw, line, entry.name);
    });
  }
  return joinHosts(doc);
}

interface HostsDoc {
  lines: string[];
  /** The file ended with a newline (an empty file counts as one: what we write ends with one). */
  readonly trailingNewline: boolean;
  /** `\r` when the file uses CRLF line endings: appended lines get one too. */
  readonly cr: string;
}

function splitHosts(text: string): HostsDoc {
  const trailingNewline = text === '' || text.endsWith('\n');
  const lines = text === '' ? [] : text.split('\n');
  if (trailingNewline && lines.length > 0) lines.pop();
  return { lines, trailingNewline, cr: text.includes('\r\n') ? '\r' : '' };
}

function joinHosts(doc: HostsDoc): string {
  if (doc.lines.length === 0) return '';
  return doc.lines.join('\n') + (doc.trailingNewline ? '\n' : '');
}

function setOne(lines: readonly string[], entry: HostsEntry, cr: string): string[] {
  const out: string[] = [];
  let found = false;
  for (const raw of lines) {
    const line = parseHostsLine(raw);
    if (!line || !names(line, entry.name)) out.push(raw);
    else if (found) out.push(...withoutName(raw, line, entry.name));
    else {
      found = true;
      if (sameAddress(line.address, entry.ip)) out.push(raw);
      else if (line.names.length === 1) out.push(render(entry.ip, [entry.name], line.comment, crOf(raw)));
      else out.push(...withoutName(raw, line, entry.name), render(entry.ip, [entry.name], '', crOf(raw)));
    }
  }
  if (!found) out.push(render(entry.ip, [entry.name], '', cr));
  return out;
}

/** withoutName is the line without `name`: nothing when no other name is left, else rewritten. */
function withoutName(raw: string, line: HostsLine, name: string): string[] {
  const rest = line.names.filter((n) => !sameHostname(n, name));
  return rest.length === 0 ? [] : [render(line.address, rest, line.comment, crOf(raw))];
}

function render(address: string, hostnames: readonly string[], comment: string, cr: string): string {
  return `${address} ${hostnames.join(' ')}${comment === '' ? '' : ` ${comment}`}${cr}`;
}

function names(line: HostsLine, name: string): boolean {
  return line.names.some((n) => sameHostname(n, name));
}

const crOf = (raw: string): string => (raw.endsWith('\r') ? '\r' : '');

/** sameAddress compares IPs canonically (`fd00::0:1` = `fd00::1`); other text as written. */
function sameAddress(written: string, ip: string): boolean {
  try {
    return parseIpAddress(written, 'hosts').address === ip;
  } catch {
    return written === ip;
  }
}
