/**
 * A connection's API budget. One instance per connection, shared by reads and writes, fed by the
 * vendor's own headers (Sforce-Limit-Info, X-HubSpot-RateLimit-*, X-Rate-Limit / Retry-After).
 * Connectors call `acquire` before every vendor call and `observe` after it.
 */
export interface RateObservation {
  /** Calls used / allowed in the vendor's current window (daily for Salesforce, 10 s for HubSpot, 1 min for Zendesk). */
  used?: number;
  limit?: number;
  /** Calls left in the window, when the vendor says it directly. */
  remaining?: number;
  /** Window length in ms, when known. */
  windowMs?: number;
  /** The vendor asked us to wait (429 Retry-After, policy window). */
  retryAfterMs?: number;
}

export interface RateBudget {
  /** Waits until a call may be made without eating into the reserve; throws RATE_LIMITED when it never could. */
  acquire(kind: 'read' | 'write', signal?: AbortSignal): Promise<void>;
  /** Feeds what the vendor said about its limits after a call. */
  observe(observation: RateObservation): void;
  /** Counts one vendor call for run statistics (`"METHOD /template"`). */
  recordCall(endpoint: string): void;
  snapshot(): RateBudgetSnapshot;
}

export interface RateBudgetSnapshot {
  calls: number;
  callsByEndpoint: Record<string, number>;
  used?: number;
  limit?: number;
  waitedMs: number;
  rateLimitHits: number;
}
