/**
 * Webhook delivery as a HubSpot app sees it: changes become events (`contact.propertyChange`, ...),
 * batched into JSON arrays of up to 100, POSTed to the app's target URL signed with v1
 * (X-HubSpot-Signature) and v3 (X-HubSpot-Signature-v3 + X-HubSpot-Request-Timestamp), and retried
 * with exponential backoff when the target fails or times out. `attemptNumber` starts at 0.
 * https://developers.hubspot.com/docs/api/webhooks
 */
import { computeHubSpotSignatureV1, computeHubSpotSignatureV3, decodeHubSpotV3Uri } from '@fieldcast/common';
import type { HubSpotAppIdentity } from './hubspot-oauth';
import { HUBSPOT_WEBHOOK_PREFIX, type HubSpotChange } from './hubspot-sandbox.types';

export interface HubSpotWebhookSubscription {
  id: number;
  /** `contact.creation`, `ticket.propertyChange`, ... */
  subscriptionType: string;
  /** For propertyChange: the property, or `*` for every property (a sandbox convenience; HubSpot needs one subscription per property). */
  propertyName?: string;
}

export interface HubSpotWebhookSettings {
  targetUrl: string | null;
  subscriptions: HubSpotWebhookSubscription[];
  /** Total attempts per batch, the first included (HubSpot: 10 over 24 h). */
  maxAttempts: number;
  /** Delay before retry n is retryBaseMs * 2^(n-1), capped at retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Events are collected this long before a request goes out. */
  batchWindowMs: number;
  /** A target slower than this counts as failed (HubSpot: 5 s). */
  timeoutMs: number;
}

export type HubSpotWebhookEvent = Record<string, string | number | boolean | undefined>;

export interface HubSpotWebhookDelivery {
  at: string;
  attemptNumber: number;
  eventIds: number[];
  status: number | null;
  error?: string;
  durationMs: number;
  final: boolean;
}

const KINDS = ['creation', 'deletion', 'propertyChange'] as const;

function defaultSubscriptions(): HubSpotWebhookSubscription[] {
  const subscriptions: HubSpotWebhookSubscription[] = [];
  let id = 100;
  for (const prefix of Object.values(HUBSPOT_WEBHOOK_PREFIX)) {
    for (const kind of KINDS)
      subscriptions.push({ id: id++, subscriptionType: `${prefix}.${kind}`, ...(kind === 'propertyChange' ? { propertyName: '*' } : {}) });
  }
  return subscriptions;
}

function defaults(targetUrl: string | null): HubSpotWebhookSettings {
  return {
    targetUrl,
    subscriptions: defaultSubscriptions(),
    maxAttempts: 10,
    retryBaseMs: 1000,
    retryMaxMs: 60_000,
    batchWindowMs: 50,
    timeoutMs: 5000,
  };
}

export type HubSpotWebhookTamper = 'none' | 'signature' | 'stale-timestamp';

export class HubSpotWebhookDispatcher {
  private settings: HubSpotWebhookSettings;
  private pending: HubSpotWebhookEvent[] = [];
  private flushTimer?: NodeJS.Timeout;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly aborts = new Set<AbortController>();
  private deliveries: HubSpotWebhookDelivery[] = [];
  private nextEventId = 1_000_000_001;
  private counters = { requests: 0, delivered: 0, failedAttempts: 0, gaveUp: 0, droppedNoTarget: 0 };

  constructor(
    private readonly app: HubSpotAppIdentity,
    private readonly initialTarget: string | null,
  ) {
    this.settings = defaults(initialTarget);
  }

  get config(): HubSpotWebhookSettings {
    return { ...this.settings, subscriptions: [...this.settings.subscriptions] };
  }

