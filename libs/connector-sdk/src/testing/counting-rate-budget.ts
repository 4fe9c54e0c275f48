import type { RateBudget, RateBudgetSnapshot, RateObservation } from '../rate-budget.types';

/**
 * A RateBudget for connector tests and the embedded use of a connector: never waits, counts every
 * call per endpoint and remembers the last thing the vendor said about its limits.
 * The production budget (waits, reserve, shared across workers) is in libs/sync-engine.
 */
export class CountingRateBudget implements RateBudget {
  private readonly byEndpoint = new Map<string, number>();
  private last: RateObservation = {};
  private hits = 0;

  async acquire(): Promise<void> {}

  observe(observation: RateObservation): void {
    this.last = { ...this.last, ...observation };
    if (observation.retryAfterMs !== undefined) this.hits += 1;
  }

  recordCall(endpoint: string): void {
    this.byEndpoint.set(endpoint, (this.byEndpoint.get(endpoint) ?? 0) + 1);
  }

  snapshot(): RateBudgetSnapshot {
    let calls = 0;
    for (const n of this.byEndpoint.values()) calls += n;
    return {
      calls,
      callsByEndpoint: Object.fromEntries(this.byEndpoint),
      used: this.last.used,
      limit: this.last.limit,
      waitedMs: 0,
      rateLimitHits: this.hits,
    };
  }
}
