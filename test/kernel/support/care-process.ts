/**
 * `lvscare care` as a real process in a test's node namespace: `ip netns exec <ns> node
 * dist/src/bin.js care ...` (ip execs node, so the child's pid is lvscare's own and signals reach
 * it directly). Its stdout (pino JSON, one object a line) is collected from the pipe and parsed;
 * tests wait for log lines rather than for time.
 *
 * The tests run the built program (dist/), as a node would: build it first
 * (`npx tsc -p tsconfig.build.json`).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { onTestFailed } from 'vitest';
import { fileURLToPath } from 'node:url';
import { favour, pressure } from './guest.js';
import type { TestNetns } from './netns.js';
import type { Teardown } from './teardown.js';

export const LVSCARE_BIN = fileURLToPath(new URL('../../../dist/src/bin.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Loading lvscare (undici, yargs, pino) takes tens of seconds under qemu on a busy host. */
export const CARE_START_TIMEOUT_MS = 180_000;

/**
 * A care test's time limit: each starts node processes (lvscare, backends) that take seconds
 * under qemu TCG and can take a minute when the host is busy; waits inside have their own deadlines.
 */
export const CARE_TEST_TIMEOUT_MS = 300_000;

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/** The text an IPVS write is logged with (describeOperation). */
const OP_TEXT = /^(add|update|delete)-(service|destination) /;

/** CareLog is one JSON line lvscare printed, with when the test received it (performance.now()). */
export interface CareLog {
  readonly level: number;
  readonly time: string;
  readonly msg: string;
  readonly receivedAt: number;
  readonly [key: string]: unknown;
}

/** CareExit is how the process ended, and when the test saw it end (performance.now()). */
export interface CareExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly at: number;
}

export interface WaitLogOptions {
  /** Only lines at or after this index (see `mark()`). */
  readonly since?: number;
  readonly timeoutMs?: number;
  readonly what?: string;
}

/** CareProcess is one running (or finished) `lvscare care`. */
export class CareProcess {
  readonly logs: CareLog[] = [];
  /** stdout lines that are not JSON, and everything on stderr. */
  stderr = '';
  readonly exited: Promise<CareExit>;
  readonly startedAt = performance.now();
  #exit: CareExit | undefined;
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly #listeners = new Set<() => void>();

