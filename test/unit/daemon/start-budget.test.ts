import { describe, expect, it } from 'vitest';
import { MAX_STARTS_PER_TURN, MIN_STARTS_PER_TURN, StartBudget, TARGET_LATENESS_MS } from '../../../src/daemon/start-budget.js';

describe('StartBudget', () => {
  it('starts at the most a turn may start', () => {
    expect(new StartBudget().size).toBe(MAX_STARTS_PER_TURN);
  });

  it('halves when the timer fires later than the target, never below the least', () => {
    const budget = new StartBudget();
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      budget.late(TARGET_LATENESS_MS + 1);
      sizes.push(budget.size);
    }
    expect(sizes).toEqual([16, 8, 8, 8]);
    expect(MIN_STARTS_PER_TURN).toBe(8);
  });

  it('grows by one a turn on time, up to the most', () => {
    const budget = new StartBudget();
    budget.late(500);
    budget.late(500);
    expect(budget.size).toBe(MIN_STARTS_PER_TURN);
    budget.late(TARGET_LATENESS_MS); // at the target is on time
    budget.late(0);
    expect(budget.size).toBe(MIN_STARTS_PER_TURN + 2);
    for (let i = 0; i < 100; i++) budget.late(1);
    expect(budget.size).toBe(MAX_STARTS_PER_TURN);
  });
});
