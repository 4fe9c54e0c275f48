/**
 * HubSpot webhook payload (a JSON array of events) → normalized WebhookEvents for the synced streams.
 * Dropped, with the reason: IMPORT events (a bulk import is picked up by the next incremental sync
 * instead of thousands of single jobs), our own write-back echoed back (changeSource INTEGRATION/API
 * with our app id as sourceId), objects Fieldcast does not sync, and subscription types that do not
 * change a record. HubSpot does not promise unique eventIds, so the inbox key combines the eventId
 * with what the event is about; a redelivery (same fields, higher attemptNumber) keeps the same key.
 * https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
 */
import { ConnectorException, type WebhookEvent, type WebhookParseResult, type WebhookRequest } from '@fieldcast/connector-sdk';

const STREAMS: Record<string, string> = { contact: 'contacts', ticket: 'tickets' };
const KINDS: Record<string, WebhookEvent['kind']> = {
  creation: 'created',
  restore: 'created',
  propertyChange: 'updated',
  merge: 'updated',
  deletion: 'deleted',
  privacyDeletion: 'deleted',
};

interface HubSpotWebhookPayloadEvent {
  eventId?: number | string;
  subscriptionId?: number;
  portalId?: number;
  appId?: number;
  occurredAt?: number;
  subscriptionType?: string;
  eventType?: string;
  attemptNumber?: number;
  objectId?: number | string;
  propertyName?: string;
  changeSource?: string;
  sourceId?: string;
}

export function parseHubSpotWebhook(request: WebhookRequest, context: { integrationUserId?: string; appId?: string }): WebhookParseResult {
  let payload: unknown;
  try {
    payload = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new ConnectorException('VALIDATION', `HubSpot webhook body is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(payload)) throw new ConnectorException('VALIDATION', 'HubSpot webhook body must be a JSON array of events');
  const events: WebhookEvent[] = [];
  const dropped: WebhookParseResult['dropped'] = [];
  for (const raw of payload as HubSpotWebhookPayloadEvent[]) {
    const type = raw.subscriptionType ?? raw.eventType ?? '';
    const [prefix = '', action = ''] = type.split('.');
    const eventId = [
      raw.portalId ?? '',
      raw.subscriptionId ?? '',
      raw.eventId ?? '',
      raw.objectId ?? '',
      raw.propertyName ?? '',
      raw.occurredAt ?? '',
    ].join(':');
    const stream = STREAMS[prefix];
    const kind = KINDS[action];
    if (!stream) {
      dropped.push({ eventId, reason: `${type || 'an event without a type'} is not about a synced stream` });
      continue;
    }
    if (!kind || raw.objectId === undefined) {
      dropped.push({ eventId, reason: `${type} does not change a ${stream} record` });
      continue;
    }
    if (raw.changeSource === 'IMPORT') {
      dropped.push({ eventId, reason: 'IMPORT: picked up by the next incremental sync' });
      continue;
    }
    const ourApp = context.appId ?? context.integrationUserId;
    if (ourApp && (raw.changeSource === 'INTEGRATION' || raw.changeSource === 'API') && String(raw.sourceId ?? '') === String(ourApp)) {
      dropped.push({ eventId, reason: 'echo of a Fieldcast write (changeSource and sourceId are our app)' });
      continue;
    }
    events.push({
      eventId,
      stream,
      externalId: String(raw.objectId),
      kind,
      occurredAt: new Date(typeof raw.occurredAt === 'number' ? raw.occurredAt : request.receivedAt).toISOString(),
      ...(raw.changeSource ? { changeSource: raw.changeSource } : {}),
    });
  }
  return { events, dropped, acknowledgement: { contentType: 'application/json', body: JSON.stringify({ received: events.length }) } };
}
