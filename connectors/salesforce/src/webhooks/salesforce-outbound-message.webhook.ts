/**
 * Outbound Messages (SOAP `notifications`, up to 100 per POST). They carry no signature: a request is
 * authentic when its OrganizationId is the connection's org and the URL carries the per-connection
 * secret (`/webhooks/salesforce/<connectionId>/<secret>`), both compared timing-safe on the raw body.
 * Each Notification Id is the event id (redeliveries repeat it); changes made by the integration user
 * (LastModifiedById) are our own write-backs echoed back and are dropped.
 * https://developer.salesforce.com/docs/platform/api/guide/sforce-api-om-outboundmessaging-wsdl.html
 */
import { timingSafeEqual } from 'node:crypto';
import type {
  WebhookEvent,
  WebhookHandler,
  WebhookParseResult,
  WebhookRequest,
  WebhookSecrets,
  WebhookVerification,
} from '@fieldcast/connector-sdk';
import { XMLParser } from 'fast-xml-parser';
import { salesforceDateTimeToIso } from '../mappers/salesforce-record.mapper';

const OUTBOUND_NAMESPACE = 'http://soap.sforce.com/2005/09/outbound';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export const SALESFORCE_OUTBOUND_ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
  <soapenv:Body>
    <notificationsResponse xmlns="${OUTBOUND_NAMESPACE}">
      <Ack>true</Ack>
    </notificationsResponse>
  </soapenv:Body>
</soapenv:Envelope>`;

const STREAM_BY_OBJECT: Record<string, string> = { Lead: 'leads', Case: 'cases' };

interface SalesforceNotification {
  notificationId: string;
  object: string;
  fields: Record<string, string>;
}

interface SalesforceNotifications {
  organizationId: string;
  actionId: string;
  notifications: SalesforceNotification[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  // Only the predefined XML entities (&amp; …) are decoded; DOCTYPE is refused before parsing.
  processEntities: true,
  isArray: (name) => name === 'Notification',
});

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const text = (value as Record<string, unknown>)['#text'];
    return text === undefined ? '' : String(text);
  }
  return String(value);
}

/** Parses the SOAP envelope; throws an Error saying what is wrong. */
export function parseSalesforceOutboundMessage(rawBody: Buffer): SalesforceNotifications {
  if (rawBody.length > MAX_BODY_BYTES) throw new Error(`body of ${rawBody.length} bytes exceeds ${MAX_BODY_BYTES}`);
  const text = rawBody.toString('utf8');
  if (/<!DOCTYPE/i.test(text)) throw new Error('DOCTYPE is not allowed in an outbound message');
  const doc = parser.parse(text) as Record<string, unknown>;
  const envelope = doc.Envelope as Record<string, unknown> | undefined;
  const body = envelope?.Body as Record<string, unknown> | undefined;
  const notifications = body?.notifications as Record<string, unknown> | undefined;
  if (!notifications) throw new Error('not a SOAP Envelope/Body/notifications document');
  // The parser drops namespace declarations (removeNSPrefix), so read the one on <notifications> from the text.
  const namespace = /<(?:[\w-]+:)?notifications\b[^>]*\sxmlns(?::[\w-]+)?="([^"]*)"/.exec(text)?.[1];
  if (namespace !== OUTBOUND_NAMESPACE) {
    throw new Error(`notifications is in namespace ${namespace ?? '(none)'}, expected ${OUTBOUND_NAMESPACE}`);
  }
  const list = (notifications.Notification as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    organizationId: asText(notifications.OrganizationId),
    actionId: asText(notifications.ActionId),
    notifications: list.map((n) => {
      const sObject = (n.sObject ?? {}) as Record<string, unknown>;
      const type = asText(sObject['@_type']).replace(/^[^:]*:/, '');
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(sObject)) if (!key.startsWith('@_')) fields[key] = asText(value);
      return { notificationId: asText(n.Id), object: type, fields };
    }),
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const salesforceOutboundMessageWebhook: WebhookHandler = {
  verify(request: WebhookRequest, secrets: WebhookSecrets): WebhookVerification {
    if (request.method.toUpperCase() !== 'POST') return { ok: false, reason: `outbound messages are POSTed, got ${request.method}` };
    if (!secrets.organizationId)
      return { ok: false, reason: 'the connection has no Salesforce organization id to check outbound messages against' };
    if (secrets.signingSecret) {
      const path = request.url.split('?')[0].replace(/\/+$/, '');
      const urlSecret = path.slice(path.lastIndexOf('/') + 1);
      if (!safeEqual(urlSecret, secrets.signingSecret)) return { ok: false, reason: 'the URL secret does not match this connection' };
    }
    let message: SalesforceNotifications;
    try {
      message = parseSalesforceOutboundMessage(request.rawBody);
    } catch (error) {
      return { ok: false, reason: `not a Salesforce outbound message: ${(error as Error).message}` };
    }
    // Compare 15-character prefixes too: orgs show both forms, the 18-character one is case-safe.
    const expected = secrets.organizationId;
    const got = message.organizationId;
    const matches = got.length === expected.length ? safeEqual(got, expected) : safeEqual(got.slice(0, 15), expected.slice(0, 15));
    if (!matches) return { ok: false, reason: 'OrganizationId does not belong to this connection' };
    return { ok: true };
  },

  parse(request: WebhookRequest, context: { integrationUserId?: string }): WebhookParseResult {
    const message = parseSalesforceOutboundMessage(request.rawBody);
    const events: WebhookEvent[] = [];
    const dropped: WebhookParseResult['dropped'] = [];
    for (const n of message.notifications) {
      const stream = STREAM_BY_OBJECT[n.object];
      const externalId = n.fields.Id ?? '';
      if (!stream || !externalId) {
        dropped.push({
          eventId: n.notificationId,
          reason: stream ? 'notification without sObject Id' : `object ${n.object || '(none)'} is not synced by Fieldcast`,
        });
        continue;
      }
      const by = n.fields.LastModifiedById;
      if (by && context.integrationUserId && by.slice(0, 15) === context.integrationUserId.slice(0, 15)) {
        dropped.push({ eventId: n.notificationId, reason: "echo of Fieldcast's own write (LastModifiedById is the integration user)" });
        continue;
      }
      const stamp = n.fields.SystemModstamp;
      events.push({
        eventId: n.notificationId,
        stream,
        externalId,
        kind: 'updated',
        occurredAt: stamp ? salesforceDateTimeToIso(stamp) : new Date(request.receivedAt).toISOString(),
        changeSource: by,
      });
    }
    return { events, dropped, acknowledgement: { contentType: 'text/xml; charset=utf-8', body: SALESFORCE_OUTBOUND_ACK } };
  },
};
