import { describe, expect, it } from 'vitest';
import {
  changedStatus,
  describeProbe,
  initialHealth,
  nextHealth,
  wantsFastInterval,
  type HealthState,
  type HealthStatus,
  type Thresholds,
} from '../../../src/reconcile/health.js';
import { fail, ok } from '../../support/builders.js';

/** run folds a probe script (`S` success, `F` failure, one per second) into states from the start state. */
function run(script: string, thresholds: Thresholds, start: HealthState = initialHealth(0)): HealthState[] {
  const states: HealthState[] = [];
  let state = start;
  [...script].forEach((step, i) => {
    const at = (i + 1) * 1000;
    state = nextHealth(state, step === 'S' ? ok(at) : fail(at), thresholds);
    states.push(state);
  });
  return states;
}

function statuses(script: string, thresholds: Thresholds): HealthStatus[] {
  return run(script, thresholds).map((s) => s.status);
}

/** tableView is what a status means for the kernel table (see desired.ts). */
function tableView(status: HealthStatus): 'full' | 'zero' | 'absent' {
  return status === 'up' ? 'full' : status === 'quiescing' ? 'zero' : 'absent';
}

function tableChanges(script: string, thresholds: Thresholds): number {
  const views = ['up' as HealthStatus, ...statuses(script, thresholds)].map(tableView);
  return views.slice(1).filter((view, i) => view !== views[i]).length;
}

describe('initialHealth', () => {
  it('starts up, unprobed, in rotation', () => {
    const state = initialHealth(1234);
    expect(state).toMatchObject({ status: 'up', consecutiveSuccesses: 0, consecutiveFailures: 0, flaps: 0, since: 1234 });
    expect(state.lastTransition).toMatchObject({ from: 'start', to: 'up', cause: 'start', at: 1234 });
    expect(state.lastProbeAt).toBeUndefined();
  });
});

describe('nextHealth with rise 2, fall 3', () => {
  const t = { rise: 2, fall: 3 };
  it.each<[string, HealthStatus[]]>([
    ['S', ['up']],
    ['SSS', ['up', 'up', 'up']],
    ['F', ['quiescing']],
    ['FF', ['quiescing', 'quiescing']],
    ['FFF', ['quiescing', 'quiescing', 'down']],
    ['FFFF', ['quiescing', 'quiescing', 'down', 'down']],
    ['FFFS', ['quiescing', 'quiescing', 'down', 'rising']],
    ['FFFSS', ['quiescing', 'quiescing', 'down', 'rising', 'up']],
    ['FFFSF', ['quiescing', 'quiescing', 'down', 'rising', 'down']],
    ['FFFSFSS', ['quiescing', 'quiescing', 'down', 'rising', 'down', 'rising', 'up']],
    ['FS', ['quiescing', 'quiescing']],
    ['FSS', ['quiescing', 'quiescing', 'up']],
    ['FSF', ['quiescing', 'quiescing', 'quiescing']],
    ['FSFF', ['quiescing', 'quiescing', 'quiescing', 'quiescing']],
    ['FSFFF', ['quiescing', 'quiescing', 'quiescing', 'quiescing', 'down']],
    ['FFSFF', ['quiescing', 'quiescing', 'quiescing', 'quiescing', 'quiescing']],
    ['SSFSSF', ['up', 'up', 'quiescing', 'quiescing', 'up', 'quiescing']],
  ])('%s → %j', (script, expected) => {
    expect(statuses(script, t)).toEqual(expected);
  });
});

describe('nextHealth with other thresholds', () => {
  it.each<[Thresholds, string, HealthStatus[]]>([
    [{ rise: 1, fall: 1 }, 'F', ['down']],
    [{ rise: 1, fall: 1 }, 'FS', ['down', 'up']],
    [{ rise: 1, fall: 1 }, 'FSFS', ['down', 'up', 'down', 'up']],
    [{ rise: 1, fall: 3 }, 'FS', ['quiescing', 'up']],
    [{ rise: 1, fall: 3 }, 'FFFS', ['quiescing', 'quiescing', 'down', 'up']],
    [{ rise: 3, fall: 2 }, 'FF', ['quiescing', 'down']],
    [{ rise: 3, fall: 2 }, 'FFSSS', ['quiescing', 'down', 'rising', 'rising', 'up']],
    [{ rise: 3, fall: 2 }, 'FFSSFSSS', ['quiescing', 'down', 'rising', 'rising', 'down', 'rising', 'rising', 'up']],
    [{ rise: 2, fall: 2 }, 'FSSFF', ['quiescing', 'quiescing', 'up', 'quiescing', 'down']],
    [{ rise: 0, fall: 0 }, 'FS', ['down', 'up']],
    [{ rise: -5, fall: 1 }, 'FS', ['down', 'up']],
  ])('%j: %s → %j', (thresholds, script, expected) => {
    expect(statuses(script, thresholds)).toEqual(expected);
  });
});

