import type { DrainResult } from '../outbox/outbox-drainer';
import { WriteQueue } from './write-queue';

const written = (n: number): DrainResult => ({ written: n, skippedUnchanged: 0, retried: 0, deadLettered: 0, batches: 1 });

function deferred() {
  let resolve!: (value: DrainResult) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<DrainResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteQueue', () => {
  it('runs tasks one at a time in order, and lets the caller run `depth` pages ahead before it waits', async () => {
    const order: string[] = [];
    const totals: number[] = [];
    const queue = new WriteQueue(2, (r) => totals.push(r.written));
    const first = deferred();
    await queue.start(
      () => (order.push('start 1'), first.promise),
      async () => undefined,
    );
    await queue.start(
      async () => (order.push('start 2'), written(2)),
      async () => undefined,
    );
    // Two queued: the third start waits until one of them finished.
    let thirdQueued = false;
    const third = queue
      .start(
        async () => (order.push('start 3'), written(3)),
        async () => undefined,
      )
      .then(() => (thirdQueued = true));
    await tick();
    expect(order).toEqual(['start 1']);
    expect(thirdQueued).toBe(false);
    first.resolve(written(1));
    await third;
    await queue.settle();
    expect(order).toEqual(['start 1', 'start 2', 'start 3']);
    expect(totals).toEqual([1, 2, 3]);
  });

  it('after a failure, releases the tasks behind it instead of running them, and rethrows the error once', async () => {
    const ran: number[] = [];
    const released: number[] = [];
    const queue = new WriteQueue(4, () => undefined);
    const failing = deferred();
    await queue.start(
      () => (ran.push(1), failing.promise),
      async () => void released.push(1),
    );
    for (const n of [2, 3])
      await queue.start(
        async () => (ran.push(n), written(n)),
        async () => void released.push(n),
      );
    failing.reject(new Error('HubSpot rejected the access token'));
    await expect(queue.settle()).rejects.toThrow('HubSpot rejected the access token');
    expect(ran).toEqual([1]);
    expect(released).toEqual([2, 3]);
    await expect(queue.settle()).resolves.toBeUndefined();
  });
});
