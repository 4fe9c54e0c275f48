/**
 * Zendesk sandbox, webhooks: event-subscription envelopes POSTed to a receiver when tickets change,
 * signed per the Zendesk docs (verified with the shared helper in @fieldcast/common), retried on
 * failure with the same event id, the Webhooks API through node-zendesk, and the documented test vector.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeZendeskSignature, verifyZendeskSignature } from '@fieldcast/common';
import { sdk, startZendeskTestBed, zendeskDemoTickets, type ZendeskTestBed } from './zendesk-sandbox.helpers';

interface Received {
  headers: IncomingMessage['headers'];
  raw: Buffer;
  body: { type: string; id: string; subject: string; account_id: number; detail: Record<string, unknown>; event: Record<string, unknown> };
}

describe('Zendesk sandbox: webhooks', () => {
  let bed: ZendeskTestBed;
  let receiver: Server;
  let receiverUrl = '';
  const received: Received[] = [];
  /** Status codes to answer with, in order; 200 once exhausted. */
  let script: number[] = [];

  beforeAll(async () => {
    bed = await startZendeskTestBed();
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(20) });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        received.push({ headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) as Received['body'] });
        res.writeHead(script.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zendesk/conn-1`;
    await bed.control('POST', 'settings', { webhookRetryDelayMs: 20, webhookMaxAttempts: 4 });
    await bed.control('POST', 'webhooks/target', { url: receiverUrl });
  });
  afterAll(async () => {
    await bed.sandbox.stop();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
    script = [];
  });

  it('POSTs signed ticket events when a ticket changes, with the actor telling Fieldcast writes apart', async () => {
    await bed.client.tickets.update(2, { ticket: { priority: 'urgent', additional_tags: ['escalated'] } } as never);
    await bed.sandbox.webhooks.idle();
    expect(received.map((r) => r.body.type).sort()).toEqual([
      'zen:event-type:ticket.priority_changed',
      'zen:event-type:ticket.tags_changed',
    ]);
    const priority = received.find((r) => r.body.type.endsWith('priority_changed'))!;
    expect(priority.body).toMatchObject({
      account_id: 12_514_403,
      subject: 'zen:ticket:2',
      zendesk_event_version: '2022-11-06',
      detail: { id: '2', actor_id: String(bed.credentials.integrationUserId), priority: 'URGENT', status: 'OPEN' },
      event: { current: 'URGENT', previous: 'NORMAL', meta: { sequence: { position: expect.any(Number), total: 2 } } },
    });
    const tags = received.find((r) => r.body.type.endsWith('tags_changed'))!;
    expect(tags.body.event).toMatchObject({ tags_added: ['escalated'], tags_removed: [] });
    expect(priority.headers['user-agent']).toBe('Zendesk Webhook');
    expect(priority.headers['x-zendesk-webhook-id']).toBe(bed.credentials.webhook.id);
    const check = verifyZendeskSignature({
      signingSecret: bed.credentials.webhook.signingSecret,
      rawBody: priority.raw,
      signature: priority.headers['x-zendesk-webhook-signature'] as string,
      timestamp: priority.headers['x-zendesk-webhook-signature-timestamp'] as string,
    });
    expect(check).toEqual({ ok: true });
    expect(priority.headers['x-zendesk-webhook-signature-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // A human agent's change carries the human's id.
    await bed.control('POST', 'tickets/touch', { ids: [3], changes: { status: 'pending' } });
    await bed.sandbox.webhooks.idle();
    expect(received.at(-1)!.body.detail.actor_id).toBe(String(bed.credentials.humanAgent.userId));
  });

  it('retries failed deliveries (5xx) with the same event id, re-signed, and gives up on other 4xx', async () => {
    script = [500, 503];
    await bed.client.tickets.update(4, { ticket: { subject: 'Retry me' } } as never);
    await bed.sandbox.webhooks.idle();
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body.id)).size).toBe(1);
    for (const r of received)
      expect(
        verifyZendeskSignature({
          signingSecret: bed.credentials.webhook.signingSecret,
          rawBody: r.raw,
          signature: r.headers['x-zendesk-webhook-signature'] as string,
          timestamp: r.headers['x-zendesk-webhook-signature-timestamp'] as string,
        }),
      ).toEqual({ ok: true });
    const deliveries = await bed.control<{ deliveries: Array<{ eventId: string; state: string; attempts: Array<{ status: number }> }> }>(
      'GET',
      'webhooks/deliveries',
    );
    const delivery = deliveries.body.deliveries.find((d) => d.eventId === received[0]!.body.id)!;
    expect(delivery).toMatchObject({ state: 'delivered', attempts: [{ status: 500 }, { status: 503 }, { status: 200 }] });

    received.length = 0;
    script = [401];
    await bed.client.tickets.update(5, { ticket: { subject: 'Refused' } } as never);
    await bed.sandbox.webhooks.idle();
    expect(received).toHaveLength(1);
  });

  it('fires an event on demand, optionally signed with the static test secret', async () => {
    const fired = await bed.control<{ deliveries: Array<{ state: string }> }>('POST', 'webhooks/fire', {
      ticketId: 1,
      type: 'ticket.created',
      test: true,
    });
    expect(fired.body.deliveries[0]!.state).toBe('delivered');
    const r = received.at(-1)!;
    expect(r.body.type).toBe('zen:event-type:ticket.created');
    expect(r.headers['x-zendesk-webhook-signature']).toBe(
      computeZendeskSignature(
        bed.credentials.webhook.testSigningSecret,
        r.headers['x-zendesk-webhook-signature-timestamp'] as string,
        r.raw,
      ),
    );
    const unknown = await bed.control('POST', 'webhooks/fire', { ticketId: 1, type: 'ticket.exploded' });
    expect(unknown.status).toBe(400);
  });

  it('manages webhooks and signing secrets through node-zendesk (bare paths)', async () => {
    const created = await sdk<{ id: string; subscriptions: string[] }>(
      bed.client.webhooks.create({
        webhook: {
          name: 'Fieldcast',
          endpoint: receiverUrl,
          http_method: 'POST',
          request_format: 'json',
          status: 'active',
          subscriptions: ['zen:event-type:ticket.created'],
        },
      }),
    );
    expect(created.response.status).toBe(201);
    const secret = await sdk<{ signing_secret: { algorithm: string; secret: string } }>(
      bed.client.webhooks.getSigningSecret(created.result.id),
    );
    expect(secret.result.signing_secret.algorithm).toBe('SHA256');
    const reset = await sdk<{ signing_secret: { secret: string } }>(bed.client.webhooks.resetSigningSecret(created.result.id));
    expect(reset.result.signing_secret.secret).not.toBe(secret.result.signing_secret.secret);
    const listed = (await bed.client.webhooks.list()) as unknown as Array<{ id: string }>;
    expect(listed.map((w) => w.id)).toEqual([bed.credentials.webhook.id, created.result.id]);
    // A ticket created now reaches both webhooks, each signed with its own secret.
    await bed.client.tickets.create({ ticket: { subject: 'New', comment: { body: 'Hello' } } } as never);
    await bed.sandbox.webhooks.idle();
    const createdEvents = received.filter((r) => r.body.type === 'zen:event-type:ticket.created');
    expect(createdEvents.map((r) => r.headers['x-zendesk-webhook-id']).sort()).toEqual(
      [bed.credentials.webhook.id, created.result.id].sort(),
    );
    const mine = createdEvents.find((r) => r.headers['x-zendesk-webhook-id'] === created.result.id)!;
    expect(
      verifyZendeskSignature({
        signingSecret: reset.result.signing_secret.secret,
        rawBody: mine.raw,
        signature: mine.headers['x-zendesk-webhook-signature'] as string,
        timestamp: mine.headers['x-zendesk-webhook-signature-timestamp'] as string,
      }),
    ).toEqual({ ok: true });
    await expect(bed.client.webhooks.create({ webhook: { name: 'bad', endpoint: 'ftp://x' } })).rejects.toThrow('Zendesk Error (400)');
    await bed.client.webhooks.delete(created.result.id);
  });

  it('reproduces the Zendesk signature test vector from vendor-apis.md', () => {
    expect(
      computeZendeskSignature(
        'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
        '2021-03-25T05:09:27Z',
        '{"event":"ticket.updated","id":123}',
      ),
    ).toBe('S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM=');
  });
});