  /** Applies a partial settings update; returns problems and changes nothing when there are any. */
  configure(update: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const next = { ...this.settings };
    for (const [key, value] of Object.entries(update)) {
      if (key === 'targetUrl') {
        if (value !== null && (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value)))
          problems.push(`targetUrl: expected an http(s) URL or null, got ${JSON.stringify(value)}`);
        else next.targetUrl = value as string | null;
      } else if (key === 'subscriptions') {
        if (!Array.isArray(value)) {
          problems.push('subscriptions: expected an array of {subscriptionType, propertyName?}');
          continue;
        }
        const parsed: HubSpotWebhookSubscription[] = [];
        value.forEach((s: unknown, i) => {
          const sub = (s ?? {}) as { subscriptionType?: unknown; propertyName?: unknown };
          if (
            typeof sub.subscriptionType !== 'string' ||
            !/^(contact|deal|ticket)\.(creation|deletion|propertyChange)$/.test(sub.subscriptionType)
          )
            problems.push(
              `subscriptions[${i}].subscriptionType: expected contact|deal|ticket . creation|deletion|propertyChange, got ${JSON.stringify(sub.subscriptionType)}`,
            );
          else if (sub.subscriptionType.endsWith('propertyChange') && typeof sub.propertyName !== 'string')
            problems.push(`subscriptions[${i}].propertyName: propertyChange subscriptions need a property name (or "*")`);
          else
            parsed.push({
              id: 100 + i,
              subscriptionType: sub.subscriptionType,
              ...(typeof sub.propertyName === 'string' ? { propertyName: sub.propertyName } : {}),
            });
        });
        next.subscriptions = parsed;
      } else if (['maxAttempts', 'retryBaseMs', 'retryMaxMs', 'batchWindowMs', 'timeoutMs'].includes(key)) {
        const min = key === 'maxAttempts' || key === 'timeoutMs' ? 1 : 0;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
          problems.push(`${key}: expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
        else (next as unknown as Record<string, number>)[key] = value;
      } else {
        problems.push(
          `${key}: unknown setting (known: targetUrl, subscriptions, maxAttempts, retryBaseMs, retryMaxMs, batchWindowMs, timeoutMs)`,
        );
      }
    }
    if (problems.length) return problems;
    this.settings = next;
    return [];
  }

  /** Turns a store change into events for the matching subscriptions and queues them. */
  onChange(change: HubSpotChange): void {
    const prefix = HUBSPOT_WEBHOOK_PREFIX[change.objectType];
    const type = `${prefix}.${change.kind}`;
    const subscriptions = this.settings.subscriptions.filter((s) => s.subscriptionType === type);
    if (!subscriptions.length) return;
    if (!this.settings.targetUrl) {
      this.counters.droppedNoTarget += 1;
      return;
    }
    const base = (subscriptionId: number): HubSpotWebhookEvent => ({
      eventId: this.nextEventId++,
      subscriptionId,
      portalId: this.app.portalId,
      appId: this.app.appId,
      occurredAt: change.occurredAt,
      subscriptionType: type,
      attemptNumber: 0,
      objectId: Number(change.id),
      changeSource: change.source.changeSource,
      sourceId: change.source.sourceId,
    });
    if (change.kind === 'propertyChange') {
      for (const c of change.changes ?? []) {
        const sub = subscriptions.find((s) => s.propertyName === '*' || s.propertyName === c.name);
        if (sub) this.pending.push({ ...base(sub.id), propertyName: c.name, propertyValue: c.value ?? '' });
      }
    } else {
      this.pending.push({
        ...base(subscriptions[0]!.id),
        ...(change.kind === 'creation' ? { changeFlag: 'NEW' } : { changeFlag: 'DELETED' }),
      });
    }
    this.scheduleFlush();
  }

  /** Builds events from partial ones (control API), filling ids and defaults. */
  complete(partial: Record<string, unknown>): HubSpotWebhookEvent {
    const event: HubSpotWebhookEvent = {
      eventId: this.nextEventId++,
      subscriptionId: 100,
      portalId: this.app.portalId,
      appId: this.app.appId,
      occurredAt: Date.now(),
      subscriptionType: 'contact.propertyChange',
      attemptNumber: 0,
      changeSource: 'CRM_UI',
    };
    for (const [key, value] of Object.entries(partial)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') event[key] = value;
    }
    return event;
  }

  /** Sends events right away (not queued, not retried) and reports what the target answered. */
  async fireNow(
    events: HubSpotWebhookEvent[],
    tamper: HubSpotWebhookTamper = 'none',
  ): Promise<{ status: number | null; body?: string; error?: string }> {
    if (!this.settings.targetUrl)
      return { status: null, error: 'no webhook target registered: POST /__sandbox/webhooks {"targetUrl": "..."} first' };
    return this.post(events, 0, tamper, false);
  }

  /** Delivers everything queued now and waits for every request in flight (not for scheduled retries). */
  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    this.drain();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    for (const a of this.aborts) a.abort();
    this.aborts.clear();
    this.pending = [];
  }

  reset(): void {
    this.stop();
    this.settings = defaults(this.initialTarget);
    this.deliveries = [];
    this.counters = { requests: 0, delivered: 0, failedAttempts: 0, gaveUp: 0, droppedNoTarget: 0 };
  }

  report(): {
    settings: HubSpotWebhookSettings;
    pending: number;
    scheduledRetries: number;
    counters: HubSpotWebhookDispatcher['counters'];
    deliveries: HubSpotWebhookDelivery[];
  } {
    return {
      settings: this.config,
      pending: this.pending.length,
      scheduledRetries: this.retryTimers.size,
      counters: { ...this.counters },
      deliveries: this.deliveries.slice(-200),
    };
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.drain();
    }, this.settings.batchWindowMs);
    this.flushTimer.unref();
  }

  private drain(): void {
    while (this.pending.length) {
      const batch = this.pending.splice(0, 100);
      this.track(this.deliverWithRetry(batch, 0));
    }
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliverWithRetry(events: HubSpotWebhookEvent[], attempt: number): Promise<void> {
    const outcome = await this.post(events, attempt, 'none', true);
    if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return;
    if (attempt + 1 >= this.settings.maxAttempts) {
      this.counters.gaveUp += 1;
      const last = this.deliveries.at(-1);
      if (last) last.final = true;
      return;
    }
    const delay = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** attempt);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.track(this.deliverWithRetry(events, attempt + 1));
    }, delay);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async post(
    events: HubSpotWebhookEvent[],
    attempt: number,
    tamper: HubSpotWebhookTamper,
    log: boolean,
  ): Promise<{ status: number | null; body?: string; error?: string }> {
    const target = this.settings.targetUrl!;
    const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt })));
    const secret = this.app.clientSecret;
    // A stale request is one whose timestamp (and so its signature) is 6 minutes old: valid HMAC, outside the window.
    const timestamp = String(Date.now() - (tamper === 'stale-timestamp' ? 6 * 60_000 : 0));
    // HubSpot signs the URI with a few escapes decoded (%3A, %2F, %3F, %40, ...), not the URL as registered.
    const signedUri = decodeHubSpotV3Uri(target);
    const v3 = computeHubSpotSignatureV3(tamper === 'signature' ? 'forged-secret' : secret, 'POST', signedUri, body, timestamp);
    const started = Date.now();
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(
      () => abort.abort(new Error(`target did not answer within ${this.settings.timeoutMs} ms`)),
      this.settings.timeoutMs,
    );
    this.counters.requests += 1;
    let result: { status: number | null; body?: string; error?: string };
    try {
      const response = await fetch(target, {
        method: 'POST',
        body,
        signal: abort.signal,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon',
          'X-HubSpot-Signature':
            tamper === 'signature' ? computeHubSpotSignatureV1('forged-secret', body) : computeHubSpotSignatureV1(secret, body),
          'X-HubSpot-Signature-Version': 'v1',
          'X-HubSpot-Signature-v3': v3,
          'X-HubSpot-Request-Timestamp': timestamp,
          'X-HubSpot-Timeout-Millis': String(this.settings.timeoutMs),
        },
      });
      result = { status: response.status, body: await response.text() };
    } catch (error) {
      result = { status: null, error: String((error as Error).cause ?? (error as Error).message) };
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
    }
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    if (ok) this.counters.delivered += 1;
    else this.counters.failedAttempts += 1;
    if (log) {
      this.deliveries.push({
        at: new Date(started).toISOString(),
        attemptNumber: attempt,
        eventIds: events.map((e) => Number(e.eventId)),
        status: result.status,
        ...(result.error ? { error: result.error } : {}),
        durationMs: Date.now() - started,
        final: ok,
      });
      if (this.deliveries.length > 1000) this.deliveries.splice(0, this.deliveries.length - 1000);
    }
    return result;
  }
}
