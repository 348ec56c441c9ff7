/**
 * Teardown: what a test set up, undone in reverse order after it, whatever happened. Helpers
 * register their undo step as they create things (a namespace, a process), so a test that fails
 * halfway leaves nothing behind for the next one.
 */
export class Teardown {
  readonly #steps: Array<() => unknown> = [];

  /** add registers an undo step; steps run last-in, first-out. */
  add(step: () => unknown): void {
    this.#steps.push(step);
  }

  /** run undoes everything registered so far; every step runs even if one fails, then the first failure is thrown. */
  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
