/**
 * Webhook ingress: media type and size (answers that do not depend on the connection), then the
 * connection and its secrets, verification on the raw bytes by the vendor's connector, parse, store +
 * enqueue, and only then the 2xx with the vendor's acknowledgement. An unknown, paused or
 * secret-less connection gets the connector's verify() run against decoy secrets and the exact 401
 * of a bad signature, so neither the body nor the timing tells whether a connection exists.
 */
import { HttpException, Inject, Injectable } from '@nestjs/common';
import { ConnectorException, type WebhookRequest } from '@fieldcast/connector-sdk';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { ConnectorRegistry } from '@fieldcast/sync-engine';
import { problem } from '../problem/problem-details';
import { WebhookConnectionResolver } from './webhook-connection.resolver';
import { WebhookInboxWriter } from './webhook-inbox.writer';
import { webhookMetrics, type WebhookOutcome } from './webhook.metrics';
import { WEBHOOK_PROVIDERS, type WebhookProvider } from './webhook-providers';

/** Vendors send small bodies (HubSpot batches of 100 events are ~30 KB); anything bigger is refused before parsing. */
export const WEBHOOK_MAX_BODY_BYTES = 256 * 1024;

/**
 * Requests being verified and stored at once. Waiting deliveries hold no database connection (the
 * inbox writer stores them together in its next write), so this bounds memory and the wait, not the
 * pools: beyond it the process is saturated, and 503 + Retry-After at once lets the vendor back off
 * and redeliver instead of holding every request until it times out on the vendor's side.
 */
export const WEBHOOK_MAX_IN_FLIGHT = 256;

export interface IncomingWebhook {
  provider: WebhookProvider;
  connectionId: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | undefined;
  contentType: string | undefined;
}

export interface WebhookAck {
  contentType: string;
  body: string;
}

// Stored with the row for audit and replay; never cookies or credentials.
const KEPT_HEADERS = /^(content-type|user-agent|soapaction|x-hubspot-|x-zendesk-|x-request-id)/;

export const WEBHOOK_UNAUTHORIZED_DETAIL = 'The webhook request could not be authenticated.';

function fail(outcome: WebhookOutcome, status: number, detail: string, extensions: Record<string, unknown> = {}): WebhookFailure {
  return new WebhookFailure(outcome, new HttpException(problem(status, detail, extensions), status));
}

export class WebhookFailure extends Error {
  constructor(
    readonly outcome: WebhookOutcome,
    readonly http: HttpException,
  ) {
    super(http.message);
  }
}

@Injectable()
export class WebhookIngressService {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connections: WebhookConnectionResolver,
    private readonly inbox: WebhookInboxWriter,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  private inFlight = 0;

  async receive(incoming: IncomingWebhook): Promise<WebhookAck> {
    const started = process.hrtime.bigint();
    const metrics = webhookMetrics();
    let outcome: WebhookOutcome = 'error';
    this.inFlight += 1;
    try {
      if (this.inFlight > WEBHOOK_MAX_IN_FLIGHT) {
        throw fail('unavailable', 503, 'Too many webhook deliveries at once; please redeliver shortly.', { retryAfterSeconds: 2 });
      }
      const result = await this.handle(incoming);
      outcome = result.outcome;
      return result.ack;
    } catch (error) {
      if (error instanceof WebhookFailure) {
        outcome = error.outcome;
        throw error.http;
      }
      throw error;
    } finally {
      this.inFlight -= 1;
      metrics.requests.inc({ provider: incoming.provider, outcome });
      metrics.ackSeconds.observe({ provider: incoming.provider, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async handle(incoming: IncomingWebhook): Promise<{ outcome: WebhookOutcome; ack: WebhookAck }> {
    const { provider } = incoming;
    const spec = WEBHOOK_PROVIDERS[provider];
    const mediaType = (incoming.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!spec.contentTypes.includes(mediaType)) {
      throw fail('unsupported_media_type', 415, `${provider} webhooks must be sent as ${spec.contentTypes.join(' or ')}.`);
    }
    const declared = Number(headerValue(incoming.headers['content-length']) ?? 0);
    const rawBody = incoming.rawBody ?? Buffer.alloc(0);
    if (declared > WEBHOOK_MAX_BODY_BYTES || rawBody.length > WEBHOOK_MAX_BODY_BYTES) {
      throw fail('too_large', 413, `Webhook bodies are limited to ${WEBHOOK_MAX_BODY_BYTES} bytes.`);
    }
    const request: WebhookRequest = {
      method: incoming.method,
      url: incoming.url,
      headers: lowerCaseHeaders(incoming.headers),
      rawBody,
      receivedAt: Date.now(),
    };
    const connector = this.registry.get(provider);
    const handler = connector.webhooks;
    if (!handler) throw fail('unauthorized', 401, WEBHOOK_UNAUTHORIZED_DETAIL);
    const target = await this.connections.resolve(provider, incoming.connectionId);
    let verdict: { ok: boolean; reason?: string };
    try {
      verdict = handler.verify(request, target?.secrets ?? this.connections.decoy(provider));
    } catch (error) {
      // verify() is a security boundary: whatever it chokes on is refused, and the bug is logged.
      this.log.error({ err: error, provider }, 'webhook verify threw; request refused');
      verdict = { ok: false, reason: 'verify threw' };
    }
    if (!target || !verdict.ok) {
      this.log.info(
        {
          provider,
          connectionId: target?.connectionId,
          reason: target ? (verdict as { reason?: string }).reason : 'unknown, paused or unconfigured connection',
        },
        'webhook refused',
      );
      throw fail('unauthorized', 401, WEBHOOK_UNAUTHORIZED_DETAIL);
    }
    let parsed;
    try {
      parsed = handler.parse(request, target.context);
    } catch (error) {
      if (error instanceof ConnectorException)
        throw fail('invalid', 400, `The webhook body was authenticated but cannot be read: ${error.message}`);
      throw error;
    }
    const metrics = webhookMetrics();
    if (parsed.dropped.length) metrics.events.inc({ provider, result: 'dropped' }, parsed.dropped.length);
    let stored;
    try {
      const kept = spec.storedBody ? spec.storedBody(rawBody) : rawBody;
      stored = await this.inbox.store(provider, target.connectionId, parsed.events, kept, keptHeaders(request.headers));
    } catch (error) {
      // Not stored means not acknowledged: the vendor retries, and the retry is deduplicated.
      this.log.error({ err: error, provider, connectionId: target.connectionId }, 'webhook events could not be stored or enqueued');
      throw fail('unavailable', 503, 'The events could not be stored right now; please redeliver.', { retryAfterSeconds: 5 });
    }
    if (stored.stored) metrics.events.inc({ provider, result: 'stored' }, stored.stored);
    if (stored.duplicates) metrics.events.inc({ provider, result: 'duplicate' }, stored.duplicates);
    const outcome: WebhookOutcome = parsed.events.length > 0 && stored.stored === 0 ? 'duplicate' : 'accepted';
    return {
      outcome,
      ack: parsed.acknowledgement ?? { contentType: 'application/json', body: JSON.stringify({ received: parsed.events.length }) },
    };
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = headerValue(value);
  return out;
}

function keptHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && KEPT_HEADERS.test(name)) out[name] = value;
  return out;
}
