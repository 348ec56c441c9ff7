// A reconcile's requests never wait for I/O (netlink answers inside sendto), so the loop cuts them
// into slices: pause() passes at once while the slice is young, waits one timer turn once it has
// run SLICE_MS, and never holds a stopping loop.
import { describe, expect, it } from 'vitest';
import { SLICE_MS, TurnSlicer } from '../../../src/daemon/turn-slicer.js';
import { FakeClock } from '../../support/fake-clock.js';

/** settled tells whether `p` has settled after the microtasks and turns that need no clock time. */
async function settled(clock: FakeClock, p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await clock.settle();
  return done;
}

describe('TurnSlicer', () => {
  it('passes at once within a slice', async () => {
    const clock = new FakeClock();
    const slicer = new TurnSlicer(clock, new AbortController().signal);
    slicer.begin();
    await clock.advance(SLICE_MS - 1);
    expect(await settled(clock, slicer.pause())).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('waits for a timer turn once the slice has run its time, then starts a new slice', async () => {
    const clock = new FakeClock();
    const slicer = new TurnSlicer(clock, new AbortController().signal);
    slicer.begin();
    await clock.advance(SLICE_MS);
    const paused = slicer.pause();
    expect(await settled(clock, paused)).toBe(false);
    await clock.advance(0); // the timer turn
    await paused;
    expect(await settled(clock, slicer.pause())).toBe(true);
  });

  it('lets a pause end at once when the loop stops, and does not pause a stopped loop', async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const slicer = new TurnSlicer(clock, stop.signal);
    slicer.begin();
    await clock.advance(SLICE_MS);
    const paused = slicer.pause();
    stop.abort();
    expect(await settled(clock, paused)).toBe(true);
    expect(clock.pending).toBe(0);
    await clock.advance(SLICE_MS);
    expect(await settled(clock, slicer.pause())).toBe(true);
  });
});
