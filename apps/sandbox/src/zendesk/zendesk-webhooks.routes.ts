/**
 * Webhooks API (node-zendesk calls these paths without `.json`): create, list, show, delete, and
 * the signing secret (show / reset). Errors use the Webhooks API's `errors[]` shape.
 * https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/
 */
import { randomBytes } from 'node:crypto';
import type { SandboxResponse } from '../common/sandbox-http';
import type { ZendeskApi } from './zendesk-api';
import { parseZendeskBody, zendeskJson } from './zendesk-errors';
import type { ZendeskStore } from './zendesk-store';
import { ZENDESK_EVENT_PREFIX } from './zendesk-webhook-events';
import type { ZendeskWebhook } from './zendesk.types';

export function newZendeskWebhookId(): string {
  return `01${randomBytes(12).toString('hex').toUpperCase()}`;
}

export function newZendeskSigningSecret(): string {
  return randomBytes(32).toString('base64');
}

export function renderZendeskWebhook(w: ZendeskWebhook): Record<string, unknown> {
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    endpoint: w.endpoint,
    http_method: w.httpMethod,
    request_format: w.requestFormat,
    subscriptions: w.subscriptions,
    created_at: w.createdAt,
    created_by: String(w.createdBy),
    updated_at: w.createdAt,
    updated_by: String(w.createdBy),
  };
}

function invalid(detail: string, source?: string): SandboxResponse {
  return zendeskJson(400, {
    errors: [{ code: 'InvalidValue', title: 'Invalid value', detail, ...(source ? { source: { pointer: source } } : {}) }],
  });
}

function notFound(id: string): SandboxResponse {
  return zendeskJson(404, { errors: [{ code: 'WebhookNotFound', title: 'Webhook not found', detail: `No webhook with id ${id}` }] });
}

export function mountZendeskWebhookRoutes(api: ZendeskApi, store: ZendeskStore, clock: () => number): void {
  api.add('GET', '/api/v2/webhooks{.json}', () =>
    zendeskJson(200, {
      webhooks: [...store.webhooks.values()].map(renderZendeskWebhook),
      meta: { has_more: false, after_cursor: null, before_cursor: null },
      links: { next: null, prev: null },
    }),
  );

  api.add('POST', '/api/v2/webhooks{.json}', (request, ctx) => {
    const parsed = parseZendeskBody(request.rawBody);
    if (!parsed.ok) return parsed.response;
    const draft = (parsed.body.webhook ?? {}) as Record<string, unknown>;
    if (typeof draft.name !== 'string' || !draft.name.trim()) return invalid('webhook.name is required', '/webhook/name');
    let endpoint: URL;
    try {
      endpoint = new URL(String(draft.endpoint));
      if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw new Error('not http');
    } catch {
      return invalid(`webhook.endpoint must be an http(s) URL, got ${JSON.stringify(draft.endpoint ?? null)}`, '/webhook/endpoint');
    }
    const subscriptions = Array.isArray(draft.subscriptions) ? (draft.subscriptions as unknown[]) : [];
    if (subscriptions.some((s) => typeof s !== 'string' || !(s.startsWith(ZENDESK_EVENT_PREFIX) || s === 'conditional_ticket_events')))
      return invalid(
        'webhook.subscriptions: each must be "conditional_ticket_events" or a "zen:event-type:..." event type',
        '/webhook/subscriptions',
      );
    const eventSubscriptions = subscriptions.some((s) => s !== 'conditional_ticket_events');
    if (eventSubscriptions && draft.http_method !== undefined && draft.http_method !== 'POST')
      return invalid('webhook.http_method must be POST for event subscriptions', '/webhook/http_method');
    if (draft.request_format !== undefined && draft.request_format !== 'json')
      return invalid('webhook.request_format: the sandbox supports json only', '/webhook/request_format');
    const webhook: ZendeskWebhook = {
      id: newZendeskWebhookId(),
      name: draft.name,
      status: draft.status === 'inactive' ? 'inactive' : 'active',
      endpoint: endpoint.toString(),
      httpMethod: 'POST',
      requestFormat: 'json',
      subscriptions: subscriptions as string[],
      signingSecret: newZendeskSigningSecret(),
      createdAt: new Date(clock()).toISOString().replace(/\.\d+Z$/, 'Z'),
      createdBy: ctx.caller.user.id,
    };
    store.webhooks.set(webhook.id, webhook);
    return zendeskJson(201, { webhook: renderZendeskWebhook(webhook) });
  });

  api.add('GET', '/api/v2/webhooks/:id/signing_secret{.json}', (request) => {
    const webhook = store.webhooks.get(request.params.id ?? '');
    if (!webhook) return notFound(request.params.id ?? '');
    return zendeskJson(200, { signing_secret: { algorithm: 'SHA256', secret: webhook.signingSecret } });
  });

  api.add('POST', '/api/v2/webhooks/:id/signing_secret{.json}', (request) => {
    const webhook = store.webhooks.get(request.params.id ?? '');
    if (!webhook) return notFound(request.params.id ?? '');
    webhook.signingSecret = newZendeskSigningSecret();
    return zendeskJson(200, { signing_secret: { algorithm: 'SHA256', secret: webhook.signingSecret } });
  });

  api.add('GET', '/api/v2/webhooks/:id{.json}', (request) => {
    const webhook = store.webhooks.get(request.params.id ?? '');
    return webhook ? zendeskJson(200, { webhook: renderZendeskWebhook(webhook) }) : notFound(request.params.id ?? '');
  });

  api.add('DELETE', '/api/v2/webhooks/:id{.json}', (request) => {
    if (!store.webhooks.delete(request.params.id ?? '')) return notFound(request.params.id ?? '');
    return { status: 204 };
  });
}
