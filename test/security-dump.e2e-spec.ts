/**
 * "A database dump shows no plaintext secret": the real pg_dump of a database after the flows that
 * store every kind of secret — admin setup (password) and session, a Zendesk connection by API token
 * with a webhook signing secret, HubSpot and Salesforce connected through their OAuth consent pages
 * (access + refresh tokens, client secrets), a scoring API key, and signed webhook deliveries of all
 * three vendors (a Salesforce outbound message carrying a session id, sent to the endpoint URL an
 * admin revealed to paste into Salesforce). None of the plaintext values, nor their base64, base64url
 * or hex forms, may appear anywhere in the dump: the Salesforce URL secret included.
 * Skipped, with the reason printed, when pg_dump is not installed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { computeHubSpotSignatureV3, computeZendeskSignature, SecretBox } from '@fieldcast/common';
import { ConnectionEntity, WebhookInboxEntity } from '@fieldcast/database';
import { decryptSecrets } from '@fieldcast/sync-engine';
import { AdminClient, startAdminBed, type AdminBed } from '../apps/api/test/admin-bed.e2e-helpers';

/** The newest pg_dump on this machine (Debian keeps one per major version under /usr/lib/postgresql). */
function findPgDump(): { bin: string; major: number } | undefined {
  const candidates: string[] = [];
  if (existsSync('/usr/lib/postgresql'))
    for (const v of readdirSync('/usr/lib/postgresql')) candidates.push(path.join('/usr/lib/postgresql', v, 'bin/pg_dump'));
  candidates.push('pg_dump');
  let best: { bin: string; major: number } | undefined;
  for (const bin of candidates) {
    const run = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    const major = Number(/(\d+)(?:\.\d+)?/.exec(run.stdout ?? '')?.[1]);
    if (run.status === 0 && major && (!best || major > best.major)) best = { bin, major };
  }
  return best;
}

const PG_DUMP = findPgDump();
if (!PG_DUMP) console.log('security-dump e2e skipped: pg_dump is not installed (apt-get install postgresql-client)');
const maybe = PG_DUMP ? describe : describe.skip;

/** Every form a secret could be written in by mistake. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
}

/** String leaves under keys that name a secret (tokens, secrets, passwords), however deep. */
function secretLeaves(value: unknown, out = new Map<string, string>(), where = ''): Map<string, string> {
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && /token|secret|password/i.test(k) && v.length >= 12) out.set(`${where}${k}`, v);
      else secretLeaves(v, out, `${where}${k}.`);
    }
  return out;
}

