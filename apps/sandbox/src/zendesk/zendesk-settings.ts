/**
 * Tunable sandbox behaviour (POST /__sandbox/settings, alias /__sandbox/rate-limit). Defaults are the
 * real account's: 700 requests/min (Enterprise plan), 10 incremental export requests/min, a one-minute
 * export buffer. Tests shrink windows and delays so they stay fast without changing the semantics.
 */
export interface ZendeskSettings {
  /** Requests per window for the whole account (X-Rate-Limit). */
  requestsPerMinute: number;
  /** Incremental export requests per window (10, or 30 with the High Volume add-on). */
  exportRequestsPerMinute: number;
  /** Rate-limit window length; 60 on real Zendesk. */
  rateWindowSeconds: number;
  /** Changes newer than this are left out of export pages (Zendesk's one-minute buffer). */
  exportBufferSeconds: number;
  /** Tickets per export page when per_page is not given (Zendesk: 1000). */
  exportPageSize: number;
  /** How long a job stays queued, then working, before it completes. */
  jobStepMs: number;
  /** Webhook delivery attempts (first try included) and the delay before retry n (times n). */
  webhookMaxAttempts: number;
  webhookRetryDelayMs: number;
}

export const ZENDESK_DEFAULT_SETTINGS: ZendeskSettings = {
  requestsPerMinute: 700,
  exportRequestsPerMinute: 10,
  rateWindowSeconds: 60,
  exportBufferSeconds: 60,
  exportPageSize: 1000,
  jobStepMs: 100,
  webhookMaxAttempts: 4,
  webhookRetryDelayMs: 1000,
};

const LIMITS: Record<keyof ZendeskSettings, [number, number]> = {
  requestsPerMinute: [1, 1_000_000],
  exportRequestsPerMinute: [1, 1_000_000],
  rateWindowSeconds: [1, 3600],
  exportBufferSeconds: [0, 3600],
  exportPageSize: [1, 1000],
  jobStepMs: [0, 600_000],
  webhookMaxAttempts: [1, 20],
  webhookRetryDelayMs: [0, 600_000],
};

/** Applies a partial update; returns the problems and changes nothing when there are any. */
export function updateZendeskSettings(current: ZendeskSettings, update: unknown): { settings: ZendeskSettings; problems: string[] } {
  const problems: string[] = [];
  if (!update || typeof update !== 'object' || Array.isArray(update))
    return { settings: current, problems: ['expected a JSON object such as {"requestsPerMinute": 100}'] };
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    const range = LIMITS[key as keyof ZendeskSettings];
    if (!range) {
      problems.push(`${key}: unknown setting (known: ${Object.keys(LIMITS).join(', ')})`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
      problems.push(`${key}: expected a whole number from ${range[0]} to ${range[1]}, got ${JSON.stringify(value)}`);
      continue;
    }
    next[key as keyof ZendeskSettings] = value;
  }
  return problems.length ? { settings: current, problems } : { settings: next, problems };
}
