/**
 * Salesforce connected from the admin API the way an admin does it (the sandbox's OAuth consent form,
 * jsforce code exchange), then Outbound Messages from the sandbox to the URL the admin revealed:
 * the connection test recorded the org id, so the messages are stored in webhook_inbox and
 * acknowledged with the SOAP ack; a wrong URL secret, a wrong org id and an unknown connection all
 * get the same 401. Viewers see the URL masked and cannot reveal it; re-authenticating keeps the URL.
 */
import { hashPassword } from '@fieldcast/common';
import { AdminUserEntity, AuditLogEntity, ConnectionEntity, WebhookInboxEntity } from '@fieldcast/database';
import { ADMIN_EMAIL, ADMIN_PASSWORD, AdminClient, startAdminBed, type AdminBed } from './admin-bed.e2e-helpers';

jest.setTimeout(60_000);

interface Endpoint {
  vendor: string;
  label: string;
  instructions: string;
  url: string;
  secretInUrl: boolean;
  revealed: boolean;
  ready: boolean;
  problems: string[];
  warnings: string[];
  organizationId: string | null;
}

interface Delivery {
  url: string;
  status: number | null;
  acknowledged: boolean;
  notificationIds: string[];
}

const ACK = /<notificationsResponse xmlns="http:\/\/soap\.sforce\.com\/2005\/09\/outbound">\s*<Ack>true<\/Ack>/;

