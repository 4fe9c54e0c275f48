/**
 * HubSpot webhooks as the connector receives them: real deliveries from the sandbox to a local
 * receiver, verified on the raw bytes (v3 with the 5-minute window; v1 for legacy apps), forged and
 * stale requests rejected with a reason, and parsing that drops our own write-back echoes and IMPORT
 * events while keeping a CRM user's edits.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeHubSpotSignatureV1 } from '@fieldcast/common';
import type { WebhookRequest } from '@fieldcast/connector-sdk';
import { generateDemoData } from '@fieldcast/sandbox';
import { hubSpotWebhookHandler } from '../src/hubspot.connector';
import { liveIds, startHubSpotConnectorBed, type HubSpotConnectorBed } from './hubspot-connector.fixtures';

describe('HubSpot connector: webhooks', () => {
  let bed: HubSpotConnectorBed;
  let receiver: Server;
  let publicUrl = '';
  let received: WebhookRequest[] = [];
  let secret = '';
  const appId = '1160452';

  const toRequest = (req: IncomingMessage, rawBody: Buffer): WebhookRequest => ({
    method: req.method ?? 'POST',
    url: req.url ?? '/',
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
    rawBody,
    receivedAt: Date.now(),
  });

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(toRequest(req, Buffer.concat(chunks)));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    publicUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot/conn-hubspot-test`;
    bed = await startHubSpotConnectorBed({ data: generateDemoData({ leads: 50, tickets: 10, seed: 2 }) });
    secret = (bed.sandbox.credentials() as { webhookSigningSecret: string }).webhookSigningSecret;
  });
  afterAll(async () => {
    await bed.sandbox.stop();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(async () => {
    await bed.control('POST', '/reset');
    received = [];
    await bed.control('POST', '/webhooks', { targetUrl: publicUrl, batchWindowMs: 5 });
  });

  it('verifies real deliveries and drops the echo of its own write-back, keeping the CRM user edit', async () => {
    const [a, b] = liveIds(bed.sandbox, 'contacts');
    await bed.connector.writeBatch(bed.context().ctx, {
      stream: 'contacts',
      ops: [{ opId: 'w1', externalId: a!, fields: { jobtitle: 'Scored by Fieldcast' } }],
    });
    await bed.control('PATCH', `/records/tickets/${liveIds(bed.sandbox, 'tickets')[0]}`, { properties: { hs_ticket_priority: 'URGENT' } });
    await bed.control('PATCH', `/records/contacts/${b}`, { properties: { jobtitle: 'Changed by a person' } });
    await bed.control('POST', '/webhooks/flush');
    expect(received.length).toBeGreaterThan(0);
    const events = [];
    const dropped = [];
    for (const request of received) {
      expect(hubSpotWebhookHandler.verify(request, { signingSecret: secret, publicUrl })).toEqual({ ok: true });
      const parsed = hubSpotWebhookHandler.parse(request, { appId });
      events.push(...parsed.events);
      dropped.push(...parsed.dropped);
      expect(JSON.parse(parsed.acknowledgement!.body)).toEqual({ received: parsed.events.length });
    }
    expect(events.map((e) => [e.stream, e.externalId, e.kind, e.changeSource])).toEqual(
      expect.arrayContaining([
        ['contacts', b, 'updated', 'CRM_UI'],
        ['tickets', expect.any(String), 'updated', 'CRM_UI'],
      ]),
    );
    expect(events.map((e) => e.externalId)).not.toContain(a);
    expect(dropped).toEqual([{ eventId: expect.any(String), reason: expect.stringContaining('echo of a Fieldcast write') }]);
  });

  it('rejects a forged signature and a stale (6-minute-old) request, with reasons; a wrong secret fails too', async () => {
    for (const tamper of ['none', 'signature', 'stale-timestamp']) {
      await bed.control('POST', '/webhooks/fire', {
        subscriptionType: 'contact.propertyChange',
        objectId: 51,
        propertyName: 'email',
        propertyValue: 'x@y.z',
        tamper,
      });
    }
    const [good, forged, stale] = received;
    expect(hubSpotWebhookHandler.verify(good!, { signingSecret: secret, publicUrl })).toEqual({ ok: true });
    expect(hubSpotWebhookHandler.verify(forged!, { signingSecret: secret, publicUrl })).toEqual({
      ok: false,
      reason: 'v3 signature mismatch',
    });
    expect(hubSpotWebhookHandler.verify(stale!, { signingSecret: secret, publicUrl })).toEqual({
      ok: false,
      reason: expect.stringContaining('stale timestamp'),
    });
    expect(hubSpotWebhookHandler.verify(good!, { signingSecret: 'another-app-secret', publicUrl }).ok).toBe(false);
    expect(hubSpotWebhookHandler.verify(good!, { signingSecret: secret }).ok).toBe(false);
    // The same bytes with one changed character fail.
    const tampered = { ...good!, rawBody: Buffer.from(good!.rawBody.toString().replace('x@y.z', 'x@y.q')) };
    expect(hubSpotWebhookHandler.verify(tampered, { signingSecret: secret, publicUrl }).ok).toBe(false);
  });

  it('accepts v1 signatures from legacy apps and matches the v3 URI through a proxy path prefix', async () => {
    await bed.control('POST', '/webhooks/fire', { subscriptionType: 'contact.creation', objectId: 52, changeSource: 'CRM_UI' });
    const [delivery] = received;
    const { ['x-hubspot-signature-v3']: _v3, ...legacyHeaders } = delivery!.headers;
    const legacy = { ...delivery!, headers: legacyHeaders };
    expect(legacy.headers['x-hubspot-signature']).toBe(computeHubSpotSignatureV1(secret, delivery!.rawBody));
    expect(hubSpotWebhookHandler.verify(legacy, { signingSecret: secret, publicUrl })).toEqual({ ok: true });
    // Behind a proxy the app sees a shorter path; the configured public URL is what HubSpot signed.
    const proxied = { ...delivery!, url: '/conn-hubspot-test' };
    expect(hubSpotWebhookHandler.verify(proxied, { signingSecret: secret, publicUrl })).toEqual({ ok: true });
  });

  it('drops IMPORT events and objects it does not sync, keeps creations and deletions', async () => {
    await bed.control('POST', '/webhooks/fire', {
      events: [
        { subscriptionType: 'contact.creation', objectId: 60, changeSource: 'IMPORT' },
        { subscriptionType: 'deal.creation', objectId: 701, changeSource: 'CRM_UI' },
        { subscriptionType: 'contact.deletion', objectId: 61, changeSource: 'CRM_UI' },
        { subscriptionType: 'ticket.creation', objectId: 905, changeSource: 'CRM_UI', eventId: 77 },
        {
          subscriptionType: 'contact.propertyChange',
          objectId: 62,
          changeSource: 'INTEGRATION',
          sourceId: '999',
          propertyName: 'jobtitle',
        },
      ],
    });
    const parsed = hubSpotWebhookHandler.parse(received[0]!, { appId });
    expect(parsed.events.map((e) => [e.stream, e.externalId, e.kind])).toEqual([
      ['contacts', '61', 'deleted'],
      ['tickets', '905', 'created'],
      ['contacts', '62', 'updated'],
    ]);
    expect(parsed.dropped.map((d) => d.reason)).toEqual([
      expect.stringContaining('IMPORT'),
      expect.stringContaining('not about a synced stream'),
    ]);
    // A redelivery of the same event keeps its inbox key; the key is more than HubSpot's non-unique eventId.
    const again = hubSpotWebhookHandler.parse(
      { ...received[0]!, rawBody: Buffer.from(received[0]!.rawBody.toString().replace(/"attemptNumber":0/g, '"attemptNumber":1')) },
      { appId },
    );
    expect(again.events.map((e) => e.eventId)).toEqual(parsed.events.map((e) => e.eventId));
    expect(() => hubSpotWebhookHandler.parse({ ...received[0]!, rawBody: Buffer.from('{"not":"an array"}') }, { appId })).toThrow(
      'JSON array',
    );
  });
});
