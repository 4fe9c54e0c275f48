import type { DrainResult } from '../outbox/outbox-drainer';

/**
 * The page loop's writes, in the background: tasks run one at a time in page order (writes stay in
 * order), while the loop goes on reading and persisting up to `depth` pages ahead of them. Under a
 * rate limit the writes are paced by the budget, and the loop keeps processing instead of waiting for
 * every page's writes in turn. The first failure (a rate limit beyond the longest wait, expired
 * credentials) stops the queue: the tasks behind it are released (their rows due again at once, for
 * the next run) and the error is rethrown to the loop once, which ends the run as before.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private stopped = false;
  private failure: { error: unknown } | undefined;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly depth: number,
    private readonly onWritten: (result: DrainResult) => void,
  ) {
    if (!(depth >= 1)) throw new RangeError(`queue depth must be at least 1, got ${depth}`);
  }

  async start(task: () => Promise<DrainResult>, release: () => Promise<void>): Promise<void> {
    this.rethrow();
    while (this.queued >= this.depth) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.rethrow();
    }
    this.queued += 1;
    this.tail = this.tail.then(async () => {
      try {
        if (this.stopped) await release();
        else this.onWritten(await task());
      } catch (error: unknown) {
        if (!this.stopped) this.failure = { error };
        this.stopped = true;
      } finally {
        this.queued -= 1;
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
      }
    });
  }

  /** Waits for every queued task; rethrows the failure once. */
  async settle(): Promise<void> {
    await this.tail;
    this.rethrow();
  }

  private rethrow(): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure.error;
  }
}
