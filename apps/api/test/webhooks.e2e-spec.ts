/**
 * Webhook ingress over real HTTP on a real PostgreSQL: real HubSpot sandbox deliveries (signature v3
 * over the public URL), Zendesk deliveries signed exactly as Zendesk signs them, Salesforce Outbound
 * Messages with the org id and URL secret. Valid → 2xx after one inbox row and one queued job per
 * event; redelivery → 2xx and still one row; forged, stale, unknown or paused → the same 401 and
 * nothing stored; limits on size and media type.
 */
import { randomUUID } from 'node:crypto';
import { computeHubSpotSignatureV3, computeZendeskSignature } from '@fieldcast/common';
import { ConnectionEntity, WebhookInboxEntity } from '@fieldcast/database';
import { decryptSecrets, encryptSecrets } from '@fieldcast/sync-engine';
import { createHubSpotSandbox, generateDemoData } from '@fieldcast/sandbox';
import { createConnection, startApiBed, type ApiBed } from './scoring-webhooks.e2e-helpers';

const ZENDESK_SECRET = 'dGhpcyBpcyBhIHplbmRlc2sgc2lnbmluZyBzZWNyZXQ=';
const SF_ORG = '00D5g000004XyZaEAK';
const SF_PATH_SECRET = 'q9X2mY7vB4nL1kP8sD3fG6hJ0wE5rT2a';

function zendeskEvent(id: string, ticketId: string, actor = '901') {
  return JSON.stringify({
    type: 'zen:event-type:ticket.priority_changed',
    account_id: 1,
    id,
    time: new Date().toISOString(),
    zendesk_event_version: '2022-11-06',
    subject: `zen:ticket:${ticketId}`,
    detail: { id: ticketId, actor_id: actor, priority: 'urgent' },
    event: { current: 'urgent', previous: 'normal' },
  });
}

function zendeskHeaders(body: string, secret = ZENDESK_SECRET, at = new Date()): Record<string, string> {
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'content-type': 'application/json',
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': computeZendeskSignature(secret, timestamp, body),
  };
}