maybe('database dump (real pg_dump) after every flow that stores a secret', () => {
  let bed: AdminBed;
  let admin: AdminClient;
  const secrets = new Map<string, string>();
  let salesforcePathSecret = '';
  let dump = '';

  const oauth = async (vendor: 'hubspot' | 'salesforce', name: string): Promise<string> => {
    const start = await admin.request('GET', `/admin/api/connections/oauth/${vendor}/start?name=${encodeURIComponent(name)}`);
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get('location')!);
    let location: string;
    if (vendor === 'hubspot') {
      // What the sandbox's "Connect app" button submits.
      const decision = new URL('/oauth/authorize/decision', consent.origin);
      decision.search = new URLSearchParams({
        decision: 'approve',
        redirect_uri: consent.searchParams.get('redirect_uri')!,
        state: consent.searchParams.get('state')!,
      }).toString();
      location = (await fetch(decision, { redirect: 'manual' })).headers.get('location')!;
    } else {
      // What the sandbox's "Allow" button posts.
      const form = new URLSearchParams({ decision: 'allow' });
      for (const key of ['client_id', 'redirect_uri', 'state', 'scope'])
        if (consent.searchParams.get(key)) form.set(key, consent.searchParams.get(key)!);
      const allowed = await fetch(new URL('/services/oauth2/authorize', consent.origin), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
      });
      location = allowed.headers.get('location')!;
    }
    const callback = new URL(location);
    const done = await admin.request('GET', `${callback.pathname}${callback.search}`);
    const match = /^\/connections\/([0-9a-f-]{36})\?connected=/.exec(done.headers.get('location') ?? '');
    if (!match) throw new Error(`${vendor} OAuth did not create a connection: ${done.headers.get('location')}`);
    return match[1]!;
  };

  const post = async (url: string, body: string, headers: Record<string, string>): Promise<number> => {
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    bed = await startAdminBed({ sandboxes: true });
    admin = new AdminClient(bed.baseUrl);
    const password = `dump-test ${randomBytes(9).toString('hex')}`;
    secrets.set('admin password', password);
    expect((await admin.signIn('dump@fieldcast.test', password, '/admin/api/setup')).status).toBe(201);
    // The session cookie is the credential (the table keeps its hash). The CSRF cookie is not: it is
    // stored as issued and only proves a request came from the UI of a session that is already signed in.
    for (const [name, value] of admin.cookies) if (!/csrf/i.test(name)) secrets.set(`session cookie ${name}`, value);
    expect([...secrets.keys()].some((k) => k.startsWith('session cookie'))).toBe(true);
    secrets.set('FIELDCAST_SECRET_KEY', bed.platform.config.FIELDCAST_SECRET_KEY!);

    // Zendesk by API token, with a webhook signing secret typed in by the admin.
    const zendeskCreds = (await (await fetch(`${bed.sandboxes!.urls.zendesk}/__sandbox/credentials`)).json()) as Record<string, unknown>;
    const zendeskSigning = `zd-signing-${randomBytes(12).toString('base64url')}`;
    const zendesk = await admin.request<{ connection: { id: string } }>('POST', '/admin/api/connections', {
      vendor: 'zendesk',
      name: 'Zendesk',
      baseUrl: zendeskCreds['baseUrl'],
      email: zendeskCreds['email'],
      token: zendeskCreds['apiToken'],
      webhookSigningSecret: zendeskSigning,
    });
    expect(zendesk.status).toBe(201);
    secrets.set('zendesk api token', String(zendeskCreds['apiToken']));
    secrets.set('zendesk webhook signing secret', zendeskSigning);

    const hubspotId = await oauth('hubspot', 'HubSpot');
    const salesforceId = await oauth('salesforce', 'Salesforce');
    const repo = bed.platform.dataSource.getRepository(ConnectionEntity);
    // What the OAuth flows stored, read back with the instance key: these plaintexts must not be in the dump.
    for (const row of await repo.find()) {
      if (!row.secretsCiphertext) continue;
      for (const [k, v] of secretLeaves(decryptSecrets(bed.platform.secrets, row))) secrets.set(`${row.vendor} ${k}`, v);
    }
    expect([...secrets.keys()].filter((k) => k.startsWith('hubspot '))).toEqual(
      expect.arrayContaining(['hubspot credentials.accessToken', 'hubspot credentials.refreshToken', 'hubspot webhookSigningSecret']),
    );
    expect([...secrets.keys()].filter((k) => k.startsWith('salesforce '))).toEqual(
      expect.arrayContaining([
        'salesforce credentials.accessToken',
        'salesforce credentials.refreshToken',
        'salesforce webhookSigningSecret',
      ]),
    );

    const apiKey = await admin.request<{ key: string }>('POST', '/admin/api/api-keys', { name: 'warehouse', scopes: ['lead-score'] });
    expect(apiKey.status).toBe(201);
    secrets.set('scoring API key', apiKey.body.key);
    // The key in use: last-used bookkeeping must not store it either.
    await fetch(`${bed.baseUrl}/v1/predict/lead-score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey.body.key}` },
      body: JSON.stringify({ records: [{ id: 'a', fields: { LeadSource: 'Web' } }] }),
    });

    // Signed deliveries of the three vendors.
    const hubspotSecret = secrets.get('hubspot webhookSigningSecret')!;
    const hubspotUrl = `${bed.baseUrl}/webhooks/hubspot/${hubspotId}`;
    const hubspotBody = JSON.stringify([
      { eventId: 1, portalId: 1, subscriptionType: 'contact.propertyChange', objectId: 7, occurredAt: Date.now(), propertyName: 'email' },
    ]);
    const ts = String(Date.now());
    expect(
      await post(hubspotUrl, hubspotBody, {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': ts,
        'x-hubspot-signature-v3': computeHubSpotSignatureV3(hubspotSecret, 'POST', hubspotUrl, hubspotBody, ts),
      }),
    ).toBe(200);
    const zendeskBody = JSON.stringify({
      type: 'zen:event-type:ticket.priority_changed',
      id: 'evt-1',
      time: new Date().toISOString(),
      subject: 'zen:ticket:5',
      detail: { id: '5', actor_id: '1', priority: 'urgent' },
    });
    const zts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(
      await post(`${bed.baseUrl}/webhooks/zendesk/${zendesk.body.connection.id}`, zendeskBody, {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature-timestamp': zts,
        'x-zendesk-webhook-signature': computeZendeskSignature(zendeskSigning, zts, zendeskBody),
      }),
    ).toBe(200);
    // The OAuth flow recorded the org id (from the connection test); the admin reveals the endpoint URL
    // to paste into Salesforce, and the message is sent there.
    const endpoint = await admin.request<{ url: string; organizationId: string; ready: boolean }>(
      'POST',
      `/admin/api/connections/${salesforceId}/webhook-endpoint/reveal`,
    );
    expect(endpoint.status).toBe(200);
    expect(endpoint.body.ready).toBe(true);
    const organizationId = endpoint.body.organizationId;
    expect(organizationId).toMatch(/^00D/);
    salesforcePathSecret = new URL(endpoint.body.url).pathname.split('/').pop()!;
    expect(salesforcePathSecret).toBe(secrets.get('salesforce webhookSigningSecret'));
    const sessionId = `${organizationId.slice(0, 15)}!AQ4AQ${randomBytes(24).toString('base64url')}`;
    secrets.set('salesforce outbound message session id', sessionId);
    const soap = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>${organizationId}</OrganizationId>
