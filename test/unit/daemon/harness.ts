/**
 * A care loop under fake time: a real configuration (parsed from argv), the loop's own initial
 * state, a FakeClock, a FakeIpvs, one ScriptedProber per service and captured pino logs. Nothing
 * waits for real time; a test drives the clock and reads what the kernel and the logs saw.
 */
import { parseCareArgv } from '../../../src/cli/care-command.js';
import type { CareConfig } from '../../../src/cli/config-types.js';
import { initialState, serviceSpecOf, type ServiceState } from '../../../src/daemon/care-state.js';
import { runCareLoop, type LoopObserver } from '../../../src/daemon/loop.js';
import type { DestinationSpec, ServiceId, ServiceSpec } from '../../../src/ipvs/model.js';
import { captureLogs, type CapturedLogs } from '../../support/log-capture.js';
import { FakeClock } from '../../support/fake-clock.js';
import { FakeIpvs } from '../../support/fake-ipvs.js';
import { ScriptedProber } from '../../support/scripted-prober.js';

export const VIP = '10.103.97.2:6443';
/** The three real servers of the default configuration; the third has weight 2. */
export const RS = ['192.168.0.2:6443', '192.168.0.3:6443', '192.168.0.4:6443@2'] as const;
export const [RS1, RS2, RS3] = ['192.168.0.2', '192.168.0.3', '192.168.0.4'] as const;
export const INTERVAL = 5_000;
export const FAST = 1_000;
export const TIMEOUT = 2_000;

/** careConfig parses a `care` command line: the VIP, `rs`, 5 s interval, 1 s fast interval, 2 s timeout, then `extra`. */
export function careConfig(extra: readonly string[] = [], rs: readonly string[] = RS): CareConfig {
  const argv = ['--vs', VIP, ...rs.flatMap((r) => ['--rs', r]), '--mode', '', '--interval', '5s', '--health-fast-interval', '1s', '--health-timeout', '2s'];
  return parseCareArgv([...argv, ...extra], {});
}

export class LoopHarness {
  readonly clock = new FakeClock();
  readonly ipvs = new FakeIpvs(this.clock);
  readonly logs: CapturedLogs = captureLogs('debug');
  readonly probers: ScriptedProber[];
  readonly state: ServiceState[];
  readonly abort = new AbortController();
  readonly startedAt = this.clock.now();
  /** When the loop's promise settled (clock time), once it has. */
  finishedAt: number | undefined;
  /** Given to the loop at start(), when set before it. */
  observer: LoopObserver | undefined;
  private running: Promise<void> | undefined;

  constructor(readonly config: CareConfig = careConfig()) {
    this.probers = config.services.map((s) => new ScriptedProber(this.clock, s.health.timeoutMs));
    this.state = initialState(config, this.clock.now());
  }

  get prober(): ScriptedProber {
    return this.probers[0]!;
  }

  /** vs is the kernel id of the (first) configured service. */
  get vs(): ServiceId {
    return serviceSpecOf(this.config.services[0]!).id;
  }

  get vsSpec(): ServiceSpec {
    return serviceSpecOf(this.config.services[0]!);
  }

  /** configuredDests are the (first) service's real servers as lvscare writes them when all are up. */
  configuredDests(): DestinationSpec[] {
    return this.state[0]!.realServers.map((rs) => rs.spec);
  }

  /** statusOf is the health status of a real server of the first service, by address. */
  statusOf(address: string): string | undefined {
    return this.state[0]!.realServers.find((rs) => rs.spec.address === address)?.health.status;
  }

  /** start runs the loop (without awaiting it) and lets its first steps happen at time 0. */
  async start(): Promise<void> {
    const { clock, ipvs, probers, logs, abort, config, observer } = this;
    this.running = runCareLoop(this.state, { clock, ipvs, probers, log: logs.log, signal: abort.signal, failClosed: config.failClosed, observer }).then(() => {
      this.finishedAt = clock.now();
    });
    await clock.settle();
  }

  /** stop aborts the loop and waits for it without moving the clock: it must return by itself. */
  async stop(): Promise<void> {
    this.abort.abort(new Error('test stops the loop'));
    await this.clock.settle();
    if (this.finishedAt === undefined) throw new Error('the loop did not return after abort without time passing');
    await this.running;
  }

  /** at converts a time relative to the start into clock time. */
  at(relativeMs: number): number {
    return this.startedAt + relativeMs;
  }

  /** elapsed is the clock time since the start. */
  elapsed(): number {
    return this.clock.now() - this.startedAt;
  }

  async runFor(ms: number): Promise<void> {
    await this.clock.advance(ms);
  }
}
