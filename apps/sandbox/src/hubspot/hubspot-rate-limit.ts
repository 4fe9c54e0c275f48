/**
 * HubSpot's API limits as the sandbox enforces them: a rolling 10-second window per app (100 calls for
 * OAuth apps, up to 190 for private apps by tier), a per-second limit on search, and a daily quota for
 * private apps. Rejected calls do not count. Reports the X-HubSpot-RateLimit-* header values.
 * https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details
 */
import type { HubSpotRatePolicy } from './hubspot-errors';

export interface HubSpotRateLimitConfig {
  /** False lets every call through (benchmarks); headers are still sent. */
  enabled: boolean;
  /** Calls allowed per rolling window (the TEN_SECONDLY_ROLLING policy). */
  maxPerWindow: number;
  windowMs: number;
  /** Search calls allowed per second (HubSpot: 5 per token); 0 = no separate search limit. */
  searchPerSecond: number;
  /** Daily quota for private apps (the Daily headers are not sent to OAuth callers). */
  dailyLimit: number;
}

export const HUBSPOT_DEFAULT_RATE_LIMIT: HubSpotRateLimitConfig = {
  enabled: true,
  maxPerWindow: 100,
  windowMs: 10_000,
  searchPerSecond: 5,
  dailyLimit: 250_000,
};

/** A queue of call times, trimmed from the front as they leave the window. */
class CallTimes {
  private times: number[] = [];
  private head = 0;

  countSince(since: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= since) this.head += 1;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Calls after the cutoff, without trimming (binary search: the queue is sorted). */
  countAfter(cutoff: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! <= cutoff) lo = mid + 1;
      else hi = mid;
    }
    return this.times.length - lo;
  }

  oldest(): number | undefined {
    return this.times[this.head];
  }

  push(at: number): void {
    this.times.push(at);
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }
}

export type HubSpotRateDecision = { ok: true } | { ok: false; policy: HubSpotRatePolicy; retryAfterMs: number };

export class HubSpotRateLimiter {
  private config: HubSpotRateLimitConfig = { ...HUBSPOT_DEFAULT_RATE_LIMIT };
  private readonly window = new CallTimes();
  private readonly search = new CallTimes();
  private daily = 0;

  constructor(private readonly defaults: Partial<HubSpotRateLimitConfig> = {}) {
    this.reset();
  }

  reset(): void {
    this.config = { ...HUBSPOT_DEFAULT_RATE_LIMIT, ...this.defaults };
    this.window.clear();
    this.search.clear();
    this.daily = 0;
  }

  get settings(): HubSpotRateLimitConfig {
    return { ...this.config };
  }

  /** Applies a partial update; returns the problems (nothing changes when there are any). */
  configure(update: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const next = { ...this.config };
    for (const [key, value] of Object.entries(update)) {
      if (key === 'enabled') {
        if (typeof value !== 'boolean') problems.push(`enabled: expected true or false, got ${JSON.stringify(value)}`);
        else next.enabled = value;
      } else if (key === 'maxPerWindow' || key === 'windowMs' || key === 'dailyLimit') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
          problems.push(`${key}: expected a whole number >= 1, got ${JSON.stringify(value)}`);
        else next[key] = value;
      } else if (key === 'searchPerSecond') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
          problems.push(`searchPerSecond: expected a whole number >= 0 (0 = off), got ${JSON.stringify(value)}`);
        else next.searchPerSecond = value;
      } else {
        problems.push(`${key}: unknown setting (known: ${Object.keys(HUBSPOT_DEFAULT_RATE_LIMIT).join(', ')})`);
      }
    }
    if (problems.length) return problems;
    this.config = next;
    return [];
  }

  /** Counts the call when it is allowed. */
  tryAcquire(options: { search: boolean; daily: boolean }, now = Date.now()): HubSpotRateDecision {
    const c = this.config;
    const inWindow = this.window.countSince(now - c.windowMs);
    if (c.enabled) {
      if (options.daily && this.daily >= c.dailyLimit) {
        const midnight = new Date(now);
        midnight.setUTCHours(24, 0, 0, 0);
        return { ok: false, policy: 'DAILY', retryAfterMs: midnight.getTime() - now };
      }
      if (inWindow >= c.maxPerWindow)
        return { ok: false, policy: 'TEN_SECONDLY_ROLLING', retryAfterMs: this.window.oldest()! + c.windowMs - now };
      if (options.search && c.searchPerSecond > 0 && this.search.countSince(now - 1000) >= c.searchPerSecond) {
        return { ok: false, policy: 'SECONDLY', retryAfterMs: this.search.oldest()! + 1000 - now };
      }
    }
    this.window.push(now);
    if (options.search) this.search.push(now);
    if (options.daily) this.daily += 1;
    return { ok: true };
  }

  /**
   * X-HubSpot-RateLimit-* values; the Daily pair only for non-OAuth callers. None while limits are
   * off: the headers describe a limit that is enforced, and a client that paces itself by them (as
   * Fieldcast's budget does) would otherwise hold back to 100 calls / 10 s against a sandbox that
   * allows any rate — which made the "no rate limit" pipeline benchmark secretly rate-limited.
   */
  headers(includeDaily: boolean, now = Date.now()): Record<string, string> {
    const c = this.config;
    if (!c.enabled) return {};
    const used = this.window.countSince(now - c.windowMs);
    const perSecond = Math.max(1, Math.ceil((c.maxPerWindow * 1000) / c.windowMs));
    const usedLastSecond = this.window.countAfter(now - 1000);
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Max': String(c.maxPerWindow),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, c.maxPerWindow - used)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(c.windowMs),
      'X-HubSpot-RateLimit-Secondly': String(perSecond),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(Math.max(0, perSecond - usedLastSecond)),
    };
    if (includeDaily) {
      headers['X-HubSpot-RateLimit-Daily'] = String(c.dailyLimit);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, c.dailyLimit - this.daily));
    }
    return headers;
  }
}
