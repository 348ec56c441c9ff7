/**
 * ClientLoad: a client on the node opening a new connection to the VIP every `everyMs`, as the
 * kubelet and kube-proxy do towards the apiserver VIP. Each connection sends `GET /name` and
 * succeeds when a backend's name comes back within `timeoutMs`; a refused, reset or silent
 * connection fails. Every attempt is kept, with when it started, so a trial can count the
 * failures that fall in its window.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Attempt {
  /** performance.now() when the connect started. */
  readonly at: number;
  readonly ms: number;
  /** The backend that answered (`rs<k>`), or undefined when the attempt failed. */
  readonly rs: string | undefined;
  readonly error: string | undefined;
}

export class ClientLoad {
  readonly attempts: Attempt[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Start times of the attempts not settled yet. */
  readonly #pending = new Set<number>();

  constructor(private readonly host: string, private readonly port: number, private readonly everyMs = 10, private readonly timeoutMs = 2000) {}

  start(): void {
    this.#timer ??= setInterval(() => this.#once(), this.everyMs);
  }

  /** stop stops opening connections and resolves once the last one has settled. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    while (this.#pending.size > 0) await new Promise((done) => setTimeout(done, 20));
  }

  /** failuresBetween counts the failed attempts that started in [from, to). */
  failuresBetween(from: number, to: number): { attempts: number; failed: number; errors: Record<string, number> } {
    let attempts = 0;
    let failed = 0;
    const errors: Record<string, number> = {};
    for (const a of this.attempts) {
      if (a.at < from || a.at >= to) continue;
      attempts++;
      if (a.rs !== undefined) continue;
      failed++;
      const key = a.error ?? 'unknown';
      errors[key] = (errors[key] ?? 0) + 1;
    }
    return { attempts, failed, errors };
  }

  /** forget drops attempts that started before `before` (a long run would otherwise keep them all). */
  forget(before: number): void {
    const kept = this.attempts.filter((a) => a.at >= before);
    this.attempts.splice(0, this.attempts.length, ...kept);
  }

  /** settle resolves once every attempt started so far has settled (a failing one takes up to its timeout). */
  async settle(): Promise<void> {
    const since = performance.now();
    while ([...this.#pending].some((at) => at <= since)) await new Promise((done) => setTimeout(done, 20));
  }

  #once(): void {
    let at = performance.now();
    while (this.#pending.has(at)) at += 1e-6; // keys must differ; a nanosecond changes no count
    this.#pending.add(at);
    let data = '';
    let settled = false;
    const socket = connect({ host: this.host, port: this.port });
    const finish = (error: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const name = error === undefined ? /\r\n\r\n(rs\d+)\n/.exec(data)?.[1] : undefined;
      this.attempts.push({ at, ms: performance.now() - at, rs: name, error: name === undefined ? (error ?? 'no backend name in the answer') : undefined });
      this.#pending.delete(at);
    };
    const timer = setTimeout(() => finish('timeout'), this.timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write('GET /name HTTP/1.0\r\n\r\n'));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.once('end', () => finish(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
  }
}
