/**
 * StartBudget: how many due probes one turn of the event loop may start, adapted to how late the
 * loop's own timer fires. That lateness is the event-loop delay: the time the turn spent on the
 * last batch of starts (the connect system calls run right after it, in process.nextTick), on
 * probe results, renders and reconcile slices, before the loop's timer could run again.
 *
 * Why: starting a probe costs about 60 µs on a fast host and about 3 ms in the TCG guest of
 * bench/metrics-scrape. A fixed batch of 32 made turns of 100-500 ms there once the loop was
 * saturated (every server failing or rising at once), and a /metrics request needs two turns
 * (accept, then read) before it is rendered: scrapes took up to 2 s. A fast machine never comes
 * near the target and keeps the whole batch; a slow or overloaded one starts fewer per turn, so
 * the turns between batches stay short. Probes start no slower in total: a saturated loop is
 * late for them either way, and the longest overdue still go first.
 *
 * Contract (additive increase, multiplicative decrease, as TCP's window): `size` starts at
 * MAX_STARTS_PER_TURN; `late(ms)` halves it (never below MIN_STARTS_PER_TURN) when the timer
 * fired more than TARGET_LATENESS_MS late, and otherwise raises it by one (never above
 * MAX_STARTS_PER_TURN). Under a fake clock that does not move, timers are never late and the
 * batch is always the most.
 */

/** Most probes started in one turn, however fast the machine. */
export const MAX_STARTS_PER_TURN = 32;

/**
 * Fewest probes a turn with due probes starts, however late the loop runs. Every turn scans all
 * real servers for the due ones; started one or two at a time (the first version went down to
 * one), a saturated loop spent more on those scans than on probing, fell further behind, and
 * stayed there: in the guest, 1,000 servers probed every 5 s took 122-131 % CPU instead of 54 %.
 */
export const MIN_STARTS_PER_TURN = 8;

/** The event-loop delay the budget aims under: short next to a scrape's and a probe's timeout. */
export const TARGET_LATENESS_MS = 20;

export class StartBudget {
  #size = MAX_STARTS_PER_TURN;

  /** size is how many probes the current turn may start. */
  get size(): number {
    return this.#size;
  }

  /** late reports how many milliseconds after its due time the loop's timer fired. */
  late(ms: number): void {
    if (ms > TARGET_LATENESS_MS) this.#size = Math.max(MIN_STARTS_PER_TURN, this.#size >> 1);
    else if (this.#size < MAX_STARTS_PER_TURN) this.#size++;
  }
}
