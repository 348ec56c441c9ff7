/**
 * CloseWatch: probe-on-close (`--health-probe-on-close`, on by default). After a successful probe
 * the loop keeps that probe's connection open, one per real server, replaced by the next
 * successful probe. A server process that exits, crashes or restarts closes its connections, so
 * when the server ends the held one, the server is probed at once instead of at its next due time:
 * a killed apiserver is quiesced within milliseconds, not up to an interval later. Nothing is ever
 * sent on a held connection, and no probe is skipped: the regular schedule stays as it is.
 *
 * A close that comes while a probe of the server is in flight (the old connection's, or the new
 * one's before the loop has it) cannot be answered by that probe, which may have connected just
 * before the server died: if that probe succeeds, the server is probed again right after it.
 *
 * Bounds: at most two early probes per real server per interval. Two, because a process that is
 * exiting closes its connections one by one and its listening socket may still accept the first
 * early probe (a TCP check then passes); that probe's own connection closes a moment later, and
 * the second early probe is refused. A server that ends held connections while healthy (an idle
 * timeout shorter than the interval, or one that closes every connection it accepts) is found
 * out by two early probes in a row that pass within three intervals, and is then no longer held:
 * holding it would only add probes. Passing early probes further apart are a healthy server
 * restarted now and then, which probe-on-close is for; a failed early probe resets the count.
 */
import type { HeldConnection, HoldRequest, ProbeResult } from '../probe/prober.js';
import type { Logger } from '../observability/logger.js';
import type { RealServerState, ServiceState } from './care-state.js';

/** Early probes that pass in a row, each within IDLE_CLOSER_WINDOW intervals of the last, before a server is taken to close idle connections itself. */
const IDLE_CLOSER_AFTER = 2;
const IDLE_CLOSER_WINDOW = 3;

/** Early probes allowed per real server per interval (see the module comment). */
const EARLY_PROBES_PER_INTERVAL = 2;

interface Watched {
  /** The connection held now, with the number of the hold request it answered. */
  held: { readonly request: number; readonly connection: HeldConnection } | undefined;
  /** Hold requests made so far; a peer close of an older one than `held` is stale. */
  requests: number;
  /** When the last early probes were asked for (clock ms), the latest EARLY_PROBES_PER_INTERVAL. */
  earlyAt: number[];
  /** The probe in flight (or next) was asked for by a peer close. */
  earlyPending: boolean;
  /** A peer close came while a probe was in flight: probe again once it is done, if it succeeded. */
  recheck: boolean;
  /** Early probes in a row that found the server healthy, each soon after the last. */
  idleCloses: number;
  /** When the last early probe that found the server healthy ended (clock ms). */
  lastPassedEarlyAt: number;
  /** The server closes idle connections itself: no longer held. */
  givenUp: boolean;
}

export interface CloseWatchDeps {
  readonly now: () => number;
  /** Makes `rs` due now and wakes the loop. */
  readonly probeNow: (rs: RealServerState) => void;
  readonly log: Logger;
  readonly describe: (rs: RealServerState) => string;
}

export class CloseWatch {
  readonly #watched = new Map<RealServerState, Watched>();

  constructor(private readonly deps: CloseWatchDeps) {}

  /** holdRequest is what to pass to the next probe of `rs`: undefined when it is not to be held. */
  holdRequest(service: ServiceState, rs: RealServerState): HoldRequest | undefined {
    if (!service.health.probeOnClose) return undefined;
    const w = this.#state(rs);
    if (w.givenUp) return undefined;
    const request = ++w.requests;
    return { onPeerClose: () => this.#peerClosed(service, rs, request) };
  }

  /**
   * probed takes a finished probe of `rs`: it keeps the probe's held connection in place of the
   * last one (or releases the last one when the probe failed), and learns from an early probe.
   * Returns whether this probe was an early one (asked for by a peer close), and whether `rs` is
   * to be probed again now (a close came during this probe, which succeeded).
   */
  probed(service: ServiceState, rs: RealServerState, result: ProbeResult): { early: boolean; again: boolean } {
    const w = this.#state(rs);
    const early = w.earlyPending;
    w.earlyPending = false;
    const again = w.recheck && result.ok;
    w.recheck = false;
    if (again) {
      result.held?.release(); // it may be the one that closed; the next probe brings a new one
      this.#release(w);
      w.earlyPending = true;
      this.deps.log.debug({ rs: this.deps.describe(rs) }, 'the server closed a held connection during a probe: probing it again');
    } else if (result.held !== undefined) {
      w.held?.connection.release();
      w.held = { request: w.requests, connection: result.held };
    } else if (!result.ok) {
      this.#release(w);
    }
    if (early) this.#learn(service, rs, w, result.ok);
    return { early, again };
  }

  /** releaseAll closes every held connection (the loop is stopping). */
  releaseAll(): void {
    for (const w of this.#watched.values()) this.#release(w);
  }

  #learn(service: ServiceState, rs: RealServerState, w: Watched, ok: boolean): void {
    if (!ok) {
      w.idleCloses = 0;
      return;
    }
    const now = this.deps.now();
    const soon = now - w.lastPassedEarlyAt <= IDLE_CLOSER_WINDOW * service.health.intervalMs;
    w.idleCloses = soon ? w.idleCloses + 1 : 1;
    w.lastPassedEarlyAt = now;
    if (w.idleCloses < IDLE_CLOSER_AFTER) return;
    w.givenUp = true;
    this.#release(w);
    this.deps.log.info({ rs: this.deps.describe(rs) }, 'the server closes idle connections itself: probe-on-close is off for it, it is probed on its interval');
  }

  #peerClosed(service: ServiceState, rs: RealServerState, request: number): void {
    const w = this.#state(rs);
    const held = w.held?.request === request;
    // The connection of the probe in flight, closed before that probe is over.
    const inFlight = rs.probing && request === w.requests;
    if (held) this.#release(w);
    else if (!inFlight) return; // released or replaced meanwhile
    const now = this.deps.now();
    if (w.earlyAt.filter((t) => now - t < service.health.intervalMs).length >= EARLY_PROBES_PER_INTERVAL) return;
    w.earlyAt = [...w.earlyAt, now].slice(-EARLY_PROBES_PER_INTERVAL);
    if (rs.probing) {
      w.recheck = true;
      return;
    }
    w.earlyPending = true;
    this.deps.log.debug({ rs: this.deps.describe(rs) }, 'the server closed the held connection: probing it now');
    this.deps.probeNow(rs);
  }

  #release(w: Watched): void {
    w.held?.connection.release();
    w.held = undefined;
  }

  #state(rs: RealServerState): Watched {
    let w = this.#watched.get(rs);
    if (w === undefined) {
      w = { held: undefined, requests: 0, earlyAt: [], earlyPending: false, recheck: false, idleCloses: 0, lastPassedEarlyAt: Number.NEGATIVE_INFINITY, givenUp: false };
      this.#watched.set(rs, w);
    }
    return w;
  }
}
