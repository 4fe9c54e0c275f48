/**
 * Zendesk's per-account request limits: a fixed window per minute for all API calls, and a smaller
 * one for incremental exports. Over the limit the API answers 429 with Retry-After (seconds to the
 * window's end) and a text/plain body, which node-zendesk resolves instead of throwing.
 * https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */
import type { ZendeskSettings } from './zendesk-settings';

export type ZendeskRateKind = 'api' | 'export';

export interface ZendeskRateState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

class FixedWindow {
  private windowStart = 0;
  private used = 0;

  take(limit: number, windowMs: number, now: number): { ok: boolean; state: ZendeskRateState } {
    if (now >= this.windowStart + windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((this.windowStart + windowMs - now) / 1000));
    if (this.used >= limit) return { ok: false, state: { limit, remaining: 0, resetSeconds } };
    this.used += 1;
    return { ok: true, state: { limit, remaining: limit - this.used, resetSeconds } };
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
  }
}

export class ZendeskRateLimiter {
  private readonly api = new FixedWindow();
  private readonly exports = new FixedWindow();

  constructor(
    private readonly settings: () => ZendeskSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one call; export calls count against both windows. */
  take(
    kind: ZendeskRateKind,
  ): { ok: true; state: ZendeskRateState } | { ok: false; retryAfterSeconds: number; state: ZendeskRateState; kind: ZendeskRateKind } {
    const s = this.settings();
    const now = this.clock();
    const windowMs = s.rateWindowSeconds * 1000;
    if (kind === 'export') {
      const e = this.exports.take(s.exportRequestsPerMinute, windowMs, now);
      if (!e.ok) return { ok: false, retryAfterSeconds: e.state.resetSeconds, state: e.state, kind };
    }
    const a = this.api.take(s.requestsPerMinute, windowMs, now);
    if (!a.ok) return { ok: false, retryAfterSeconds: a.state.resetSeconds, state: a.state, kind: 'api' };
    return { ok: true, state: a.state };
  }

  reset(): void {
    this.api.reset();
    this.exports.reset();
  }
}