describe('nextHealth counts and transitions', () => {
  const t = { rise: 2, fall: 3 };

  it('counts consecutive successes and failures, each resetting the other', () => {
    const counts = run('SSFFSF', t).map((s) => [s.consecutiveSuccesses, s.consecutiveFailures, s.flaps]);
    expect(counts).toEqual([[1, 0, 0], [2, 0, 0], [0, 1, 0], [0, 2, 0], [1, 0, 0], [0, 1, 0]]);
  });

  it('moves since and lastTransition only when the status changes', () => {
    const [q1, q2, down] = run('FFF', t);
    expect(q1?.since).toBe(1000);
    expect(q2?.since).toBe(1000);
    expect(q2?.lastTransition).toBe(q1?.lastTransition);
    expect(q2?.lastProbeAt).toBe(2000);
    expect(down?.since).toBe(3000);
  });

  it('records the cause, the count and the probe evidence of each transition', () => {
    const states = run('FFFSS', t);
    expect(states.map((s) => s.lastTransition.cause)).toEqual(['probe-failed', 'probe-failed', 'fall-reached', 'probe-succeeded', 'rise-reached']);
    const [quiesced, , removed, rising, restored] = states;
    expect(quiesced?.lastTransition).toMatchObject({ from: 'up', to: 'quiescing', consecutive: 1, reason: 'probe failed (1 of fall 3): ECONNREFUSED after 2 ms' });
    expect(removed?.lastTransition).toMatchObject({ from: 'quiescing', to: 'down', consecutive: 3 });
    expect(removed?.lastTransition.reason).toBe('3 consecutive failed probes (fall 3), last: ECONNREFUSED after 2 ms');
    expect(rising?.lastTransition.reason).toBe('probe succeeded while down (1 of rise 2): HTTP 200 in 5 ms');
    expect(restored?.lastTransition).toMatchObject({ from: 'rising', to: 'up', consecutive: 2, at: 5000 });
    expect(restored?.lastTransition.probe).toEqual(ok(5000));
  });

  it('says a failure while rising sent the server back down', () => {
    const back = run('FFFSF', t)[4];
    expect(back?.lastTransition).toMatchObject({ from: 'rising', to: 'down', cause: 'probe-failed', reason: 'probe failed while rising: ECONNREFUSED after 2 ms' });
  });

  it('does not modify the previous state', () => {
    const prev = Object.freeze(initialHealth(0));
    const next = nextHealth(prev, fail(1000), t);
    expect(prev.status).toBe('up');
    expect(next).not.toBe(prev);
    expect(changedStatus(prev, next)).toBe(true);
    expect(changedStatus(next, nextHealth(next, fail(2000), t))).toBe(false);
  });
});