/** Drives the sandbox consent form ("Allow") from a Fieldcast start/re-auth redirect; returns the callback answer. */
async function approveSalesforce(admin: AdminClient, startPath: string): Promise<string> {
  const start = await admin.request('GET', startPath);
  expect(start.status).toBe(302);
  const consent = new URL(start.headers.get('location')!);
  const form = new URLSearchParams({ decision: 'allow' });
  for (const key of ['client_id', 'redirect_uri', 'state', 'scope'])
    if (consent.searchParams.get(key)) form.set(key, consent.searchParams.get(key)!);
  const allowed = await fetch(new URL('/services/oauth2/authorize', consent.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const callback = new URL(allowed.headers.get('location')!);
  const done = await admin.request('GET', `${callback.pathname}${callback.search}`);
  return done.headers.get('location') ?? '';
}

describe('Salesforce outbound messages to a connection made in the admin API', () => {
  let bed: AdminBed;
  let admin: AdminClient;
  let sf: string;
  let connectionId = '';
  let organizationId = '';
  let endpointUrl = '';
  const leadIds: string[] = [];

  const control = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${sf}/__sandbox/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const inbox = () => bed.platform.dataSource.getRepository(WebhookInboxEntity).find({ where: { connectionId } });
  const post = async (url: string, body: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), text };
  };
  /** The body of a refusal, without `instance` (which only echoes the path the caller sent). */
  const refusal = (text: string) => {
    const { instance: _instance, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return rest;
  };

  beforeAll(async () => {
    bed = await startAdminBed({ sandboxes: true });
    sf = bed.sandboxes!.urls.salesforce;
    admin = new AdminClient(bed.baseUrl);
    expect((await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD, '/admin/api/setup')).status).toBe(201);
    // Two leads to be notified about (created before any endpoint watches, so nothing is sent yet).
    for (const n of [1, 2]) {
      const lead = await control<{ Id: string }>('POST', 'records/Lead', { LastName: `Outbound ${n}`, Company: 'Acme', Status: 'Open' });
      expect(lead.status).toBe(201);
      leadIds.push(lead.body.Id);
    }
  }, 90_000);

  afterEach(async () => {
    // No endpoint registered by one test may receive the next test's notifications.
    await control('DELETE', 'outbound');
  });

  afterAll(async () => {
    await bed?.close();
  }, 60_000);

  it('records the org id when Salesforce is connected through OAuth and shows where to paste the endpoint URL', async () => {
    const location = await approveSalesforce(admin, '/admin/api/connections/oauth/salesforce/start?name=Salesforce');
    // "check-failed" too: the sandbox org has no Fieldcast fields yet; signing in (and so the org id) passed.
    const match = /^\/connections\/([0-9a-f-]{36})\?connected=(ok|check-failed)$/.exec(location);
    expect(match).not.toBeNull();
    connectionId = match![1]!;
    const creds = await control<{ organizationId: string }>('GET', 'credentials');
    organizationId = creds.body.organizationId;

    const masked = await admin.request<Endpoint>('GET', `/admin/api/connections/${connectionId}/webhook-endpoint`);
    expect(masked.status).toBe(200);
    expect(masked.body).toEqual({
      vendor: 'salesforce',
      label: 'Outbound Message endpoint URL',
      instructions: expect.stringContaining('Salesforce Setup'),
      url: `${bed.baseUrl}/webhooks/salesforce/${connectionId}/••••••••`,
      secretInUrl: true,
      revealed: false,
      ready: true,
      problems: [],
      warnings: [],
      organizationId,
    });
    const row = await bed.platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: connectionId });
    expect(row.settings['organizationId']).toBe(organizationId);
  });

  it('reveals the full URL to admins only (audited, not cached); viewers see it masked', async () => {
    const revealed = await admin.request<Endpoint>('POST', `/admin/api/connections/${connectionId}/webhook-endpoint/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get('cache-control')).toBe('no-store');
    expect(revealed.body).toMatchObject({ revealed: true, ready: true });
    // On the public URL (the bed sets it to the API's address), the connection id, then a 32-character secret.
    expect(revealed.body.url).toMatch(new RegExp(`^${bed.baseUrl}/webhooks/salesforce/${connectionId}/[A-Za-z0-9_-]{32}$`));
    endpointUrl = revealed.body.url;
    const secret = endpointUrl.split('/').pop()!;
    const audit = await bed.platform.dataSource
      .getRepository(AuditLogEntity)
      .findOneByOrFail({ action: 'connection.webhook_url.reveal', targetId: connectionId });
    expect(audit.actorLabel).toBe(ADMIN_EMAIL);
    expect(JSON.stringify(audit)).not.toContain(secret);
    // Nor in any other admin answer about the connection.
    expect(JSON.stringify((await admin.request('GET', `/admin/api/connections/${connectionId}`)).body)).not.toContain(secret);
    expect(JSON.stringify((await admin.request('GET', '/admin/api/connections')).body)).not.toContain(secret);

    await bed.platform.dataSource
      .getRepository(AdminUserEntity)
      .save({ email: 'viewer@fieldcast.test', role: 'viewer', passwordHash: await hashPassword('viewer password 123') });
    const viewer = new AdminClient(bed.baseUrl);
    expect((await viewer.signIn('viewer@fieldcast.test', 'viewer password 123')).status).toBe(200);
    const seen = await viewer.request<Endpoint>('GET', `/admin/api/connections/${connectionId}/webhook-endpoint`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ revealed: false, secretInUrl: true });
    expect(seen.body.url).not.toContain(secret);
    const refused = await viewer.request('POST', `/admin/api/connections/${connectionId}/webhook-endpoint/reveal`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(secret);
  });

  it("stores the sandbox's outbound messages sent to that URL and answers with the SOAP ack", async () => {
    const registered = await control('POST', 'outbound', { url: endpointUrl, objects: ['Lead'], retryBaseMs: 60_000 });
    expect(registered.status).toBe(200);
    const fired = await control<{ queued: number; deliveries: Delivery[] }>('POST', 'webhooks/fire', { object: 'Lead', ids: leadIds });
    expect(fired.body.queued).toBe(2);
    expect(fired.body.deliveries).toEqual([expect.objectContaining({ status: 200, acknowledged: true })]);
    const notificationIds = fired.body.deliveries[0]!.notificationIds;
    const rows = await inbox();
    // Stored per notification (the event id ends with the Notification Id that Salesforce redelivers).
    expect(rows.map((r) => r.eventId.split(':').pop()).sort()).toEqual([...notificationIds].sort());
    expect(rows.map((r) => r.externalId).sort()).toEqual([...leadIds].sort());
    expect(rows.every((r) => r.provider === 'salesforce' && r.stream === 'leads' && r.status === 'received')).toBe(true);
    expect(rows[0]!.rawBody.toString('utf8')).toContain(`<OrganizationId>${organizationId}</OrganizationId>`);
    // A redelivery (same notification ids, as Salesforce retries) is acknowledged and stored once.
    const again = await control<{ deliveries: Delivery[] }>('POST', 'webhooks/fire', { object: 'Lead', ids: [leadIds[0]] });
    expect(again.body.deliveries[0]).toMatchObject({ status: 200, acknowledged: true });
    expect((await inbox()).length).toBe(3);
    const ack = await post(endpointUrl, soap(organizationId, '04l000000000ACKAAA', leadIds[0]!));
    expect(ack.status).toBe(200);
    expect(ack.contentType).toMatch(/^text\/xml/);
    expect(ack.text).toMatch(ACK);
  });

  it('answers a wrong URL secret, a wrong org id and an unknown connection alike, and stores nothing', async () => {
    const before = (await inbox()).length;
    const secret = endpointUrl.split('/').pop()!;
    const base = endpointUrl.slice(0, -secret.length);
    const wrongSecret = `${base}${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const unknown = `${bed.baseUrl}/webhooks/salesforce/00000000-0000-4000-8000-000000000001/${secret}`;
    const otherOrg = '00D5g000009ZZZZEAK';

    // Through the sandbox, as Salesforce would send them: refused, so not acknowledged (Salesforce retries).
    await control('POST', 'outbound', { url: wrongSecret, objects: ['Lead'], retryBaseMs: 60_000 });
    const fired = await control<{ deliveries: Delivery[] }>('POST', 'webhooks/fire', { object: 'Lead', ids: [leadIds[1]] });
    expect(fired.body.deliveries).toEqual([expect.objectContaining({ url: wrongSecret, status: 401, acknowledged: false })]);

    const answers = [
      await post(wrongSecret, soap(organizationId, '04l000000000W01AAA', leadIds[1]!)),
      await post(endpointUrl, soap(otherOrg, '04l000000000W02AAA', leadIds[1]!)),
      await post(unknown, soap(organizationId, '04l000000000W03AAA', leadIds[1]!)),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.contentType).toBe(answers[2]!.contentType);
      expect(refusal(answer.text)).toEqual(refusal(answers[2]!.text));
    }
    expect((await inbox()).length).toBe(before);
  });

  it('keeps the endpoint URL when the connection is re-authenticated', async () => {
    const location = await approveSalesforce(admin, `/admin/api/connections/${connectionId}/oauth/reauthenticate`);
    expect(location).toMatch(new RegExp(`^/connections/${connectionId}\\?connected=(ok|check-failed)$`));
    const revealed = await admin.request<Endpoint>('POST', `/admin/api/connections/${connectionId}/webhook-endpoint/reveal`);
    expect(revealed.body.url).toBe(endpointUrl);
    // The ingress re-reads a connection whose row changed (updated_at) within its revalidation period.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await post(endpointUrl, soap(organizationId, `04l00000000R${Date.now() % 1000}AAA`, leadIds[0]!))).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});

/** A minimal outbound message as Salesforce sends it (vendor-apis.md 1.8), one Lead notification. */
function soap(org: string, notificationId: string, leadId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>04k5g0000008OIgAAM</ActionId>
   <SessionId xsi:nil="true"/>
   <Notification>
    <Id>${notificationId}</Id>
    <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${leadId}</sf:Id>
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}
