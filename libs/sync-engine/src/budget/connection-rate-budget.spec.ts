import { ConnectorException } from '@fieldcast/connector-sdk';
import { ConnectionRateBudget } from './connection-rate-budget';

function fakeClock() {
  let t = 1_000_000;
  const waits: number[] = [];
  return {
    now: () => t,
    wait: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
    advance: (ms: number) => (t += ms),
  };
}

describe('ConnectionRateBudget', () => {
  it('waits out a Retry-After before the next call, and counts the wait', async () => {
    const clock = fakeClock();
    const budget = new ConnectionRateBudget(clock);
    await budget.acquire('read');
    budget.observe({ retryAfterMs: 3000 });
    await budget.acquire('write');
    expect(clock.waits).toEqual([3000]);
    expect(budget.snapshot()).toMatchObject({ waitedMs: 3000, rateLimitHits: 1 });
    await budget.acquire('read');
    expect(clock.waits).toEqual([3000]);
  });

  it('stops at half of a daily quota by default, with a message an admin understands', async () => {
    const budget = new ConnectionRateBudget(fakeClock());
    budget.observe({ used: 4999, limit: 10_000, windowMs: 86_400_000 });
    await expect(budget.acquire('read')).resolves.toBeUndefined();
    budget.observe({ used: 5000, limit: 10_000, windowMs: 86_400_000 });
    const error = await budget.acquire('read').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorException);
    expect((error as ConnectorException).code).toBe('RATE_LIMITED');
    expect((error as Error).message).toContain('5000 of the 10000 daily API calls');
  });

  it('honours a configured reserve', async () => {
    const budget = new ConnectionRateBudget({ ...fakeClock(), reserveFraction: 0.9 });
    budget.observe({ used: 8000, limit: 10_000, windowMs: 86_400_000 });
    await expect(budget.acquire('read')).resolves.toBeUndefined();
  });

  it('waits for a short window to roll once it is used up', async () => {
    const clock = fakeClock();
    const budget = new ConnectionRateBudget(clock);
    budget.observe({ used: 100, limit: 100, windowMs: 10_000 });
    await budget.acquire('read');
    expect(clock.waits).toEqual([10_000]);
    await budget.acquire('read');
    expect(clock.waits).toEqual([10_000]);
  });

  it('paces its own calls through a rolling window: a slot frees when our call `limit` calls ago leaves it', async () => {
    const clock = fakeClock();
    const budget = new ConnectionRateBudget(clock);
    // 10 calls, 100 ms apart; the vendor's count after the last one says the window is full.
    for (let i = 0; i < 10; i++) {
      await budget.acquire('write');
      budget.observe({ used: i + 1, limit: 10, windowMs: 1000 });
      clock.advance(100);
    }
    expect(clock.waits).toEqual([]);
    // Now 1,000 ms after the first call: the first call has just left the window (+ the arrival margin).
    await budget.acquire('write');
    expect(clock.waits).toEqual([150]);
    // The vendor's window (the last 1,000 ms) now holds our calls from +200 ms on, and this one.
    budget.observe({ used: 9, limit: 10, windowMs: 1000 });
    // The next slot opens when the second call (sent at +100 ms) leaves: not a whole window later.
    await budget.acquire('write');
    expect(clock.waits).toEqual([150, 100]);
    // Steady state: `limit` calls per window (+ the arrival margin), the rate the vendor allows.
    const before = clock.now();
    for (let i = 0; i < 20; i++) await budget.acquire('write');
    expect(clock.now() - before).toBe((20 * (1000 + 150)) / 10);
  });

  it('leaves room for calls the vendor counted that were not ours (another worker, another integration)', async () => {
    const clock = fakeClock();
    const budget = new ConnectionRateBudget(clock);
    await budget.acquire('read');
    // The vendor saw 8 calls in its window: one was ours, seven came from elsewhere.
    budget.observe({ used: 8, limit: 10, windowMs: 1000 });
    clock.advance(10);
    await budget.acquire('read');
    await budget.acquire('read');
    expect(clock.waits).toEqual([]);
    // 7 others + our 3 = 10: the next call waits until the window has rolled past the observation
    // (only a new count from the vendor could say the others left earlier).
    await budget.acquire('read');
    expect(clock.waits).toEqual([990]);
  });

  it('gives up with RATE_LIMITED instead of sleeping for hours', async () => {
    const budget = new ConnectionRateBudget({ ...fakeClock(), maxWaitMs: 60_000 });
    budget.observe({ retryAfterMs: 3_600_000 });
    await expect(budget.acquire('read')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3_600_000 });
  });

  it('counts calls per endpoint', () => {
    const budget = new ConnectionRateBudget();
    budget.recordCall('POST /crm/v3/objects/contacts/search');
    budget.recordCall('POST /crm/v3/objects/contacts/search');
    budget.recordCall('POST /crm/v3/objects/contacts/batch/update');
    expect(budget.snapshot()).toMatchObject({ calls: 3, callsByEndpoint: { 'POST /crm/v3/objects/contacts/search': 2 } });
  });
});