describe('flap damping', () => {
  const t = { rise: 2, fall: 3 };
  const S = (n: number): string => 'S'.repeat(n);

  it('doubles the successes needed to leave quiescing after each recent flap, up to rise × 8', () => {
    const script = `F${S(2)}F${S(4)}F${S(8)}F${S(16)}`;
    const states = run(script, t);
    const restoredAt = states.flatMap((s, i) => (s.status === 'up' ? [i] : []));
    expect(restoredAt.filter((i) => states[i - 1]?.status === 'quiescing')).toEqual([2, 7, 16, 33]);
    expect(states.map((s) => s.flaps).at(-1)).toBe(3);
  });

  it('needs rise × 2 after one flap: 3 successes are not enough', () => {
    expect(statuses(`F${S(2)}F${S(3)}`, t).at(-1)).toBe('quiescing');
    expect(statuses(`F${S(2)}F${S(4)}`, t).at(-1)).toBe('up');
  });

  it('forgives one flap per 4 × rise consecutive successes while up', () => {
    const states = run(`F${S(2)}${S(6)}F${S(2)}`, t);
    expect(states[2]?.flaps).toBe(1);
    expect(states[8]?.flaps).toBe(0);
    expect(states.at(-1)?.status).toBe('up');
  });

  it('forgives all flaps when the server goes down, and restores from down after plain rise', () => {
    const states = run(`F${S(2)}F${S(4)}FFF${S(2)}`, t);
    expect(states[7]?.flaps).toBe(2);
    expect(states[10]).toMatchObject({ status: 'down', flaps: 0 });
    expect(states.at(-1)).toMatchObject({ status: 'up', flaps: 0 });
  });

  it('says in the reason that rise was doubled', () => {
    const restored = run(`F${S(2)}F${S(4)}`, t).at(-1);
    expect(restored?.lastTransition.reason).toBe('4 consecutive successful probes (rise 2 doubled to 4 after 1 recent flap), last: HTTP 200 in 5 ms');
  });
});

describe('describeProbe', () => {
  it.each([
    [{ ok: false, at: 0, latencyMs: 12.4, statusCode: 503 }, 'HTTP 503 in 12 ms'],
    [{ ok: false, at: 0, latencyMs: 10000, errorCode: 'UND_ERR_CONNECT_TIMEOUT' }, 'UND_ERR_CONNECT_TIMEOUT after 10000 ms'],
    [{ ok: true, at: 0, latencyMs: 1 }, 'ok in 1 ms'],
    [{ ok: false, at: 0, latencyMs: 3, detail: 'no route' }, 'failed in 3 ms (no route)'],
    [{ ok: false, at: 0, latencyMs: 3, statusCode: 401, detail: 'unauthorized' }, 'HTTP 401 in 3 ms (unauthorized)'],
  ])('%j → %s', (probe, text) => {
    expect(describeProbe(probe)).toBe(text);
  });
});

describe('wantsFastInterval', () => {
  it.each<[string, boolean]>([
    ['', false],
    ['F', true],
    ['FFF', false],
    ['FFFS', true],
    ['FFFSS', false],
  ])('after %j → %s', (script, fast) => {
    const state = run(script, { rise: 2, fall: 3 }).at(-1) ?? initialHealth(0);
    expect(wantsFastInterval(state)).toBe(fast);
  });
});

describe('flapping', () => {
  it('keeps a backend that alternates pass/fail quiesced: one table change in 100 probes', () => {
    const script = 'FS'.repeat(50);
    expect(new Set(statuses(script, { rise: 2, fall: 3 }))).toEqual(new Set(['quiescing']));
    expect(tableChanges(script, { rise: 2, fall: 3 })).toBe(1);
  });

  it('settles a backend up/down every 300 ms, probed every second for 30 s, after 3 table changes', () => {
    const script = Array.from({ length: 30 }, (_, i) => (Math.floor((i * 1000) / 300) % 2 === 0 ? 'S' : 'F')).join('');
    expect(script.startsWith('SFSSFSSF')).toBe(true);
    expect(tableChanges(script, { rise: 2, fall: 3 })).toBe(3);
    expect(run(script, { rise: 2, fall: 3 }).at(-1)?.status).toBe('quiescing');
  });

  it.each<Thresholds>([
    { rise: 1, fall: 1 },
    { rise: 2, fall: 3 },
    { rise: 3, fall: 2 },
    { rise: 5, fall: 5 },
  ])('re-enters rotation at most once per rise+1 probes on any sequence (%j)', (thresholds) => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const script = Array.from({ length: 60 }, () => (random() < 0.5 ? 'S' : 'F')).join('');
      const restores = run(script, thresholds).filter((s, i, all) => s.status === 'up' && (all[i - 1] ?? initialHealth(0)).status !== 'up').length;
      expect(restores).toBeLessThanOrEqual(Math.floor(script.length / (thresholds.rise + 1)));
      expect(tableChanges(script, thresholds)).toBeLessThanOrEqual(3 * restores + 2);
    }
  });
});
