/**
 * Zendesk connector webhooks against the sandbox's real deliveries: a receiver verifies the signature
 * on the raw bytes (freshness window), parses envelopes into WebhookEvents, drops the echo of
 * Fieldcast's own writes, and refuses forged and stale requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeZendeskSignature } from '@fieldcast/common';
import type { WebhookParseResult, WebhookRequest } from '@fieldcast/connector-sdk';
import { ZendeskConnector } from '@fieldcast/connector-zendesk';
import { makeContext, startZendeskTestBed, zendeskDemoTickets, type ZendeskTestBed } from './zendesk-connector.helpers';

const connector = new ZendeskConnector({ retryBaseMs: 50, write: { pollIntervalMs: 20 } });
const handler = connector.webhooks;

describe('Zendesk connector: webhooks', () => {
  let bed: ZendeskTestBed;
  let receiver: Server;
  const accepted: WebhookParseResult[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    bed = await startZendeskTestBed();
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(20) });
    await bed.control('POST', 'settings', { jobStepMs: 5, webhookRetryDelayMs: 10, webhookMaxAttempts: 1 });
    // The ingress the API app will have: verify on raw bytes, 401 when it fails, parse when it passes.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = toWebhookRequest(
          req.method ?? 'POST',
          req.url ?? '/',
          req.headers as Record<string, string>,
          Buffer.concat(chunks),
        );
        const verdict = handler.verify(request, { signingSecret: bed.credentials.webhook.signingSecret });
        if (!verdict.ok) {
          refused.push(verdict.reason);
          res.writeHead(401).end();
          return;
        }
        accepted.push(handler.parse(request, { integrationUserId: String(bed.credentials.integrationUserId) }));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await bed.control('POST', 'webhooks/target', {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zendesk/conn-1`,
    });
  });
  afterAll(async () => {
    await bed.sandbox.stop();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });
  beforeEach(() => {
    accepted.length = 0;
    refused.length = 0;
  });

  it('accepts signed events for human changes and drops the echo of Fieldcast write-back', async () => {
    const { ctx } = makeContext(bed);
    await connector.ensureFields(ctx, 'tickets', connector.fieldSpecs(ctx));
    await bed.control('POST', 'tickets/touch', { ids: [2], changes: { priority: 'urgent' } });
    await connector.writeBatch(ctx, {
      stream: 'tickets',
      ops: [{ opId: 'op-1', externalId: '3', fields: { 'Fieldcast Escalation Risk': 0.9 } }],
    });
    await bed.sandbox.webhooks.idle();
    expect(refused).toEqual([]);
    const events = accepted.flatMap((a) => a.events);
    const dropped = accepted.flatMap((a) => a.dropped);
    expect(events).toEqual([
      expect.objectContaining({
        stream: 'tickets',
        externalId: '2',
        kind: 'updated',
        changeSource: `user:${bed.credentials.humanAgent.userId}`,
      }),
    ]);
    expect(dropped).toEqual([{ eventId: expect.any(String), reason: expect.stringContaining('echo of Fieldcast') }]);
  });

  it('maps created and deleted tickets to created / deleted events with the vendor event id', async () => {
    await bed
      .clientFor({ email: bed.credentials.humanAgent.email })
      .tickets.create({ ticket: { subject: 'New', comment: { body: 'Hi' } } } as never);
    await bed.clientFor({ email: bed.credentials.humanAgent.email }).tickets.delete(5);
    await bed.sandbox.webhooks.idle();
    const events = accepted.flatMap((a) => a.events);
    expect(events.map((e) => e.kind)).toEqual(['created', 'deleted']);
    const deliveries = await bed.control<{ deliveries: Array<{ eventId: string }> }>('GET', 'webhooks/deliveries');
    expect(deliveries.body.deliveries.map((d) => d.eventId)).toEqual(expect.arrayContaining(events.map((e) => e.eventId)));
  });

  it('refuses forged, stale and unsigned requests', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'zen:event-type:ticket.created', id: 'x', detail: { id: '1' } }));
    const now = Date.now();
    const fresh = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    const secret = bed.credentials.webhook.signingSecret;
    const signed = (timestamp: string, key = secret) => ({
      'x-zendesk-webhook-signature': computeZendeskSignature(key, timestamp, body),
      'x-zendesk-webhook-signature-timestamp': timestamp,
    });
    const verify = (headers: Record<string, string>, raw = body) =>
      handler.verify(toWebhookRequest('POST', '/', headers, raw, now), { signingSecret: secret });
    expect(verify(signed(fresh))).toEqual({ ok: true });
    expect(verify(signed(fresh, 'some other secret'))).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verify(signed(fresh), Buffer.from(body.toString().replace('"1"', '"2"')))).toEqual({ ok: false, reason: 'signature mismatch' });
    const tenMinutesAgo = new Date(now - 600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(verify(signed(tenMinutesAgo))).toMatchObject({ ok: false, reason: expect.stringContaining('stale timestamp') });
    expect(verify({})).toMatchObject({ ok: false, reason: 'missing X-Zendesk-Webhook-Signature header' });

    // Over HTTP: a forged request is answered 401 and nothing is parsed.
    const port = (receiver.address() as AddressInfo).port;
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/zendesk/conn-1`, {
      method: 'POST',
      headers: signed(fresh, 'forged'),
      body,
    });
    expect(response.status).toBe(401);
    expect(accepted).toEqual([]);
  });

  it('parses trigger webhooks with a {ticket_id} template and rejects bodies it cannot read', () => {
    const parse = (raw: string) => handler.parse(toWebhookRequest('POST', '/', {}, Buffer.from(raw)), {});
    expect(parse('{"ticket_id":"42","updated_at":"2026-01-01T00:00:00Z"}').events).toEqual([
      { eventId: '42:2026-01-01T00:00:00Z', stream: 'tickets', externalId: '42', kind: 'updated', occurredAt: '2026-01-01T00:00:00Z' },
    ]);
    expect(() => parse('not json')).toThrow('Zendesk webhook body is not JSON');
    expect(() => parse('{"hello":1}')).toThrow('neither an event-subscription envelope');
    expect(parse('{"type":"zen:event-type:user.created","id":"u1","detail":{"id":"5"}}')).toEqual({
      events: [],
      dropped: [{ eventId: 'u1', reason: 'not a ticket event (zen:event-type:user.created)' }],
    });
  });
});

function toWebhookRequest(
  method: string,
  url: string,
  headers: Record<string, string | undefined>,
  rawBody: Buffer,
  receivedAt = Date.now(),
): WebhookRequest {
  return { method, url, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), rawBody, receivedAt };
}
