/**
 * careDeps: everything `care()` needs, faked: the FakeClock, a FakeIpvs behind openIpvs, a FakeRtnl
 * behind openRtnl, scripted probers (one per service, kept in `probers` with the ProbeSpec each
 * was built from) and captured logs.
 */
import { parseCareArgv } from '../../../src/cli/care-command.js';
import { care, type CareDeps } from '../../../src/daemon/care.js';
import type { ProbeSpec } from '../../../src/probe/spec.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeIpvs } from '../../support/fake-ipvs.js';
import { FakeRtnl } from '../../support/fake-rtnl.js';
import { captureLogs, type CapturedLogs } from '../../support/log-capture.js';
import { ScriptedProber } from '../../support/scripted-prober.js';

export interface FakeWorld {
  readonly clock: FakeClock;
  readonly ipvs: FakeIpvs;
  readonly rtnl: FakeRtnl;
  readonly logs: CapturedLogs;
  readonly abort: AbortController;
  /** The files readText reads and writeText writes (writeText adds to it). */
  readonly files: Map<string, string>;
  /** Paths whose writeText throws EACCES. */
  readonly unwritable: Set<string>;
  readonly probers: Array<{ spec: ProbeSpec; prober: ScriptedProber }>;
  readonly deps: CareDeps;
}

export function fakeWorld(initialFiles: Readonly<Record<string, string>> = {}): FakeWorld {
  const files = new Map(Object.entries(initialFiles));
  const unwritable = new Set<string>();
  const clock = new FakeClock();
  const ipvs = new FakeIpvs(clock);
  const rtnl = new FakeRtnl();
  const logs = captureLogs('debug');
  const abort = new AbortController();
  const probers: FakeWorld['probers'] = [];
  const deps: CareDeps = {
    clock,
    log: logs.log,
    signal: abort.signal,
    openIpvs: async () => ipvs,
    openRtnl: async () => rtnl,
    createProber: (spec) => {
      const prober = new ScriptedProber(clock, spec.timeoutMs);
      probers.push({ spec, prober });
      return prober;
    },
    writeText: (path, text) => {
      if (unwritable.has(path)) throw Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' });
      files.set(path, text);
    },
    readText: (path) => {
      const text = files.get(path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
  };
  return { clock, ipvs, rtnl, logs, abort, files, unwritable, probers, deps };
}

/** runningCare starts `care` on parsed `args`; the function it returns aborts it and resolves with its exit code. */
export async function runningCare(w: FakeWorld, args: string[], env: Record<string, string> = {}): Promise<() => Promise<number>> {
  const done = care(parseCareArgv(args, env), w.deps);
  await w.clock.settle();
  return async () => {
    w.abort.abort(new Error('test stops'));
    await w.clock.settle();
    return done;
  };
}
