/**
 * ScriptedProber: a Prober whose answer for each target is scripted over time, on a fake clock.
 *
 * Behaviours: `ok` (HTTP 200), `refused` (ECONNREFUSED), `timeout` (answers ETIMEDOUT after its
 * timeout, as a well-behaved prober does), `hang` (never answers until the caller aborts: a broken
 * prober), `reject` (breaks the never-reject contract). A script is a constant or a function of
 * the call number (0-based, per target) and the clock time. Aborted probes answer `ABORTED`.
 * It counts calls per target and the most probes in flight at once, overall and per target.
 * Given a HoldRequest, a successful probe hands over a FakeHeldConnection; `peerClose(target)`
 * plays the server ending the latest one still open.
 */
import type { Clock } from '../../src/daemon/clock.js';
import type { HeldConnection, HoldRequest, ProbeOutcome, ProbeResult, ProbeTarget, Prober } from '../../src/probe/prober.js';
import { formatHostPort } from '../../src/ipvs/model.js';

export type Behaviour = 'ok' | 'refused' | 'timeout' | 'hang' | 'reject';

/** FakeHeldConnection is a held connection that only records what happened to it. */
export class FakeHeldConnection implements HeldConnection {
  released = false;
  peerClosed = false;

  constructor(readonly target: string, private readonly hold: HoldRequest) {}

  get open(): boolean {
    return !this.released && !this.peerClosed;
  }

  release(): void {
    this.released = true;
  }

  /** closeByPeer plays the server ending the connection: onPeerClose, unless it was released. */
  closeByPeer(): void {
    if (!this.open) return;
    this.peerClosed = true;
    this.hold.onPeerClose();
  }
}
export type Script = Behaviour | ((call: number, now: number) => Behaviour);

export class ScriptedProber implements Prober {
  /** Every probe started: target (`ip:port`) and clock time, in order. */
  readonly started: Array<{ target: string; at: number }> = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Probes that ended because the caller aborted them. */
  aborted = 0;
  closed = false;
  /** Every connection handed over, in order. */
  readonly held: FakeHeldConnection[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly perTarget = new Map<string, number>();
  private readonly maxPerTarget = new Map<string, number>();

  constructor(private readonly clock: Clock, private readonly timeoutMs = 1_000, private fallback: Script = 'ok') {}

  /** script sets how `target` (`ip:port`, or `*` for every target without a script) answers from now on. */
  script(target: string, script: Script): this {
    if (target === '*') this.fallback = script;
    else this.scripts.set(target, script);
    return this;
  }

  /** calls counts the probes started for `target`. */
  calls(target: string): number {
    return this.started.filter((s) => s.target === target).length;
  }

  /** startTimes lists when probes of `target` started. */
  startTimes(target: string): number[] {
    return this.started.filter((s) => s.target === target).map((s) => s.at);
  }

  /** maxConcurrent is the most probes of `target` seen in flight at once. */
  maxConcurrent(target: string): number {
    return this.maxPerTarget.get(target) ?? 0;
  }

  async probe(target: ProbeTarget, signal: AbortSignal, hold?: HoldRequest): Promise<ProbeResult> {
    const name = formatHostPort(target.family, target.address, target.port);
    const call = this.calls(name);
    this.started.push({ target: name, at: this.clock.now() });
    const script = this.scripts.get(name) ?? this.fallback;
    const behaviour = typeof script === 'function' ? script(call, this.clock.now()) : script;
    this.enter(name);
    try {
      const outcome = await this.answer(behaviour, signal);
      if (!outcome.ok || hold === undefined) return outcome;
      const held = new FakeHeldConnection(name, hold);
      this.held.push(held);
      return { ...outcome, held };
    } finally {
      this.leave(name);
    }
  }

  /** openHeld lists the held connections of `target` still open (neither released nor closed by the peer). */
  openHeld(target: string): FakeHeldConnection[] {
    return this.held.filter((h) => h.target === target && h.open);
  }

  /** peerClose plays `target`'s server ending every connection of it still open. */
  peerClose(target: string): void {
    for (const h of this.openHeld(target)) h.closeByPeer();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async answer(behaviour: Behaviour, signal: AbortSignal): Promise<ProbeOutcome> {
    const at = this.clock.now();
    switch (behaviour) {
      case 'ok':
        return { ok: true, at, latencyMs: 1, statusCode: 200 };
      case 'refused':
        return { ok: false, at, latencyMs: 1, errorCode: 'ECONNREFUSED' };
      case 'reject':
        throw new Error('prober bug: rejected');
      case 'timeout':
        return this.clock.sleep(this.timeoutMs, signal).then(
          () => ({ ok: false, at, latencyMs: this.timeoutMs, errorCode: 'ETIMEDOUT' }),
          () => this.abortedOutcome(at),
        );
      case 'hang':
        return new Promise((resolve) => {
          const onAbort = (): void => resolve(this.abortedOutcome(at));
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        });
    }
  }

  private abortedOutcome(at: number): ProbeOutcome {
    this.aborted++;
    return { ok: false, at, latencyMs: this.clock.now() - at, errorCode: 'ABORTED' };
  }

  private enter(name: string): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const n = (this.perTarget.get(name) ?? 0) + 1;
    this.perTarget.set(name, n);
    this.maxPerTarget.set(name, Math.max(n, this.maxPerTarget.get(name) ?? 0));
  }

  private leave(name: string): void {
    this.inFlight--;
    this.perTarget.set(name, (this.perTarget.get(name) ?? 1) - 1);
  }
}
