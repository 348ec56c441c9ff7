import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline } from '../../../src/probe/deadline.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Deadline', () => {
  it('calls onStop once, with the first cause, and a later cause changes nothing', () => {
    const caller = new AbortController();
    const deadline = new Deadline(500, caller.signal);
    const stopped = vi.fn();
    deadline.onStop(stopped);
    vi.advanceTimersByTime(500);
    caller.abort();
    deadline.stop('closed');
    expect(deadline.cause).toBe('timeout');
    expect(stopped).toHaveBeenCalledTimes(1);
    expect(stopped.mock.calls[0]![0]).toBeInstanceOf(Error);
    deadline.dispose();
  });

  it('the caller aborting is `aborted`; onStop set after the stop is called at once', () => {
    const caller = new AbortController();
    const deadline = new Deadline(500, caller.signal);
    caller.abort();
    const stopped = vi.fn();
    deadline.onStop(stopped);
    expect(deadline.cause).toBe('aborted');
    expect(stopped).toHaveBeenCalledTimes(1);
    deadline.dispose();
  });

  it('an already aborted caller stops it at construction', () => {
    const caller = new AbortController();
    caller.abort();
    const deadline = new Deadline(500, caller.signal);
    expect(deadline.cause).toBe('aborted');
    deadline.dispose();
  });

  it('signal, made on first use, aborts at the stop, or at once when read after it', () => {
    const early = new Deadline(500, new AbortController().signal);
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.stop('closed');
    expect(signal.aborted).toBe(true);
    early.dispose();

    const late = new Deadline(500, new AbortController().signal);
    late.stop('timeout');
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBeInstanceOf(Error);
    late.dispose();
  });

  it('dispose clears the timer and its listener on the caller; a stop after it does nothing', () => {
    const caller = new AbortController();
    const deadline = new Deadline(500, caller.signal);
    const stopped = vi.fn();
    deadline.onStop(stopped);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    deadline.dispose();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    caller.abort();
    deadline.stop('closed');
    expect(deadline.cause).toBeUndefined();
    expect(stopped).not.toHaveBeenCalled();
  });

  it('onStop(undefined) takes the callback off', () => {
    const deadline = new Deadline(500, new AbortController().signal);
    const stopped = vi.fn();
    deadline.onStop(stopped);
    deadline.onStop(undefined);
    deadline.stop('closed');
    expect(stopped).not.toHaveBeenCalled();
    deadline.dispose();
  });
});
