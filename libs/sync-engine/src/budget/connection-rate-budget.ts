/**
 * A connection's API budget, shared by its reads and writes in this process, fed by what the vendor
 * says (Sforce-Limit-Info, X-HubSpot-RateLimit-*, X-Rate-Limit, Retry-After).
 *
 * - Retry-After / a 429: nobody in this process calls the vendor again before it has passed.
 * - Short windows (HubSpot 10 s rolling, Zendesk 1 min): calls are paced so that this process never
 *   has more in the window than the vendor allows. The vendor's count (used/limit) says how many calls
 *   it saw; the calls this process sent are timestamped here, so a slot is known to free up when our
 *   call `limit` calls ago leaves the window, not a whole window after the count reached the limit.
 *   Waiting a whole window after each burst (the old rule) ran at 2/3 of the allowed rate whenever a
 *   burst took 5 of the 10 s. Calls the vendor counted that are not ours (another worker, another
 *   integration) are assumed to stay in the window until it has rolled past them.
 * - Daily quotas (Salesforce, HubSpot daily): never use more than `reserveFraction` of the quota
 *   (default 50 %), so the customer's other integrations keep working; past it the run stops with
 *   RATE_LIMITED and is retried later, instead of eating the customer's quota.
 */
import { ConnectorException, type RateBudget, type RateBudgetSnapshot, type RateObservation } from '@fieldcast/connector-sdk';
import { sleep } from '@fieldcast/common';

const HOUR_MS = 3_600_000;
/** The vendor counts a call when it arrives, a little after we sent it. */
const WINDOW_MARGIN_MS = 150;
const MAX_SENT_LOG = 10_000;

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
  /** When this process's calls were sent, oldest first, pruned to the current window. */
  private readonly sent: number[] = [];
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
    const until = Math.max(this.pauseUntil, this.windowSlotAt());
    const delay = until - this.now();
    if (delay <= 0) {
      this.sent.push(this.now());
      // Without a known window nothing prunes the log; it only needs the last `limit` calls anyway.
      if (this.sent.length > MAX_SENT_LOG) this.sent.splice(0, this.sent.length - MAX_SENT_LOG);
      return;
    }
    if (delay > this.maxWaitMs) {
      throw new ConnectorException(
        'RATE_LIMITED',
        `The vendor asked Fieldcast to wait ${Math.ceil(delay / 1000)} s before the next call.`,
        { retryAfterMs: delay },
      );
    }
    this.waitedMs += delay;
    await this.wait(delay, signal);
    // Others may have taken the slot while this caller slept (several callers share the budget).
    return this.acquire(_kind, signal);
  }

  /**
   * The earliest instant at which one more call fits in the vendor's short window (now or earlier
   * when it fits already).
   */
  private windowSlotAt(): number {
    const w = this.window;
    if (!w) return 0;
    const now = this.now();
    const rollsAt = w.observedAt + w.windowMs;
    // Entries older than this cannot be in the vendor's count any more, nor in its last observation.
    const stale = Math.min(now, w.observedAt) - w.windowMs - WINDOW_MARGIN_MS;
    while (this.sent.length && this.sent[0]! <= stale) this.sent.shift();
    // Calls the vendor had counted that this process did not send (as of the observation).
    let oursAtObservation = 0;
    for (const t of this.sent) if (t <= w.observedAt && t > w.observedAt - w.windowMs) oursAtObservation += 1;
    const others = now < rollsAt ? Math.max(0, w.used - oursAtObservation) : 0;
    // Ours still in the window: a call occupies it for windowMs + the margin.
    const inWindow = this.sent.filter((t) => t > now - w.windowMs - WINDOW_MARGIN_MS);
    const room = w.limit - 1 - others;
    if (inWindow.length <= room) return 0;
    // When the others leave (the window rolls past the observation), room grows: look again then.
    const oursFreeSlot = room >= 0 ? inWindow[inWindow.length - 1 - room]! + w.windowMs + WINDOW_MARGIN_MS : Infinity;
    return others > 0 ? Math.min(oursFreeSlot, rollsAt) : oursFreeSlot;
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
