/**
 * Webhook registry and delivery. Every active webhook subscribed to an event type gets a POST with
 * the envelope as body, signed with X-Zendesk-Webhook-Signature (base64 HMAC-SHA256 of timestamp +
 * body, keyed by the webhook's signing secret as given) and X-Zendesk-Webhook-Signature-Timestamp.
 * Failures (network errors, 408/409/429, 5xx) are retried with a delay, re-signed per attempt; the
 * event id stays the same so the receiver can drop redeliveries.
 * https://developer.zendesk.com/documentation/webhooks/verifying/
 * https://developer.zendesk.com/api-reference/webhooks/introduction/
 */
import { randomUUID } from 'node:crypto';
import { computeZendeskSignature } from '@fieldcast/common';
import { ZENDESK_ACCOUNT_ID } from './zendesk-directory';
import type { ZendeskSettings } from './zendesk-settings';
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskActor, ZendeskFieldChange, ZendeskTicketListener } from './zendesk-ticket.service';
import { buildZendeskTicketEvents, type ZendeskWebhookEnvelope } from './zendesk-webhook-events';
import type { ZendeskTicketRecord, ZendeskWebhook } from './zendesk.types';

/** The webhook builder signs test requests with this static secret (base64 of "this_secret_is_for_testing_only"). */
export const ZENDESK_TEST_SIGNING_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

const KEPT_DELIVERIES = 2000;

/** The webhook every sandbox account has, subscribed to every ticket event (its target is configurable). */
export const ZENDESK_DEFAULT_WEBHOOK_ID = '01FIELDCASTSANDBOXWEBHOOK0';

export interface ZendeskWebhookAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface ZendeskWebhookDelivery {
  invocationId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  ticketId: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: ZendeskWebhookAttempt[];
  body: string;
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

export class ZendeskWebhookDispatcher implements ZendeskTicketListener {
  readonly deliveries: ZendeskWebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly store: ZendeskStore,
    private readonly settings: () => ZendeskSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  onTicketCreated(ticket: ZendeskTicketRecord, actor: ZendeskActor): void {
    if (this.hasTargets()) this.dispatch(buildZendeskTicketEvents(this.store, ticket, { created: true }, actor, this.clock()));
  }

  onTicketChanged(ticket: ZendeskTicketRecord, changes: ZendeskFieldChange[], actor: ZendeskActor, comment?: string): void {
    if (this.hasTargets()) this.dispatch(buildZendeskTicketEvents(this.store, ticket, { changes, comment }, actor, this.clock()));
  }

  onTicketDeleted(ticket: ZendeskTicketRecord, actor: ZendeskActor, previousStatus: string): void {
    this.onTicketChanged(ticket, [{ field: 'status', value: 'deleted', previous: previousStatus }], actor);
  }

  /** Sends the envelopes to every subscribed webhook now (POST /__sandbox/webhooks/fire); resolves after the first attempts. */
  async fire(envelopes: ZendeskWebhookEnvelope[], options: { useTestSecret?: boolean } = {}): Promise<ZendeskWebhookDelivery[]> {
    const started = this.dispatch(envelopes, options.useTestSecret);
    await Promise.all(started.map((d) => d.first));
    return started.map((d) => d.delivery);
  }

  /** Resolves when no delivery is in flight or waiting for a retry (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.timers.size) {
      await Promise.all([...this.inFlight]);
      if (this.timers.size) await new Promise((r) => setTimeout(r, 5));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  reset(): void {
    this.deliveries.length = 0;
  }

  private hasTargets(): boolean {
    for (const w of this.store.webhooks.values()) if (w.status === 'active' && w.endpoint) return true;
    return false;
  }

  private dispatch(
    envelopes: ZendeskWebhookEnvelope[],
    useTestSecret = false,
  ): Array<{ delivery: ZendeskWebhookDelivery; first: Promise<void> }> {
    const started: Array<{ delivery: ZendeskWebhookDelivery; first: Promise<void> }> = [];
    for (const webhook of this.store.webhooks.values()) {
      if (webhook.status !== 'active' || !webhook.endpoint) continue;
      for (const envelope of envelopes) {
        if (!webhook.subscriptions.includes(envelope.type)) continue;
        const delivery: ZendeskWebhookDelivery = {
          invocationId: randomUUID(),
          webhookId: webhook.id,
          eventId: envelope.id,
          eventType: envelope.type,
          ticketId: envelope.subject.replace('zen:ticket:', ''),
          state: 'pending',
          attempts: [],
          body: JSON.stringify(envelope),
        };
        this.deliveries.push(delivery);
        if (this.deliveries.length > KEPT_DELIVERIES) this.deliveries.splice(0, this.deliveries.length - KEPT_DELIVERIES);
        started.push({ delivery, first: this.attempt(webhook, delivery, useTestSecret ? ZENDESK_TEST_SIGNING_SECRET : undefined) });
      }
    }
    return started;
  }

  private attempt(webhook: ZendeskWebhook, delivery: ZendeskWebhookDelivery, secretOverride?: string): Promise<void> {
    const run = (async () => {
      if (this.stopped || !webhook.endpoint) return;
      const timestamp = new Date(this.clock()).toISOString().replace(/\.\d+Z$/, 'Z');
      const secret = secretOverride ?? webhook.signingSecret;
      const at = new Date().toISOString();
      let retryAfterMs: number | undefined;
      try {
        const response = await fetch(webhook.endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'User-Agent': 'Zendesk Webhook',
            'X-Zendesk-Account-Id': String(ZENDESK_ACCOUNT_ID),
            'X-Zendesk-Webhook-Id': webhook.id,
            'X-Zendesk-Webhook-Invocation-Id': delivery.invocationId,
            'X-Zendesk-Webhook-Signature': computeZendeskSignature(secret, timestamp, delivery.body),
            'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
          },
          body: delivery.body,
          signal: AbortSignal.timeout(12_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        delivery.attempts.push({ at, status: response.status });
        if (response.ok) {
          delivery.state = 'delivered';
          return;
        }
        if (!RETRYABLE(response.status)) {
          delivery.state = 'failed';
          return;
        }
        const header = Number(response.headers.get('retry-after'));
        if (Number.isFinite(header) && header > 0) retryAfterMs = Math.min(header * 1000, 60_000);
      } catch (error) {
        delivery.attempts.push({ at, error: (error as Error).message });
      }
      if (delivery.attempts.length >= this.settings().webhookMaxAttempts || this.stopped) {
        delivery.state = 'failed';
        return;
      }
      const delay = retryAfterMs ?? this.settings().webhookRetryDelayMs * delivery.attempts.length;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(webhook, delivery, secretOverride);
      }, delay);
      timer.unref();
      this.timers.add(timer);
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }
}
