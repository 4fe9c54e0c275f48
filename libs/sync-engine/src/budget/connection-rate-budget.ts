/**
 * A connection's API budget, shared by its reads and writes in this process, fed by what the vendor
 * says (Sforce-Limit-Info, X-HubSpot-RateLimit-*, X-Rate-Limit, Retry-After).
 *
 * - Retry-After / a 429: nobody in this process calls the vendor again before it has passed.
 * - Short windows (HubSpot 10 s, Zendesk 1 min): when the window is used up, wait for it to roll.
 * - Daily quotas (Salesforce, HubSpot daily): never use more than `reserveFraction` of the quota
 *   (default 50 %), so the customer's other integrations keep working; past it the run stops with
 *   RATE_LIMITED and is retried later, instead of eating the customer's quota.
 */
import { ConnectorException, type RateBudget, type RateBudgetSnapshot, type RateObservation } from '@fieldcast/connector-sdk';
import { sleep } from '@fieldcast/common';

const HOUR_MS = 3_600_000;

export interface ConnectionRateBudgetOptions {
  reserveFraction?: number;
  /** Longest single wait before giving up with RATE_LIMITED (the job is retried later instead). */
  maxWaitMs?: number;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class ConnectionRateBudget implements RateBudget {
  private readonly reserveFraction: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  private pauseUntil = 0;
  private daily?: { used: number; limit: number };
  private window?: { used: number; limit: number; windowMs: number; observedAt: number };
  private readonly calls = new Map<string, number>();
  private waitedMs = 0;
  private rateLimitHits = 0;

  constructor(options: ConnectionRateBudgetOptions = {}) {
    this.reserveFraction = options.reserveFraction ?? 0.5;
    this.maxWaitMs = options.maxWaitMs ?? 120_000;
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
  }

  async acquire(_kind: 'read' | 'write', signal?: AbortSignal): Promise<void> {
    if (this.daily && this.daily.used >= this.daily.limit * this.reserveFraction) {
      throw new ConnectorException(
        'RATE_LIMITED',
        `Fieldcast has used ${this.daily.used} of the ${this.daily.limit} daily API calls; it stops at ${Math.round(this.reserveFraction * 100)} % so your other integrations keep working. It resumes when the quota frees up.`,
        { retryAfterMs: 15 * 60_000 },
      );
    }
    let until = this.pauseUntil;
    if (this.window && this.window.used >= this.window.limit) until = Math.max(until, this.window.observedAt + this.window.windowMs);
    const delay = until - this.now();
    if (delay <= 0) return;
    if (delay > this.maxWaitMs) {
      throw new ConnectorException(
        'RATE_LIMITED',
        `The vendor asked Fieldcast to wait ${Math.ceil(delay / 1000)} s before the next call.`,
        { retryAfterMs: delay },
      );
    }
    this.waitedMs += delay;
    await this.wait(delay, signal);
    if (this.window && this.now() >= this.window.observedAt + this.window.windowMs) this.window = undefined;
  }

  observe(observation: RateObservation): void {
    if (observation.retryAfterMs !== undefined) {
      this.rateLimitHits += 1;
      this.pauseUntil = Math.max(this.pauseUntil, this.now() + observation.retryAfterMs);
    }
    const { used, limit, windowMs } = observation;
    if (used === undefined || limit === undefined || limit <= 0) return;
    if (windowMs === undefined || windowMs >= HOUR_MS) this.daily = { used, limit };
    else this.window = { used, limit, windowMs, observedAt: this.now() };
  }

  recordCall(endpoint: string): void {
    this.calls.set(endpoint, (this.calls.get(endpoint) ?? 0) + 1);
  }

  snapshot(): RateBudgetSnapshot {
    let calls = 0;
    for (const n of this.calls.values()) calls += n;
    return {
      calls,
      callsByEndpoint: Object.fromEntries(this.calls),
      used: this.daily?.used ?? this.window?.used,
      limit: this.daily?.limit ?? this.window?.limit,
      waitedMs: this.waitedMs,
      rateLimitHits: this.rateLimitHits,
    };
  }
}
