// Probe-on-close: the loop holds each server's last successful probe connection, and a server
// that ends it is probed at once, at most once an interval; a server that closes idle connections
// itself is let go; nothing stays open once the loop stops.
import { describe, expect, it } from 'vitest';
import { careConfig, INTERVAL, LoopHarness, RS1, RS2 } from './harness.js';

const T2 = `${RS2}:6443`;
/** RS2's first probe: the start of the loop plus its place in the spread (5 s / 3 servers). */
const FIRST_PROBE = 1_666;

describe('probe-on-close', () => {
  it('probes a server at once when it closes the held connection, and quiesces it on that failure', async () => {
    const h = new LoopHarness();
    h.prober.script(T2, (call) => (call === 0 ? 'ok' : 'refused'));
    await h.start();
    await h.runFor(2_000);
    expect(h.prober.openHeld(T2)).toHaveLength(1);

    h.prober.peerClose(T2); // the backend process died: its kernel closed our connection
    await h.clock.settle();
    expect(h.prober.startTimes(T2).map((t) => t - h.startedAt)).toEqual([FIRST_PROBE, 2_000]);
    expect(h.statusOf(RS2)).toBe('quiescing');
    const change = h.logs.matching('real server state changed').find((l) => l['to'] === 'quiescing');
    expect(change?.['trigger']).toBe('the server closed the held connection');
    expect(h.ipvs.weights(h.vs)?.[RS2]).toBe(0);
    await h.stop();
  });

  it('probes again right after a probe during which the server closed the held connection', async () => {
    const h = new LoopHarness();
    // The second probe starts while the server dies: its old connection closes mid-probe, and the
    // probe itself still succeeds (it connected just before). The third must not wait an interval.
    h.prober.script(T2, (call) => {
      if (call === 1) h.prober.peerClose(T2);
      return call <= 1 ? 'ok' : 'refused';
    });
    await h.start();
    await h.runFor(FIRST_PROBE + INTERVAL);
    await h.clock.settle();
    expect(h.prober.startTimes(T2).map((t) => t - h.startedAt)).toEqual([FIRST_PROBE, FIRST_PROBE + INTERVAL, FIRST_PROBE + INTERVAL]);
    expect(h.statusOf(RS2)).toBe('quiescing');
    await h.stop();
  });

  it('does not probe again after a failed probe during which the server closed the held connection', async () => {
    const h = new LoopHarness();
    h.prober.script(T2, (call) => {
      if (call === 1) h.prober.peerClose(T2);
      return call === 0 ? 'ok' : 'refused';
    });
    await h.start();
    await h.runFor(FIRST_PROBE + INTERVAL + 500);
    // The failure is known already: the next probe is the fast one, not an immediate one.
    expect(h.prober.startTimes(T2).map((t) => t - h.startedAt)).toEqual([FIRST_PROBE, FIRST_PROBE + INTERVAL]);
    await h.stop();
  });

  it('holds one connection per server: a success replaces it, a failure releases it, stopping releases all', async () => {
    const h = new LoopHarness();
    h.prober.script(T2, (call) => (call === 2 ? 'refused' : 'ok'));
    await h.start();
    await h.runFor(INTERVAL * 2); // RS2 probed twice, both fine
    expect(h.prober.held.filter((c) => c.target === T2)).toHaveLength(2);
    expect(h.prober.openHeld(T2)).toHaveLength(1);
    await h.runFor(2_000); // the third fails (at 11.666 s; the next, a fast one, comes at 12.666 s)
    expect(h.statusOf(RS2)).toBe('quiescing');
    expect(h.prober.openHeld(T2)).toHaveLength(0);
    expect(h.prober.openHeld(`${RS1}:6443`)).toHaveLength(1);
    await h.stop();
    expect(h.prober.held.filter((c) => c.open)).toEqual([]);
  });

  it('probes early at most twice an interval', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(2_000);
    for (const _ of [1, 2, 3]) {
      h.prober.peerClose(T2);
      await h.clock.settle();
      await h.runFor(100);
    }
    // The third close, 200 ms after the first, finds the budget spent.
    expect(h.prober.startTimes(T2).map((t) => t - h.startedAt)).toEqual([FIRST_PROBE, 2_000, 2_100]);
    await h.runFor(INTERVAL);
    // The regular schedule goes on from the last early probe.
    expect(h.prober.startTimes(T2).map((t) => t - h.startedAt)).toEqual([FIRST_PROBE, 2_000, 2_100, 2_100 + INTERVAL]);
    await h.stop();
  });

  it('catches a dying server whose listener still accepted the first early probe', async () => {
    const h = new LoopHarness();
    // The process is exiting: the close of the held connection comes first, the early probe still
    // connects (a TCP check passes), then that connection closes too and the listener is gone.
    h.prober.script(T2, (call) => (call <= 1 ? 'ok' : 'refused'));
    await h.start();
    await h.runFor(2_000);
    h.prober.peerClose(T2);
    await h.clock.settle();
    await h.runFor(20);
    h.prober.peerClose(T2);
    await h.clock.settle();
    expect(h.prober.startTimes(T2).map((t) => t - h.startedAt)).toEqual([FIRST_PROBE, 2_000, 2_020]);
    expect(h.statusOf(RS2)).toBe('quiescing');
    await h.stop();
  });

  it('lets go of a server that closes idle connections itself: two early probes in a row that succeed', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(2_000);
    h.prober.peerClose(T2);
    await h.clock.settle();
    await h.runFor(INTERVAL + 500);
    h.prober.peerClose(T2);
    await h.clock.settle();
    expect(h.prober.calls(T2)).toBe(4); // first, early, regular, early
    expect(h.prober.openHeld(T2)).toHaveLength(0);
    expect(h.logs.matching('closes idle connections itself')).toHaveLength(1);
    const heldBefore = h.prober.held.filter((c) => c.target === T2).length;
    await h.runFor(INTERVAL * 2);
    expect(h.prober.calls(T2)).toBe(6); // still probed on its interval...
    expect(h.prober.held.filter((c) => c.target === T2)).toHaveLength(heldBefore); // ...but never held again
    await h.stop();
  });

  it('keeps holding a server that is restarted now and then: passing early probes far apart', async () => {
    const h = new LoopHarness();
    await h.start();
    await h.runFor(2_000);
    for (const _ of [1, 2, 3]) {
      h.prober.peerClose(T2); // a restart: the old process closes, the new one answers at once
      await h.clock.settle();
      await h.runFor(INTERVAL * 4);
    }
    expect(h.prober.openHeld(T2)).toHaveLength(1);
    expect(h.logs.matching('closes idle connections itself')).toEqual([]);
    await h.stop();
  });

  it('holds nothing with --health-probe-on-close=false', async () => {
    const h = new LoopHarness(careConfig(['--health-probe-on-close=false']));
    await h.start();
    await h.runFor(INTERVAL * 2);
    expect(h.prober.held).toEqual([]);
    await h.stop();
  });
});
