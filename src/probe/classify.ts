/**
 * classifyError turns whatever a socket, TLS or undici failure threw into a stable probe error
 * code and a one-line detail. Codes Node already gives (errnos, OpenSSL verification and
 * handshake codes) pass through unchanged; undici's own codes are folded into the few lvscare
 * defines (see PROBE_ERROR_CODES), so callers never depend on the HTTP client library.
 */
import { PROBE_ERROR_CODES as CODES } from './prober.js';

/** Failure is the errorCode/detail half of a failed probe outcome. */
export interface Failure {
  readonly errorCode: string;
  readonly detail: string;
}

/** UNDICI_CODES maps undici's codes onto lvscare's; unlisted UND_ERR_* codes become UNKNOWN. */
const UNDICI_CODES: ReadonlyMap<string, string> = new Map([
  // Only fires if undici's own timers are enabled; the prober disables them and keeps one deadline.
  ['UND_ERR_CONNECT_TIMEOUT', CODES.ETIMEDOUT],
  ['UND_ERR_HEADERS_TIMEOUT', CODES.ETIMEDOUT],
  ['UND_ERR_BODY_TIMEOUT', CODES.ETIMEDOUT],
  // "other side closed": the peer sent FIN before the response was complete.
  ['UND_ERR_SOCKET', CODES.SOCKET_CLOSED],
  ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', CODES.HTTP_PARSE],
  ['UND_ERR_HEADERS_OVERFLOW', CODES.HTTP_PARSE],
]);

/** A code Node or OpenSSL assigns: upper case, digits and underscores (ECONNREFUSED, ERR_SSL_…). */
const SYSTEM_CODE = /^[A-Z][A-Z0-9_]*$/;

const MAX_DETAIL = 300;

/** classifyError never throws; an unrecognisable value becomes UNKNOWN with its text as detail. */
export function classifyError(err: unknown): Failure {
  const code = codeOf(err);
  const detail = oneLine(messageOf(err));
  // undici's HTTPParserError carries an HPE_* code only for some parser states.
  if (err instanceof Error && err.name === 'HTTPParserError') return { errorCode: CODES.HTTP_PARSE, detail: code === undefined ? detail : `${code}: ${detail}` };
  if (code === undefined) return { errorCode: CODES.UNKNOWN, detail };
  if (code.startsWith('HPE_')) return { errorCode: CODES.HTTP_PARSE, detail: `${code}: ${detail}` };
  const mapped = UNDICI_CODES.get(code);
  if (mapped !== undefined) return { errorCode: mapped, detail };
  if (code.startsWith('UND_ERR_') || !SYSTEM_CODE.test(code)) return { errorCode: CODES.UNKNOWN, detail: `${code}: ${detail}` };
  return { errorCode: code, detail };
}

/**
 * codeOf finds the most specific code: the error's own, else that of its cause (undici wraps some
 * socket errors), else that of the first error of an AggregateError (Node's happy-eyeballs connect
 * reports one per address tried).
 */
function codeOf(err: unknown): string | undefined {
  const own = stringField(err, 'code');
  const cause = isObject(err) ? stringField(err.cause, 'code') : undefined;
  if (own === 'UND_ERR_SOCKET' && cause !== undefined) return cause;
  if (own !== undefined) return own;
  if (err instanceof AggregateError) return codeOf(err.errors[0]);
  return cause;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Text that oneLine must flatten: a run of spaces, any other white space, or white space at an end. */
const NOT_FLAT = /\s\s|[^\S ]|^\s|\s$/;

/**
 * oneLine keeps details log-friendly: no line breaks, bounded length. Every failed probe passes
 * its detail through it twice, and most details are flat already: those skip the replace.
 */
export function oneLine(text: string, max = MAX_DETAIL): string {
  const flat = NOT_FLAT.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringField(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' && field !== '' ? field : undefined;
}
