/**
 * fetchStatus asks a running daemon for GET /status (status-report.ts) over node:http, the way
 * `lvscare status` learns health. One overall deadline covers connect, request and body: a
 * stopped daemon (SIGSTOP) still has its socket accepted by the kernel but never answers, and
 * must cost the caller `timeoutMs`, not forever. Rejects with an Error saying what went wrong.
 */
import { get } from 'node:http';
import type { ListenAddress } from '../cli/config-types.js';
import { parseStatusReport, type StatusReport } from './status-report.js';

/** A status document is a few hundred bytes per real server; anything past this is not ours. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function fetchStatus(address: ListenAddress, timeoutMs: number): Promise<StatusReport> {
  return new Promise((resolve, reject) => {
    const req = get({ host: connectHost(address.host), port: address.port, path: '/status', headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return fail(new Error(`GET /status answered HTTP ${res.statusCode}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(new Error(`GET /status answered more than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        try {
          done(parseStatusReport(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        } catch (err) {
          fail(new Error(`GET /status answered an unexpected document: ${err instanceof Error ? err.message : String(err)}`));
        }
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', fail);
    function done(report: StatusReport): void {
      clearTimeout(timer);
      resolve(report);
    }
    function fail(err: Error): void {
      clearTimeout(timer);
      req.destroy();
      reject(err);
    }
  });
}

/** connectHost turns a listen host into one to connect to: every address means the loopback. */
export function connectHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}