<ActionId>04k5g0000008OIgAAM</ActionId><SessionId>${sessionId}</SessionId>
<Notification><Id>04l5g00000Z1</Id><sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sf:Id>00Q5g00000Q1</sf:Id></sObject></Notification>
</notifications></soapenv:Body></soapenv:Envelope>`;
    expect(
      await post(endpoint.body.url, soap, {
        'content-type': 'text/xml; charset=utf-8',
      }),
    ).toBe(200);
    expect(await bed.platform.dataSource.getRepository(WebhookInboxEntity).count()).toBe(3);

    const run = spawnSync(PG_DUMP!.bin, ['--no-owner', '--no-privileges', '--dbname', bed.db.url], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`pg_dump ${PG_DUMP!.major} failed (is it older than the server?): ${run.stderr}`);
    dump = run.stdout;
  }, 120_000);

  afterAll(async () => {
    await bed?.close();
  }, 60_000);

  it('holds the data (sanity: the dump is of this database, with the encrypted rows in it)', async () => {
    expect(dump).toContain('COPY public.connection');
    const envelopes = (await bed.platform.dataSource.getRepository(ConnectionEntity).find()).map((c) => c.secretsCiphertext!);
    expect(envelopes.length).toBe(3);
    for (const envelope of envelopes) {
      expect(SecretBox.envelopeKeyId(envelope)).toBe(bed.platform.secrets.currentKeyId);
      expect(dump).toContain(envelope);
    }
    expect(secrets.size).toBeGreaterThanOrEqual(12);
  });

  it('contains no secret in plaintext, base64, base64url or hex', () => {
    const found = [...secrets].flatMap(([what, value]) => (forms(value).some((f) => dump.includes(f)) ? [what] : []));
    expect(found).toEqual([]);
  });

  // The outbound-message URL secret lives in the connection's encrypted secrets (it used to be a
  // clear-text column); revealing it to an admin leaves only an audit entry without it.
  it('does not contain the Salesforce outbound-message URL secret', () => {
    expect(salesforcePathSecret.length).toBeGreaterThanOrEqual(32);
    expect(forms(salesforcePathSecret).some((f) => dump.includes(f))).toBe(false);
    expect(dump).toContain('connection.webhook_url.reveal');
    expect(dump).not.toContain('webhook_path_secret');
  });
});