  constructor(readonly ns: TestNetns, readonly args: readonly string[]) {
    if (!existsSync(LVSCARE_BIN)) throw new Error(`${LVSCARE_BIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
    // CARE_* variables of the test's environment must not become flags of the program under test.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CARE_')));
    this.#child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, LVSCARE_BIN, 'care', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    const lines = createInterface({ input: this.#child.stdout });
    lines.on('line', (line) => this.#onLine(line));
    const stdoutDone = new Promise<void>((resolve) => lines.once('close', () => resolve()));
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        const exit = { code, signal, at: performance.now() };
        // resolve after the last stdout line is in, so a test reading logs after exit sees them all
        void stdoutDone.then(() => {
          this.#exit = exit;
          this.#notify();
          resolve(exit);
        });
      });
    });
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** The exit, once the process has ended. */
  get exit(): CareExit | undefined {
    return this.#exit;
  }

  /** mark is the index the next log line will get: pass it as `since` to wait for what follows. */
  mark(): number {
    return this.logs.length;
  }

  /**
   * ops are the IPVS writes lvscare logged, from index `since`: the loop's lines carry an `op`
   * field; `--run-once` and `-C` log the same text without it.
   */
  ops(since = 0): CareLog[] {
    return this.logs.slice(since).filter((l) => typeof l['op'] === 'string' || (l.level === LEVEL.info && OP_TEXT.test(l.msg)));
  }

  /** lastState is the status lvscare last logged for real server `rs`, or undefined if none yet. */
  lastState(rs: string): string | undefined {
    const changes = this.logs.filter((l) => l.msg === 'real server state changed' && l['rs'] === rs);
    return changes.length === 0 ? undefined : String(changes[changes.length - 1]!['to']);
  }

  /** find returns the log lines matching `pred`, from index `since`. */
  find(pred: (line: CareLog) => boolean, since = 0): CareLog[] {
    return this.logs.slice(since).filter(pred);
  }

  /**
   * waitForLog resolves with the first line matching `pred`; it rejects on timeout, or as soon as
   * the process exits without having printed it, quoting the last lines and stderr.
   */
  waitForLog(pred: (line: CareLog) => boolean, options: WaitLogOptions = {}): Promise<CareLog> {
    const since = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      let scanned = since;
      const check = (): void => {
        for (; scanned < this.logs.length; scanned++) {
          const line = this.logs[scanned]!;
          if (pred(line)) return done(() => resolve(line));
        }
        if (this.#exit) done(() => reject(new Error(`lvscare exited (${describeExit(this.#exit!)}) before logging ${options.what ?? 'the awaited line'}\n${this.tail()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for lvscare to log ${options.what ?? 'the awaited line'}\n${this.tail()}`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        settle();
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** waitForMsg waits for a line whose message contains `text` (and matches `pred`, if given). */
  waitForMsg(text: string, options: WaitLogOptions & { pred?: (line: CareLog) => boolean } = {}): Promise<CareLog> {
    const { pred } = options;
    return this.waitForLog((l) => l.msg.includes(text) && (pred === undefined || pred(l)), { what: `"${text}"`, ...options });
  }

  /** kill sends `signal` (default SIGKILL) if the process is still running. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.#exit === undefined) this.#child.kill(signal);
  }

  /** stop SIGKILLs the process if it still runs and waits for its end. */
  async stop(): Promise<CareExit> {
    this.kill('SIGKILL');
    return this.exited;
  }

  /** tail renders the last lines and stderr, for failure messages. */
  tail(n = 15): string {
    const lines = this.logs.slice(-n).map((l) => `  ${l.msg} ${JSON.stringify(omit(l))}`);
    return [`lvscare care ${this.args.join(' ')}`, ...lines, this.stderr.trim() ? `stderr: ${this.stderr.trim()}` : ''].join('\n');
  }

  #onLine(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.stderr += `${line}\n`;
      return;
    }
    this.logs.push({ ...(parsed as Record<string, unknown>), receivedAt: performance.now() } as CareLog);
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

function omit(line: CareLog): Record<string, unknown> {
  const { level: _l, time: _t, msg: _m, receivedAt: _r, app: _a, ...rest } = line;
  return rest;
}

function describeExit(exit: CareExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** startCare starts `lvscare care args` in `ns`; teardown SIGKILLs it if it is still running. */
export function startCare(ns: TestNetns, args: readonly string[], teardown: Teardown): CareProcess {
  const care = new CareProcess(ns, args);
  teardown.add(() => care.stop());
  // A failing test shows what lvscare said: the assertion alone rarely tells why.
  onTestFailed(() => console.log(`lvscare pid ${care.pid} ${care.exit ? `(${describeExit(care.exit)})` : '(running)'}, ${pressure()}:\n${care.tail(60)}`));
  return care;
}

/** startCareReady is startCare, resolved once lvscare logged `lvscare care started`. */
export async function startCareReady(ns: TestNetns, args: readonly string[], teardown: Teardown): Promise<CareProcess> {
  const care = startCare(ns, args, teardown);
  await care.waitForMsg('lvscare care started', { timeoutMs: CARE_START_TIMEOUT_MS });
  favour(care.pid);
  return care;
}

/** runCare runs a one-shot `lvscare care` (`--run-once`, `-C`) to its end. */
export async function runCare(ns: TestNetns, args: readonly string[], teardown: Teardown): Promise<{ care: CareProcess; exit: CareExit; ms: number }> {
  const care = startCare(ns, args, teardown);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`lvscare care ${args.join(' ')} did not exit within ${CARE_START_TIMEOUT_MS} ms\n${care.tail()}`)), CARE_START_TIMEOUT_MS);
  });
  try {
    const exit = await Promise.race([care.exited, timeout]);
    return { care, exit, ms: exit.at - care.startedAt };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * careArgs: the flags every care test passes, then the test's own (a later flag wins). A 1 s
 * interval keeps the tests short; the probe timeout stays at its default, 10 s, so that a guest
 * stalled for seconds on a busy host does not fail probes of healthy backends (tests of the
 * timeout path set their own).
 */
export function careArgs(vs: string, rs: readonly string[], extra: readonly string[] = []): string[] {
  return ['--vs', vs, ...rs.flatMap((r) => ['--rs', r]), '--mode', '', '--interval', '1s', '--health-schem', 'http', ...extra];
}

/** The default probe timeout careArgs leaves in place. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
