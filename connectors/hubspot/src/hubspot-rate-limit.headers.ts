/**
 * Reads what HubSpot says about its limits: the X-HubSpot-RateLimit-* headers on every response
 * (the Daily pair only for private apps) and, on a 429, how long to wait. The SDK ignores
 * Retry-After and sleeps a fixed 10 s per attempt; we honour the vendor's own numbers instead.
 * https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details
 */
import type { RateObservation } from '@fieldcast/connector-sdk';

export type HubSpotHeaders = Record<string, string | undefined>;

const DAY_MS = 86_400_000;

function num(headers: HubSpotHeaders, name: string): number | undefined {
  const raw = headers[name] ?? headers[name.toLowerCase()];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** The scarcer of the rolling window and (for private apps) the daily quota, as one observation. */
export function hubSpotRateObservation(headers: HubSpotHeaders | undefined): RateObservation | undefined {
  if (!headers) return undefined;
  const max = num(headers, 'x-hubspot-ratelimit-max');
  const remaining = num(headers, 'x-hubspot-ratelimit-remaining');
  const interval = num(headers, 'x-hubspot-ratelimit-interval-milliseconds');
  const daily = num(headers, 'x-hubspot-ratelimit-daily');
  const dailyRemaining = num(headers, 'x-hubspot-ratelimit-daily-remaining');
  const windowObs =
    max !== undefined && remaining !== undefined
      ? { limit: max, remaining, used: max - remaining, windowMs: interval ?? 10_000 }
      : undefined;
  const dailyObs =
    daily !== undefined && dailyRemaining !== undefined
      ? { limit: daily, remaining: dailyRemaining, used: daily - dailyRemaining, windowMs: DAY_MS }
      : undefined;
  if (windowObs && dailyObs) return dailyObs.remaining / dailyObs.limit < windowObs.remaining / windowObs.limit ? dailyObs : windowObs;
  return windowObs ?? dailyObs;
}

/**
 * How long a 429 asks us to wait: Retry-After when sent; otherwise by policy (the rolling window's
 * interval, 1 s for the secondly search limit, the next UTC midnight for the daily quota).
 */
export function hubSpotRetryAfterMs(
  headers: HubSpotHeaders | undefined,
  body: { policyName?: unknown; message?: unknown } | undefined,
  now = Date.now(),
): number {
  const retryAfter = headers ? num(headers, 'retry-after') : undefined;
  if (retryAfter !== undefined) return retryAfter * 1000;
  const policy = typeof body?.policyName === 'string' ? body.policyName : '';
  const message = typeof body?.message === 'string' ? body.message : '';
  if (policy === 'DAILY' || /daily limit/i.test(message)) {
    const midnight = new Date(now);
    midnight.setUTCHours(24, 0, 0, 0);
    return midnight.getTime() - now;
  }
  if (policy === 'SECONDLY' || /secondly limit/i.test(message)) return 1000;
  return (headers && num(headers, 'x-hubspot-ratelimit-interval-milliseconds')) ?? 10_000;
}
