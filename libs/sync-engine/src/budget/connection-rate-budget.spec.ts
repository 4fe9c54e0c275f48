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