function outboundMessage(org: string, notifications: Array<{ id: string; leadId: string }>): string {
  const items = notifications
    .map(
      (n) => `
   <Notification>
    <Id>${n.id}</Id>
    <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${n.leadId}</sf:Id>
     <sf:LastModifiedById>0055g00000AAAAAAAA</sf:LastModifiedById>
     <sf:SystemModstamp>2026-11-28T02:00:00.000Z</sf:SystemModstamp>
    </sObject>
   </Notification>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>04k5g0000008OIgAAM</ActionId>
   <SessionId xsi:nil="true"/>${items}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

describe('webhook ingress (e2e)', () => {
  let bed: ApiBed;
  let zendesk: ConnectionEntity;
  let salesforce: ConnectionEntity;

  const rows = (connectionId?: string) =>
    bed.platform.dataSource
      .getRepository(WebhookInboxEntity)
      .find({ where: connectionId ? { connectionId } : {}, order: { receivedAt: 'ASC' } });
  const queuedJobs = async (): Promise<string[]> =>
    (
      (await bed.platform.dataSource.query(`SELECT data->>'inboxId' AS id FROM pgboss.job WHERE name = 'fieldcast-webhook'`)) as Array<{
        id: string;
      }>
    ).map((r) => r.id);
  const send = async (path: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(`${bed.baseUrl}${path}`, { method: 'POST', headers, body });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  };

  beforeAll(async () => {
    bed = await startApiBed();
    zendesk = await createConnection(bed.platform, {
      vendor: 'zendesk',
      webhookSigningSecret: ZENDESK_SECRET,
      settings: { integrationUserId: '777' },
    });
    salesforce = await createConnection(bed.platform, {
      vendor: 'salesforce',
      webhookPathSecret: SF_PATH_SECRET,
      settings: { organizationId: SF_ORG, integrationUserId: '0055g00000ZZZZZZZZ' },
    });
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  }, 30_000);

  describe('HubSpot, delivered by the sandbox', () => {
    it('stores and enqueues every real delivery (v3 over the public URL) before answering 2xx', async () => {
      const sandbox = createHubSpotSandbox({
        data: generateDemoData({ leads: 20, tickets: 5, seed: 3 }),
        rateLimit: { searchPerSecond: 0, maxPerWindow: 100_000 },
      });
      const sandboxUrl = await sandbox.start(0);
      try {
        const creds = sandbox.credentials() as unknown as { webhookSigningSecret: string; appId: number };
        const connection = await createConnection(bed.platform, {
          vendor: 'hubspot',
          webhookSigningSecret: creds.webhookSigningSecret,
          settings: { options: { appId: String(creds.appId) } },
        });
        const control = (method: string, path: string, body?: unknown) =>
          fetch(`${sandboxUrl}/__sandbox${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        await control('POST', '/webhooks', { targetUrl: `${bed.baseUrl}/webhooks/hubspot/${connection.id}`, batchWindowMs: 5 });
        const contacts = sandbox.stores.contacts.all().filter((r) => !r.archived);
        await control('PATCH', `/records/contacts/${contacts[0]!.id}`, { properties: { jobtitle: 'Changed by a person' } });
        await control('PATCH', `/records/contacts/${contacts[1]!.id}`, { properties: { lifecyclestage: 'opportunity' } });
        await control('POST', '/webhooks/flush');
        const deliveries = sandbox.webhooks.report().deliveries as Array<{ status: number | null }>;
        expect(deliveries.length).toBeGreaterThan(0);
        expect(deliveries.every((d) => d.status === 200)).toBe(true);
        const stored = await rows(connection.id);
        expect(new Set(stored.map((r) => r.externalId))).toEqual(new Set([contacts[0]!.id, contacts[1]!.id]));
        expect(stored.every((r) => r.provider === 'hubspot' && r.stream === 'contacts' && r.status === 'received')).toBe(true);
        expect(stored[0]!.headers['x-hubspot-signature-v3']).toBeDefined();
        const jobs = await queuedJobs();
        for (const row of stored) expect(jobs.filter((id) => id === row.id)).toHaveLength(1);
      } finally {
        await sandbox.stop();
      }
    });

    it('refuses a forged and a stale v3 signature with 401 and stores nothing', async () => {
      const secret = 'hubspot-client-secret-for-e2e';
      const connection = await createConnection(bed.platform, { vendor: 'hubspot', webhookSigningSecret: secret });
      const path = `/webhooks/hubspot/${connection.id}`;
      const body = JSON.stringify([
        {
          eventId: 1,
          subscriptionType: 'contact.propertyChange',
          portalId: 1,
          objectId: 42,
          occurredAt: Date.now(),
          propertyName: 'email',
        },
      ]);
      const sign = (s: string, ts: number) => ({
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(ts),
        'x-hubspot-signature-v3': computeHubSpotSignatureV3(s, 'POST', `${bed.baseUrl}${path}`, body, ts),
      });
      expect((await send(path, body, sign('wrong-secret', Date.now()))).status).toBe(401);
      expect((await send(path, body, sign(secret, Date.now() - 6 * 60_000))).status).toBe(401);
      expect(await rows(connection.id)).toHaveLength(0);
      const ok = await send(path, body, sign(secret, Date.now()));
      expect(ok).toMatchObject({ status: 200, text: JSON.stringify({ received: 1 }) });
      expect(await rows(connection.id)).toHaveLength(1);
    });

    it('stores each event of a batch; events about one record share one job (it takes all of them)', async () => {
      const secret = 'hubspot-client-secret-batch';
      const connection = await createConnection(bed.platform, { vendor: 'hubspot', webhookSigningSecret: secret });
      const path = `/webhooks/hubspot/${connection.id}`;
      const event = (eventId: number, objectId: number, propertyName: string) => ({
        eventId,
        subscriptionType: 'contact.propertyChange',
        portalId: 1,
        objectId,
        occurredAt: 1_790_000_000_000 + eventId,
        propertyName,
        changeSource: 'CRM_UI',
      });
      const body = JSON.stringify([event(11, 501, 'jobtitle'), event(12, 501, 'lifecyclestage'), event(13, 502, 'jobtitle')]);
      const ts = Date.now();
      const headers = {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': String(ts),
        'x-hubspot-signature-v3': computeHubSpotSignatureV3(secret, 'POST', `${bed.baseUrl}${path}`, body, ts),
      };
      expect((await send(path, body, headers)).status).toBe(200);
      const stored = await rows(connection.id);
      expect(stored.map((r) => r.externalId).sort()).toEqual(['501', '501', '502']);
      const jobs = await queuedJobs();
      const jobsFor = (externalId: string) => stored.filter((r) => r.externalId === externalId && jobs.includes(r.id)).length;
      expect([jobsFor('501'), jobsFor('502')]).toEqual([1, 1]);
    });

    it('stores 40 concurrent deliveries of 3 connections, half of them sent twice at once, exactly once each', async () => {
      const secrets = ['concurrent-a', 'concurrent-b', 'concurrent-c'];
      const connections = await Promise.all(
        secrets.map((s) => createConnection(bed.platform, { vendor: 'hubspot', webhookSigningSecret: s })),
      );
      const deliveries = Array.from({ length: 40 }, (_, i) => {
        const c = i % 3;
        const path = `/webhooks/hubspot/${connections[c]!.id}`;
        const body = JSON.stringify(
          [0, 1, 2].map((k) => ({
            eventId: i * 10 + k,
            subscriptionType: 'contact.propertyChange',
            portalId: 1,
            objectId: 9_000 + ((i * 3 + k) % 50),
            occurredAt: 1_790_000_000_000 + i,
            propertyName: `p${k}`,
          })),
        );
        return { c, path, body };
      });
      const sendSigned = (d: (typeof deliveries)[number]) => {
        const ts = Date.now();
        return send(d.path, d.body, {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': String(ts),
          'x-hubspot-signature-v3': computeHubSpotSignatureV3(secrets[d.c]!, 'POST', `${bed.baseUrl}${d.path}`, d.body, ts),
        });
      };
      const answers = await Promise.all([...deliveries, ...deliveries.filter((_, i) => i % 2 === 0)].map(sendSigned));
      expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
      const stored = (await Promise.all(connections.map((c) => rows(c.id)))).flat();
      expect(stored).toHaveLength(120);
      expect(new Set(stored.map((r) => r.eventId)).size).toBe(120);
      // Each row kept its own delivery's body.
      for (const row of stored)
        expect(JSON.parse(row.rawBody.toString('utf8'))[0].occurredAt).toBe(
          1_790_000_000_000 + Math.floor(Number(row.eventId.split(':')[3]) / 10),
        );
      // Every record that changed has a waiting job, and never more than one per delivery about it
      // (one per write: deliveries written together share one; a redelivery adds none).
      const jobs = (await bed.platform.dataSource.query(
        `SELECT singleton_key AS key, count(*)::int AS n FROM pgboss.job WHERE name = 'fieldcast-webhook' AND state = 'created' AND singleton_key = ANY($1) GROUP BY 1`,
        [[...new Set(stored.map((r) => `webhook:${r.connectionId}:${r.stream}:${r.externalId}`))]],
      )) as Array<{ key: string; n: number }>;
      expect(jobs.length).toBe(new Set(stored.map((r) => `${r.connectionId}:${r.externalId}`)).size);
      const deliveriesAbout = (key: string) =>
        new Set(
          stored.filter((r) => `webhook:${r.connectionId}:${r.stream}:${r.externalId}` === key).map((r) => r.rawBody.toString('utf8')),
        ).size;
      expect(jobs.filter((j) => j.n > deliveriesAbout(j.key))).toEqual([]);
    });

    it('sees a new signing secret, and a pause, made elsewhere within seconds, without a restart', async () => {
      const connection = await createConnection(bed.platform, {
        vendor: 'hubspot',
        webhookSigningSecret: 'first-secret-of-this-connection',
      });
      const path = `/webhooks/hubspot/${connection.id}`;
      let n = 100;
      const deliver = async (secret: string) => {
        n += 1;
        const body = JSON.stringify([
          {
            eventId: n,
            subscriptionType: 'contact.propertyChange',
            portalId: 1,
            objectId: n,
            occurredAt: 1_790_000_000_000 + n,
            propertyName: 'email',
          },
        ]);
        const ts = Date.now();
        return (
          await send(path, body, {
            'content-type': 'application/json',
            'x-hubspot-request-timestamp': String(ts),
            'x-hubspot-signature-v3': computeHubSpotSignatureV3(secret, 'POST', `${bed.baseUrl}${path}`, body, ts),
          })
        ).status;
      };
      expect(await deliver('first-secret-of-this-connection')).toBe(200);
      // What the admin API does on re-authentication (another process, as far as this cache knows).
      const repo = bed.platform.dataSource.getRepository(ConnectionEntity);
      const row = await repo.findOneByOrFail({ id: connection.id });
      const secretsCiphertext = encryptSecrets(bed.platform.secrets, connection.id, {
        ...decryptSecrets(bed.platform.secrets, row),
        webhookSigningSecret: 'second-secret-of-this-connection',
      });
      await repo.update({ id: connection.id }, { secretsCiphertext });
      const switched = Date.now();
      while (Date.now() - switched < 8_000 && (await deliver('second-secret-of-this-connection')) !== 200)
        await new Promise((r) => setTimeout(r, 200));
      expect(Date.now() - switched).toBeLessThan(8_000);
      expect(await deliver('first-secret-of-this-connection')).toBe(401);
      await repo.update({ id: connection.id }, { status: 'paused' });
      const paused = Date.now();
      while (Date.now() - paused < 8_000 && (await deliver('second-secret-of-this-connection')) !== 401)
        await new Promise((r) => setTimeout(r, 200));
      expect(Date.now() - paused).toBeLessThan(8_000);
    });
  });

  describe('Zendesk', () => {
    it('stores a signed event once; a redelivery is 2xx and still one row and one job', async () => {
      const body = zendeskEvent('01JDZ0ZENDESKEVENT000000001', '1234');
      const path = `/webhooks/zendesk/${zendesk.id}`;
      const first = await send(path, body, zendeskHeaders(body));
      expect(first).toMatchObject({ status: 200, text: JSON.stringify({ received: 1 }) });
      const again = await send(path, body, zendeskHeaders(body));
      expect(again.status).toBe(200);
      const stored = await rows(zendesk.id);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        provider: 'zendesk',
        stream: 'tickets',
        externalId: '1234',
        eventId: `${zendesk.id}:01JDZ0ZENDESKEVENT000000001`,
      });
      expect(stored[0]!.rawBody.toString('utf8')).toBe(body);
      expect((await queuedJobs()).filter((id) => id === stored[0]!.id)).toHaveLength(1);
      // Still unprocessed minutes later, its job still waiting: a redelivery adds no second job.
      await bed.platform.dataSource.query(`UPDATE webhook_inbox SET received_at = now() - interval '2 minutes' WHERE id = $1`, [
        stored[0]!.id,
      ]);
      expect((await send(path, body, zendeskHeaders(body))).status).toBe(200);
      expect((await queuedJobs()).filter((id) => id === stored[0]!.id)).toHaveLength(1);
      // Its job lost (the process died between the insert and the send, so the vendor got no 2xx):
      // the vendor's redelivery, however soon, enqueues it again, and stores nothing new.
      await bed.platform.dataSource.query(`DELETE FROM pgboss.job WHERE name = 'fieldcast-webhook' AND data->>'inboxId' = $1`, [
        stored[0]!.id,
      ]);
      expect((await send(path, body, zendeskHeaders(body))).status).toBe(200);
      expect(await rows(zendesk.id)).toHaveLength(1);
      expect((await queuedJobs()).filter((id) => id === stored[0]!.id)).toHaveLength(1);
      expect((await send(path, body, zendeskHeaders(body))).status).toBe(200);
      expect((await queuedJobs()).filter((id) => id === stored[0]!.id)).toHaveLength(1);
    });

    it('answers our own echo with 2xx and stores nothing', async () => {
      const body = zendeskEvent('01JDZ0ZENDESKEVENT000000ECHO', '1235', '777');
      expect((await send(`/webhooks/zendesk/${zendesk.id}`, body, zendeskHeaders(body))).status).toBe(200);
      expect((await rows(zendesk.id)).some((r) => r.externalId === '1235')).toBe(false);
    });

    it('answers forged, stale, unknown and paused alike: the same 401 body, nothing stored', async () => {
      const paused = await createConnection(bed.platform, { vendor: 'zendesk', status: 'paused', webhookSigningSecret: ZENDESK_SECRET });
      const before = (await rows()).length;
      const body = zendeskEvent('01JDZ0ZENDESKEVENT0000FORGE', '999');
      const attempts = [
        { path: `/webhooks/zendesk/${zendesk.id}`, headers: zendeskHeaders(body, 'not-the-secret') },
        { path: `/webhooks/zendesk/${zendesk.id}`, headers: zendeskHeaders(body, ZENDESK_SECRET, new Date(Date.now() - 10 * 60_000)) },
        { path: `/webhooks/zendesk/${zendesk.id}`, headers: { ...zendeskHeaders(body), 'x-zendesk-webhook-signature': '' } },
        { path: `/webhooks/zendesk/${randomUUID()}`, headers: zendeskHeaders(body) },
        { path: '/webhooks/zendesk/not-a-uuid', headers: zendeskHeaders(body) },
        { path: `/webhooks/zendesk/${paused.id}`, headers: zendeskHeaders(body) },
        // A real connection of another vendor is not a Zendesk connection.
        { path: `/webhooks/zendesk/${salesforce.id}`, headers: zendeskHeaders(body) },
      ];
      const answers = [];
      for (const attempt of attempts) {
        const answer = await send(attempt.path, body, attempt.headers);
        answers.push({
          status: answer.status,
          contentType: answer.contentType,
          body: { ...(JSON.parse(answer.text) as object), instance: undefined },
        });
      }
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0]).toMatchObject({ status: 401, contentType: expect.stringMatching(/problem\+json/) });
      expect((await rows()).length).toBe(before);
    });

    it('takes about as long to refuse an unknown connection as a bad signature (no timing probe)', async () => {
      const body = zendeskEvent('01JDZ0ZENDESKEVENT00TIMING', '4242');
      const unknown = `/webhooks/zendesk/${randomUUID()}`;
      const known = `/webhooks/zendesk/${zendesk.id}`;
      const time = async (path: string): Promise<number> => {
        const t0 = performance.now();
        expect((await send(path, body, zendeskHeaders(body, 'wrong-secret'))).status).toBe(401);
        return performance.now() - t0;
      };
      await time(unknown);
      await time(known);
      const unknownMs: number[] = [];
      const knownMs: number[] = [];
      // Interleaved, so load on the machine affects both series alike.
      for (let i = 0; i < 40; i++) {
        unknownMs.push(await time(unknown));
        knownMs.push(await time(known));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      expect(Math.abs(median(unknownMs) - median(knownMs))).toBeLessThan(Math.max(2, 0.5 * median(knownMs)));
    });

    it('refuses a wrong media type (415) and an oversized body (413) without storing', async () => {
      const path = `/webhooks/zendesk/${zendesk.id}`;
      const body = zendeskEvent('01JDZ0ZENDESKEVENT0000MEDIA', '55');
      expect((await send(path, body, { ...zendeskHeaders(body), 'content-type': 'text/plain' })).status).toBe(415);
      const big = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
      expect((await send(path, big, zendeskHeaders(big))).status).toBe(413);
      expect((await rows(zendesk.id)).some((r) => r.externalId === '55')).toBe(false);
    });
  });

  describe('Salesforce Outbound Messages', () => {
    it('stores every notification of a message and answers the SOAP ack; a redelivery adds nothing', async () => {
      const path = `/webhooks/salesforce/${salesforce.id}/${SF_PATH_SECRET}`;
      const body = outboundMessage(SF_ORG, [
        { id: '04l5g00000A1', leadId: '00Q5g00000L1' },
        { id: '04l5g00000A2', leadId: '00Q5g00000L2' },
      ]);
      const answer = await send(path, body, { 'content-type': 'text/xml; charset=utf-8', soapaction: '"notifications"' });
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/text\/xml/);
      expect(answer.text).toMatch(/<Ack>true<\/Ack>/);
      expect((await send(path, body, { 'content-type': 'text/xml; charset=utf-8' })).status).toBe(200);
      const stored = await rows(salesforce.id);
      expect(stored.map((r) => [r.stream, r.externalId]).sort()).toEqual([
        ['leads', '00Q5g00000L1'],
        ['leads', '00Q5g00000L2'],
      ]);
    });

    it('refuses a wrong URL secret or another org with the same 401 and stores nothing', async () => {
      const before = (await rows(salesforce.id)).length;
      const good = outboundMessage(SF_ORG, [{ id: '04l5g00000B1', leadId: '00Q5g00000M1' }]);
      const otherOrg = outboundMessage('00D5g000009ZZZZEAK', [{ id: '04l5g00000B2', leadId: '00Q5g00000M2' }]);
      const headers = { 'content-type': 'text/xml' };
      const a = await send(`/webhooks/salesforce/${salesforce.id}/wrong-secret`, good, headers);
      const b = await send(`/webhooks/salesforce/${salesforce.id}/${SF_PATH_SECRET}`, otherOrg, headers);
      const c = await send(`/webhooks/salesforce/${randomUUID()}/${SF_PATH_SECRET}`, good, headers);
      for (const answer of [a, b, c]) expect(answer.status).toBe(401);
      expect(JSON.parse(a.text).detail).toBe(JSON.parse(c.text).detail);
      // The error's `instance` names the path without the URL secret (as the logs do).
      expect(JSON.parse(b.text).instance).toBe(`/webhooks/salesforce/${salesforce.id}/***`);
      expect(b.text).not.toContain(SF_PATH_SECRET);
      expect((await rows(salesforce.id)).length).toBe(before);
    });
  });

  it('counts requests by provider and outcome and times the acknowledgement', async () => {
    const metrics = await (await fetch(`${bed.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/fieldcast_webhook_requests_total\{[^}]*provider="zendesk"[^}]*outcome="unauthorized"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/fieldcast_webhook_requests_total\{[^}]*provider="salesforce"[^}]*outcome="accepted"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/fieldcast_webhook_ack_seconds_bucket\{/);
  });
});
