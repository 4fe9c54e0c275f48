/**
 * Webhooks from the HubSpot sandbox to a real local receiver: JSON arrays of events signed v1 and v3
 * (verified with the shared helper), changeSource/sourceId telling our integration's writes from a
 * CRM user's, batches of at most 100, retries with backoff and a growing attemptNumber, timeouts,
 * and forged / stale requests on demand.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeHubSpotSignatureV3, verifyHubSpotSignature } from '@fieldcast/common';
import { generateDemoData } from '../src/data/demo-data.generator';
import { startHubSpotTestBed, type HubSpotTestBed } from './hubspot-sandbox.fixtures';

interface Received {
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  events: Array<Record<string, unknown>>;
  url: string;
}

type Reply = (request: Received) => Promise<number> | number;

describe('HubSpot sandbox: webhooks', () => {
  let bed: HubSpotTestBed;
  let receiver: Server;
  let targetUrl = '';
  let received: Received[] = [];
  let reply: Reply = () => 204;
  let secret = '';

  const verify = (r: Received) =>
    verifyHubSpotSignature({
      version: 'v3',
      clientSecret: secret,
      method: 'POST',
      uri: targetUrl,
      rawBody: r.rawBody,
      signature: r.headers['x-hubspot-signature-v3'] as string,
      timestamp: r.headers['x-hubspot-request-timestamp'] as string,
    });

  const waitFor = async (predicate: () => boolean, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for webhook deliveries');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const rawBody = Buffer.concat(chunks);
        const entry = {
          headers: req.headers,
          rawBody,
          events: JSON.parse(rawBody.toString('utf8')) as Array<Record<string, unknown>>,
          url: req.url ?? '',
        };
        received.push(entry);
        const status = await reply(entry);
        if (!res.destroyed) res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot/conn-1?source=sandbox`;
    bed = await startHubSpotTestBed({ data: generateDemoData({ leads: 200, tickets: 20, seed: 5 }), rateLimit: { enabled: false } });
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
    reply = () => 204;
    expect(
      (await bed.control('POST', '/webhooks', { targetUrl, batchWindowMs: 10, retryBaseMs: 40, maxAttempts: 4, timeoutMs: 300 })).status,
    ).toBe(200);
  });

  it('delivers signed JSON arrays; our integration writes carry INTEGRATION + the app id, a CRM user edit CRM_UI + the user', async () => {
    const hubspot = bed.client();
    const [a, b] = bed.sandbox.stores.contacts.all();
    await hubspot.crm.contacts.batchApi.update({ inputs: [{ id: a!.id, properties: { jobtitle: 'VP Sales' } }] });
    await bed.control('PATCH', `/records/contacts/${b!.id}`, { properties: { jobtitle: 'Edited by a user' } });
    await bed.control('POST', '/webhooks/flush');
    await waitFor(() => received.flatMap((r) => r.events).length >= 2);

    for (const r of received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(verify(r)).toEqual({ ok: true });
      expect(
        verifyHubSpotSignature({
          version: 'v1',
          clientSecret: secret,
          method: 'POST',
          rawBody: r.rawBody,
          signature: r.headers['x-hubspot-signature'] as string,
        }),
      ).toEqual({
        ok: true,
      });
      expect(r.headers['x-hubspot-signature-version']).toBe('v1');
      expect(r.url).toBe('/webhooks/hubspot/conn-1?source=sandbox');
    }
    const events = received.flatMap((r) => r.events);
    const ours = events.find((e) => e.objectId === Number(a!.id))!;
    expect(ours).toMatchObject({
      subscriptionType: 'contact.propertyChange',
      propertyName: 'jobtitle',
      propertyValue: 'VP Sales',
      changeSource: 'INTEGRATION',
      sourceId: '1160452',
      attemptNumber: 0,
      portalId: 62515,
      appId: 1160452,
      eventId: expect.any(Number),
      subscriptionId: expect.any(Number),
      occurredAt: expect.any(Number),
    });
    const theirs = events.find((e) => e.objectId === Number(b!.id))!;
    expect(theirs).toMatchObject({
      propertyName: 'jobtitle',
      propertyValue: 'Edited by a user',
      changeSource: 'CRM_UI',
      sourceId: 'userId:2002',
    });
  });

  it('sends creation and deletion events, and at most 100 events per request', async () => {
    const hubspot = bed.client();
    const created = await hubspot.crm.tickets.basicApi.create({
      properties: { subject: 'Printer on fire', hs_pipeline_stage: '1' },
      associations: [],
    });
    await hubspot.crm.tickets.basicApi.archive(created.id);
    await bed.control('POST', '/records/contacts/touch', { count: 150, properties: { jobtitle: 'Chief Touch Officer' } });
    await bed.control('POST', '/webhooks/flush');
    const events = received.flatMap((r) => r.events);
    expect(events.filter((e) => e.subscriptionType === 'ticket.creation' && e.objectId === Number(created.id))[0]).toMatchObject({
      changeFlag: 'NEW',
    });
    expect(events.some((e) => e.subscriptionType === 'ticket.deletion' && e.objectId === Number(created.id))).toBe(true);
    expect(events.filter((e) => e.subscriptionType === 'contact.propertyChange')).toHaveLength(150);
    expect(Math.max(...received.map((r) => r.events.length))).toBeLessThanOrEqual(100);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('retries failed deliveries with backoff and a growing attemptNumber until the target accepts', async () => {
    let calls = 0;
    reply = () => (++calls <= 2 ? 500 : 200);
    const [a] = bed.sandbox.stores.contacts.all();
    await bed.control('PATCH', `/records/contacts/${a!.id}`, { properties: { jobtitle: 'Retry Me' } });
    await waitFor(() => received.length >= 3);
    expect(received.map((r) => r.events[0]!.attemptNumber)).toEqual([0, 1, 2]);
    expect(received.map((r) => r.events[0]!.eventId)).toEqual(Array(3).fill(received[0]!.events[0]!.eventId));
    expect(received.every((r) => verify(r).ok)).toBe(true);
    const report = await bed.control<{
      deliveries: Array<{ attemptNumber: number; status: number; at: string }>;
      counters: Record<string, number>;
    }>('GET', '/webhooks');
    expect(report.body.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    const [t0, t1, t2] = report.body.deliveries.map((d) => Date.parse(d.at));
    expect(t1! - t0!).toBeGreaterThanOrEqual(35);
    expect(t2! - t1!).toBeGreaterThanOrEqual(75);
    expect(report.body.counters).toMatchObject({ delivered: 1, failedAttempts: 2, gaveUp: 0 });
  });

  it('counts a slow target as failed, gives up after maxAttempts, and records why', async () => {
    reply = () => new Promise((r) => setTimeout(() => r(200), 500));
    const [a] = bed.sandbox.stores.contacts.all();
    await bed.control('POST', '/webhooks', { maxAttempts: 2, retryBaseMs: 10 });
    await bed.control('PATCH', `/records/contacts/${a!.id}`, { properties: { jobtitle: 'Slow' } });
    await waitFor(() => received.length >= 2);
    await waitFor(() => bed.sandbox.webhooks.report().counters.gaveUp === 1);
    const report = bed.sandbox.webhooks.report();
    expect(report.deliveries.map((d) => d.status)).toEqual([null, null]);
    expect(report.deliveries[0]!.error).toContain('did not answer within 300 ms');
    expect(report.deliveries.at(-1)!.final).toBe(true);
  });

  it('fires forged and stale requests on demand, which the shared verifier rejects with a reason', async () => {
    const fire = (tamper: string) =>
      bed.control<{ response: { status: number } }>('POST', '/webhooks/fire', {
        subscriptionType: 'contact.creation',
        objectId: 51,
        changeSource: 'CRM',
        tamper,
      });
    expect((await fire('none')).body.response.status).toBe(204);
    await fire('signature');
    await fire('stale-timestamp');
    expect(received).toHaveLength(3);
    expect(verify(received[0]!)).toEqual({ ok: true });
    expect(verify(received[1]!)).toEqual({ ok: false, reason: 'v3 signature mismatch' });
    expect(verify(received[2]!)).toEqual({ ok: false, reason: expect.stringContaining('stale timestamp') });
    expect(received[0]!.events[0]).toMatchObject({ subscriptionType: 'contact.creation', objectId: 51, attemptNumber: 0 });
  });

  it('signs the v3 URI with the escapes HubSpot decodes, which the shared verifier accepts from the URL as registered', async () => {
    const escapedTarget = `${targetUrl}&next=%2Fdone%3Fok`;
    await bed.control('POST', '/webhooks', { targetUrl: escapedTarget });
    await bed.control('POST', '/webhooks/fire', { subscriptionType: 'contact.creation', objectId: 51 });
    const [r] = received;
    expect(r!.url).toContain('next=%2Fdone%3Fok');
    const check = (uri: string) =>
      verifyHubSpotSignature({
        version: 'v3',
        clientSecret: secret,
        method: 'POST',
        uri,
        rawBody: r!.rawBody,
        signature: r!.headers['x-hubspot-signature-v3'] as string,
        timestamp: r!.headers['x-hubspot-request-timestamp'] as string,
      });
    expect(check(escapedTarget)).toEqual({ ok: true });
    expect(check(escapedTarget.replace('%2Fdone%3Fok', '/done?ok'))).toEqual({ ok: true });
    const signedOver = (uri: string) =>
      computeHubSpotSignatureV3(secret, 'POST', uri, r!.rawBody, r!.headers['x-hubspot-request-timestamp'] as string);
    expect(r!.headers['x-hubspot-signature-v3']).toBe(signedOver(escapedTarget.replace('%2Fdone%3Fok', '/done?ok')));
    expect(r!.headers['x-hubspot-signature-v3']).not.toBe(signedOver(escapedTarget));
  });

  it('rejects bad webhook settings without changing them', async () => {
    const badTarget = await bed.control<{ problems: string[] }>('POST', '/webhooks', { targetUrl: 'ftp://x', maxAttempts: 0 });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.problems).toHaveLength(2);
    const badSub = await bed.control<{ problems: string[] }>('POST', '/webhooks', {
      subscriptions: [{ subscriptionType: 'contact.propertyChange' }],
    });
    expect(badSub.body.problems[0]).toContain('propertyName');
    expect(bed.sandbox.webhooks.config.targetUrl).toBe(targetUrl);
  });

  it('only sends events for subscribed properties', async () => {
    await bed.control('POST', '/webhooks', {
      subscriptions: [{ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' }],
    });
    const [a] = bed.sandbox.stores.contacts.all();
    await bed.control('PATCH', `/records/contacts/${a!.id}`, { properties: { jobtitle: 'Ignored', lifecyclestage: 'opportunity' } });
    await bed.control('POST', '/webhooks/flush');
    const events = received.flatMap((r) => r.events);
    expect(events.map((e) => e.propertyName)).toEqual(['lifecyclestage']);
  });
});
