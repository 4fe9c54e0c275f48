/**
 * Zendesk webhooks: verify the signature on the raw body with a freshness window (Zendesk prescribes
 * none; we allow 5 minutes either way), then parse event-subscription envelopes (one event per
 * request) into WebhookEvents. Events whose actor is Fieldcast's integration user are dropped: they
 * are the echo of our own write-back. Trigger webhooks with a `{ticket_id, updated_at}` template are
 * understood too.
 * https://developer.zendesk.com/documentation/webhooks/verifying/
 * https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 */
import { ZENDESK_SIGNATURE_MAX_AGE_MS, verifyZendeskSignature } from '@fieldcast/common';
import {
  ConnectorException,
  type WebhookEvent,
  type WebhookHandler,
  type WebhookParseResult,
  type WebhookRequest,
  type WebhookSecrets,
  type WebhookVerification,
} from '@fieldcast/connector-sdk';

const PREFIX = 'zen:event-type:';

interface ZendeskEnvelope {
  type?: unknown;
  id?: unknown;
  time?: unknown;
  subject?: unknown;
  detail?: { id?: unknown; actor_id?: unknown; updated_at?: unknown; via?: { channel?: unknown } };
  ticket_id?: unknown;
  updated_at?: unknown;
}

function kindOf(type: string): WebhookEvent['kind'] {
  if (type === 'ticket.created') return 'created';
  if (type === 'ticket.soft_deleted' || type === 'ticket.permanently_deleted' || type === 'ticket.marked_as_spam') return 'deleted';
  return 'updated';
}

export function createZendeskWebhookHandler(maxAgeMs = ZENDESK_SIGNATURE_MAX_AGE_MS): WebhookHandler {
  return {
    verify(request: WebhookRequest, secrets: WebhookSecrets): WebhookVerification {
      return verifyZendeskSignature({
        signingSecret: secrets.signingSecret ?? '',
        rawBody: request.rawBody,
        signature: request.headers['x-zendesk-webhook-signature'],
        timestamp: request.headers['x-zendesk-webhook-signature-timestamp'],
        now: request.receivedAt,
        maxAgeMs,
      });
    },

    parse(request: WebhookRequest, context: { integrationUserId?: string }): WebhookParseResult {
      let body: ZendeskEnvelope;
      try {
        body = JSON.parse(request.rawBody.toString('utf8')) as ZendeskEnvelope;
      } catch (error) {
        throw new ConnectorException('VALIDATION', `Zendesk webhook body is not JSON: ${(error as Error).message}`);
      }
      const received = new Date(request.receivedAt).toISOString();
      // Trigger / automation webhooks: whatever template the admin set; we understand {ticket_id, updated_at}.
      if (body.type === undefined && body.ticket_id !== undefined) {
        const id = String(body.ticket_id);
        if (!/^\d+$/.test(id))
          throw new ConnectorException(
            'VALIDATION',
            `Zendesk trigger webhook ticket_id is not a ticket id: ${JSON.stringify(body.ticket_id)}`,
          );
        const at = typeof body.updated_at === 'string' ? body.updated_at : received;
        return { events: [{ eventId: `${id}:${at}`, stream: 'tickets', externalId: id, kind: 'updated', occurredAt: at }], dropped: [] };
      }
      if (typeof body.type !== 'string' || typeof body.id !== 'string' || !body.detail)
        throw new ConnectorException(
          'VALIDATION',
          'Zendesk webhook body is neither an event-subscription envelope (type, id, detail) nor a {ticket_id} trigger payload',
        );
      const type = body.type.startsWith(PREFIX) ? body.type.slice(PREFIX.length) : body.type;
      if (!type.startsWith('ticket.')) return { events: [], dropped: [{ eventId: body.id, reason: `not a ticket event (${body.type})` }] };
      const ticketId = String(body.detail.id ?? String(body.subject ?? '').replace('zen:ticket:', ''));
      if (!/^\d+$/.test(ticketId)) throw new ConnectorException('VALIDATION', `Zendesk webhook event ${body.id} has no ticket id`);
      const actor = body.detail.actor_id === undefined || body.detail.actor_id === null ? undefined : String(body.detail.actor_id);
      if (actor !== undefined && context.integrationUserId !== undefined && actor === String(context.integrationUserId))
        return {
          events: [],
          dropped: [{ eventId: body.id, reason: `echo of Fieldcast's own write (actor ${actor} is the integration user)` }],
        };
      const event: WebhookEvent = {
        eventId: body.id,
        stream: 'tickets',
        externalId: ticketId,
        kind: kindOf(type),
        occurredAt: typeof body.time === 'string' ? body.time : received,
        ...(actor !== undefined ? { changeSource: `user:${actor}` } : {}),
      };
      return { events: [event], dropped: [] };
    },
  };
}

export const zendeskWebhookHandler = createZendeskWebhookHandler();
