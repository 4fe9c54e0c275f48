/**
 * The admin API against the real vendor sandboxes over HTTP: Zendesk by API token, HubSpot through
 * its OAuth consent page, test / pause / resume / delete, stream configuration with validation
 * errors, shadow preview, schedule, sync now (queued run + job), dead-letter replay, model cards.
 */
import {
  ConnectionEntity,
  ModelArtifactEntity,
  PredictionEntity,
  SyncedRecordEntity,
  SyncRunEntity,
  WritebackOutboxEntity,
} from '@fieldcast/database';
import { ADMIN_EMAIL, ADMIN_PASSWORD, AdminClient, startAdminBed, type AdminBed } from './admin-bed.e2e-helpers';

jest.setTimeout(45_000);

interface ConnectionView {
  id: string;
  name: string;
  status: string;
  vendor: string;
  streams: Array<{ name: string; shadowMode: boolean; autoWriteThreshold: number; fields: Record<string, string>; tasks: string[] }>;
  health: Record<string, unknown>;
}

async function jobsFor(bed: AdminBed, queue: string): Promise<Array<{ data: Record<string, unknown> }>> {
  return bed.platform.dataSource.query(`SELECT data FROM pgboss.job WHERE name = $1 ORDER BY created_on`, [queue]);
}

describe('admin API: connections against the sandboxes', () => {
  let bed: AdminBed;
  let admin: AdminClient;
  let zendeskId: string;
  let hubspotId: string;

  beforeAll(async () => {
    bed = await startAdminBed({ sandboxes: true });
    admin = new AdminClient(bed.baseUrl);
    expect((await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD, '/admin/api/setup')).status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    await bed?.close();
  }, 60_000);

  it('refuses a bad Zendesk connection with a pointer per field and creates nothing', async () => {
    const bad = await admin.request('POST', '/admin/api/connections', {
      vendor: 'zendesk',
      name: '',
      subdomain: 'not a subdomain!',
      email: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const pointers = (bad.body['errors'] as Array<{ pointer: string; detail: string }>).map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/email', '/name', '/subdomain']);
    const foreign = await admin.request('POST', '/admin/api/connections', {
      vendor: 'zendesk',
      name: 'z',
      baseUrl: 'https://evil.example.com',
      email: 'a@b.co',
      token: 'x'.repeat(20),
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body['errors']).toEqual([{ pointer: '/baseUrl', detail: expect.stringContaining('not a zendesk host') }]);
    // Demo defaults are only ever fetched from a local sandbox, never from a URL an admin typed in.
    const remoteDemo = await admin.request('POST', '/admin/api/connections', {
      vendor: 'zendesk',
      name: 'z',
      demo: true,
      baseUrl: 'https://acme.zendesk.com',
    });
    expect(remoteDemo.body['errors']).toEqual([{ pointer: '/baseUrl', detail: expect.stringContaining('local sandbox') }]);
    const remoteOAuth = await admin.request(
      'GET',
      '/admin/api/connections/oauth/hubspot/start?name=x&baseUrl=https%3A%2F%2Fapi.hubapi.com',
    );
    expect(remoteOAuth.status).toBe(400);
    expect(await bed.platform.dataSource.getRepository(ConnectionEntity).count()).toBe(0);
  });

  it('creates a Zendesk connection with an API token, tests it, and never returns or stores the token in clear', async () => {
    const creds = (await (await fetch(`${bed.sandboxes!.urls.zendesk}/__sandbox/credentials`)).json()) as {
      email: string;
      apiToken: string;
      baseUrl: string;
    };
    const created = await admin.request<{ connection: ConnectionView; check: { ok: boolean; checks: unknown[] } }>(
      'POST',
      '/admin/api/connections',
      {
        vendor: 'zendesk',
        name: 'Zendesk support',
        baseUrl: creds.baseUrl,
        email: creds.email,
        token: creds.apiToken,
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.check.checks.length).toBeGreaterThan(0);
    expect(created.body.connection).toMatchObject({ name: 'Zendesk support', vendor: 'zendesk', hasCredentials: true, isDemo: true });
    zendeskId = created.body.connection.id;
    expect(JSON.stringify(created.body)).not.toContain(creds.apiToken);
    const row = await bed.platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: zendeskId });
    expect(row.secretsCiphertext).not.toContain(creds.apiToken);
    expect(JSON.stringify(row)).not.toContain(creds.apiToken);

    const duplicate = await admin.request('POST', '/admin/api/connections', { vendor: 'zendesk', name: 'Zendesk support', demo: true });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body['errors']).toEqual([expect.objectContaining({ pointer: '/name' })]);

    const tested = await admin.request<{ check: { ok: boolean; checks: Array<{ name: string; status: string; message: string }> } }>(
      'POST',
      `/admin/api/connections/${zendeskId}/test`,
    );
    expect(tested.status).toBe(200);
    expect(tested.body.check.checks.every((c) => typeof c.message === 'string')).toBe(true);
  });

  it('connects HubSpot through the sandbox OAuth consent page', async () => {
    const start = await admin.request('GET', '/admin/api/connections/oauth/hubspot/start?name=HubSpot%20demo');
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get('location')!);
    expect(consent.origin).toBe(bed.sandboxes!.urls.hubspot);
    expect(consent.pathname).toBe('/oauth/authorize');
    const state = consent.searchParams.get('state')!;
    expect(state.length).toBeGreaterThan(40);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${bed.baseUrl}/admin/api/oauth/callback`);
    const page = await fetch(consent);
    expect(await page.text()).toContain('Connect app');
    // What the "Connect app" button submits.
    const decision = new URL('/oauth/authorize/decision', consent.origin);
    decision.search = new URLSearchParams({
      decision: 'approve',
      redirect_uri: consent.searchParams.get('redirect_uri')!,
      state,
    }).toString();
    const back = await fetch(decision, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    expect(callback.searchParams.get('code')).toBeTruthy();

    // The state is bound to the admin session that started the flow.
    const other = new AdminClient(bed.baseUrl);
    await other.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const stolen = await other.request('GET', `${callback.pathname}${callback.search}`);
    expect(stolen.status).toBe(302);
    expect(stolen.headers.get('location')).toMatch(/^\/connections\/new\?error=.*another%20sign-in%20session/);
    const forged = await admin.request('GET', `/admin/api/oauth/callback?code=abc&state=${'A'.repeat(80)}`);
    expect(forged.headers.get('location')).toMatch(/^\/connections\/new\?error=/);
    admin.csrfToken = (await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD)).body['csrfToken'] as string;
  });

  it('completes the HubSpot OAuth flow into an encrypted, tested connection', async () => {
    const start = await admin.request('GET', '/admin/api/connections/oauth/hubspot/start?name=HubSpot%20demo');
    const consent = new URL(start.headers.get('location')!);
    const decision = new URL('/oauth/authorize/decision', consent.origin);
    decision.search = new URLSearchParams({
      decision: 'approve',
      redirect_uri: consent.searchParams.get('redirect_uri')!,
      state: consent.searchParams.get('state')!,
    }).toString();
    const callback = new URL((await fetch(decision, { redirect: 'manual' })).headers.get('location')!);
    const done = await admin.request('GET', `${callback.pathname}${callback.search}`);
    expect(done.status).toBe(302);
    const match = /^\/connections\/([0-9a-f-]{36})\?connected=(ok|check-failed)$/.exec(done.headers.get('location')!);
    expect(match).not.toBeNull();
    hubspotId = match![1]!;
    const connection = await admin.request<ConnectionView>('GET', `/admin/api/connections/${hubspotId}`);
    expect(connection.body).toMatchObject({ vendor: 'hubspot', name: 'HubSpot demo', authMode: 'oauth2', hasCredentials: true });
    expect(connection.body.streams.map((s) => s.name).sort()).toEqual(['contacts', 'tickets']);
    const row = await bed.platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: hubspotId });
    expect(row.settings['options']).toEqual({ appId: expect.any(String) });
    // Replaying the same code fails: codes are single-use at the vendor.
    const replay = await admin.request('GET', `${callback.pathname}${callback.search}`);
    expect(replay.headers.get('location')).toMatch(/^\/connections\/new\?error=/);
  });

  it('connects Salesforce through the sandbox consent form (jsforce code exchange)', async () => {
    const start = await admin.request('GET', '/admin/api/connections/oauth/salesforce/start?name=Salesforce%20demo');
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get('location')!);
    expect(consent.origin).toBe(bed.sandboxes!.urls.salesforce);
    expect(consent.pathname).toBe('/services/oauth2/authorize');
    expect(consent.searchParams.get('response_type')).toBe('code');
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
    const callback = new URL(allowed.headers.get('location')!);
    const done = await admin.request('GET', `${callback.pathname}${callback.search}`);
    const match = /^\/connections\/([0-9a-f-]{36})\?connected=(ok|check-failed)$/.exec(done.headers.get('location')!);
    expect(match).not.toBeNull();
    const row = await bed.platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: match![1]! });
    expect(row).toMatchObject({ vendor: 'salesforce', authMode: 'oauth2', isDemo: true });
    expect(row.settings).toMatchObject({ baseUrl: bed.sandboxes!.urls.salesforce, integrationUserId: expect.stringMatching(/^005/) });
    // The connection test recorded the org id outbound messages are checked against; the URL secret
    // is in the encrypted secrets only (the webhook flow itself: salesforce-outbound-connect.e2e-spec.ts).
    const creds = (await (await fetch(`${bed.sandboxes!.urls.salesforce}/__sandbox/credentials`)).json()) as { organizationId: string };
    expect(row.settings['organizationId']).toBe(creds.organizationId);
    const endpoint = await admin.request<{ url: string; secretInUrl: boolean; revealed: boolean }>(
      'GET',
      `/admin/api/connections/${row.id}/webhook-endpoint`,
    );
    expect(endpoint.body).toMatchObject({ secretInUrl: true, revealed: false });
    expect(endpoint.body.url).toBe(`${bed.baseUrl}/webhooks/salesforce/${row.id}/••••••••`);
    await admin.request('DELETE', `/admin/api/connections/${row.id}?confirm=${encodeURIComponent('Salesforce demo')}`);
  });

  it('creates the write-back fields and validates stream configuration without changing anything on bad input', async () => {
    const fields = await admin.request<{ fields: Array<{ key: string; status: string; writable: boolean }> }>(
      'POST',
      `/admin/api/connections/${hubspotId}/streams/contacts/fields`,
    );
    expect(fields.status).toBe(200);
    expect(fields.body.fields.length).toBeGreaterThan(0);
    expect(fields.body.fields.every((f) => f.status === 'created' || f.status === 'exists')).toBe(true);

    const before = await bed.platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: hubspotId });
    const bad = await admin.request('PUT', `/admin/api/connections/${hubspotId}/streams/contacts`, {
      autoWriteThreshold: 1.5,
      writePolicy: 'sometimes',
      tasks: ['ticket-category'],
      fields: { nope: 'x', lead_score: '1bad name' },
    });
    expect(bad.status).toBe(400);
    const errors = bad.body['errors'] as Array<{ pointer: string; detail: string }>;
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/autoWriteThreshold', '/fields/lead_score', '/writePolicy']);
    expect(errors.find((e) => e.pointer === '/autoWriteThreshold')!.detail).toBe('expected a number between 0 and 1');
    const semantic = await admin.request('PUT', `/admin/api/connections/${hubspotId}/streams/contacts`, {
      tasks: ['ticket-category'],
      fields: { nope: 'x' },
    });
    expect((semantic.body['errors'] as Array<{ pointer: string }>).map((e) => e.pointer).sort()).toEqual(['/fields/nope', '/tasks/0']);
    const unknownStream = await admin.request('PUT', `/admin/api/connections/${hubspotId}/streams/deals`, { shadowMode: true });
    expect(unknownStream.status).toBe(400);
    const after = await bed.platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: hubspotId });
    expect(after.streams).toEqual(before.streams);

    const ok = await admin.request<ConnectionView>('PUT', `/admin/api/connections/${hubspotId}/streams/contacts`, {
      autoWriteThreshold: 0.8,
      shadowMode: false,
      writePolicy: 'only_when_empty',
    });
    expect(ok.status).toBe(200);
    const contacts = ok.body.streams.find((s) => s.name === 'contacts')!;
    expect(contacts).toMatchObject({ autoWriteThreshold: 0.8, shadowMode: false, writePolicy: 'only_when_empty', tasks: ['lead-score'] });
    expect(ok.body.streams.find((s) => s.name === 'tickets')!.shadowMode).toBe(true);
  });

  it('shows the shadow-mode preview: record, current value, new value, confidence', async () => {
    const ds = bed.platform.dataSource;
    const records = ds.getRepository(SyncedRecordEntity);
    const now = new Date();
    for (const i of [1, 2, 3]) {
      await records.save({
        connectionId: hubspotId,
        stream: 'contacts',
        object: 'contacts',
        externalId: `${100 + i}`,
        data: { firstname: 'Ada', lastname: `L${i}`, fieldcast_lead_score: i === 1 ? 12 : null },
        vendorModstamp: now,
        contentHash: `h${i}`,
      });
      const prediction = await ds.getRepository(PredictionEntity).save({
        connectionId: hubspotId,
        object: 'contacts',
        externalId: `${100 + i}`,
        task: 'lead-score',
        modelVersion: 'lead-v1',
        value: { probability: 0.5 + i / 10 },
        confidence: 0.6 + i / 10,
        inputHash: `i${i}`,
      });
      await ds.getRepository(WritebackOutboxEntity).save({
        idempotencyKey: `shadow-${i}`,
        connectionId: hubspotId,
        stream: 'contacts',
        object: 'contacts',
        externalId: `${100 + i}`,
        // One outbox row per record write; the preview lists its fields one per line.
        fields: i === 1 ? { fieldcast_lead_score: 50 + i * 10, fieldcast_lead_tier: 'B' } : { fieldcast_lead_score: 50 + i * 10 },
        modelVersion: 'lead-v1',
        predictionId: prediction.id,
        status: 'shadow',
      });
    }
    const preview = await admin.request<{ items: Array<Record<string, unknown>>; total: number }>(
      'GET',
      `/admin/api/connections/${hubspotId}/streams/contacts/shadow-preview?pageSize=2`,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.total).toBe(4);
    expect(preview.body.items).toHaveLength(2);
    const all = await admin.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/admin/api/connections/${hubspotId}/streams/contacts/shadow-preview`,
    );
    expect(all.body.items.filter((r) => r['externalId'] === '101').map((r) => [r['field'], r['newValue']])).toEqual([
      ['fieldcast_lead_score', 60],
      ['fieldcast_lead_tier', 'B'],
    ]);
    const first = all.body.items.find((r) => r['externalId'] === '101' && r['field'] === 'fieldcast_lead_score')!;
    expect(first).toMatchObject({
      recordLabel: 'Ada L1',
      field: 'fieldcast_lead_score',
      currentValue: 12,
      newValue: 60,
      modelVersion: 'lead-v1',
    });
    expect(first['confidence']).toBeCloseTo(0.7);
  });

  it('validates and saves schedules', async () => {
    const zero = await admin.request('PUT', `/admin/api/connections/${hubspotId}/schedule`, { kind: 'interval', minutes: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body['errors']).toEqual([{ pointer: '/minutes', detail: 'expected at least 1 minute' }]);
    const cron = await admin.request('PUT', `/admin/api/connections/${hubspotId}/schedule`, { kind: 'cron', expression: '61 * * * *' });
    expect(cron.body['errors']).toEqual([{ pointer: '/expression', detail: 'minute: 61 is outside 0-59' }]);
    const kind = await admin.request('PUT', `/admin/api/connections/${hubspotId}/schedule`, { kind: 'weekly' });
    expect(kind.status).toBe(400);
    const saved = await admin.request<ConnectionView & { schedule: unknown }>('PUT', `/admin/api/connections/${hubspotId}/schedule`, {
      kind: 'cron',
      expression: '*/10 8-18 * * MON-FRI',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.schedule).toEqual({ kind: 'cron', expression: '*/10 8-18 * * MON-FRI' });
  });

  it('sync now creates a queued run per enabled stream and enqueues the sync job with its id', async () => {
    const result = await admin.request<{ runs: Array<{ id: string; status: string; stream: string }> }>(
      'POST',
      `/admin/api/connections/${hubspotId}/sync`,
      { stream: 'contacts' },
    );
    expect(result.status).toBe(202);
    expect(result.body.runs).toEqual([expect.objectContaining({ stream: 'contacts', status: 'queued' })]);
    const runId = result.body.runs[0]!.id;
    expect(await bed.platform.dataSource.getRepository(SyncRunEntity).findOneByOrFail({ id: runId })).toMatchObject({
      status: 'queued',
      trigger: 'manual',
    });
    const jobs = await jobsFor(bed, 'fieldcast-sync');
    expect(jobs.map((j) => j.data)).toContainEqual({
      connectionId: hubspotId,
      stream: 'contacts',
      mode: 'incremental',
      trigger: 'manual',
      runId,
    });
    const runs = await admin.request<{ items: Array<{ id: string }>; total: number }>('GET', `/admin/api/connections/${hubspotId}/runs`);
    expect(runs.body.items.map((r) => r.id)).toContain(runId);
    const detail = await admin.request<{ run: { id: string; status: string }; log: { items: unknown[] } }>(
      'GET',
      `/admin/api/runs/${runId}`,
    );
    expect(detail.body.run).toMatchObject({ id: runId, status: 'queued' });
    const badMode = await admin.request('POST', `/admin/api/connections/${hubspotId}/sync`, { mode: 'sometimes' });
    expect(badMode.body['errors']).toEqual([expect.objectContaining({ pointer: '/mode' })]);
  });

  it('lists dead letters with the vendor error and replays one, then all', async () => {
    const outbox = bed.platform.dataSource.getRepository(WritebackOutboxEntity);
    const dead = [];
    for (const i of [1, 2, 3]) {
      dead.push(
        await outbox.save({
          idempotencyKey: `dead-${i}`,
          connectionId: hubspotId,
          stream: 'contacts',
          object: 'contacts',
          externalId: `${200 + i}`,
          fields: { fieldcast_lead_score: 70 },
          modelVersion: 'lead-v1',
          status: 'dead',
          attempts: 6,
          errorCode: 'VALIDATION',
          vendorErrorCode: 'PROPERTY_DOESNT_EXIST',
          lastError: 'Property "fieldcast_lead_score" does not exist',
        }),
      );
    }
    const list = await admin.request<{ items: Array<Record<string, unknown>>; total: number }>(
      'GET',
      `/admin/api/connections/${hubspotId}/dead-letters`,
    );
    expect(list.body.total).toBe(3);
    expect(list.body.items[0]).toMatchObject({
      fields: { fieldcast_lead_score: 70 },
      vendorErrorCode: 'PROPERTY_DOESNT_EXIST',
      errorCode: 'VALIDATION',
      lastError: expect.stringContaining('does not exist'),
    });

    const one = await admin.request('POST', `/admin/api/connections/${hubspotId}/dead-letters/${dead[0]!.id}/replay`);
    expect(one.body).toEqual({ replayed: 1 });
    expect(await outbox.findOneByOrFail({ id: dead[0]!.id })).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await outbox.findOneByOrFail({ id: dead[1]!.id })).toMatchObject({ status: 'dead' });
    expect((await jobsFor(bed, 'fieldcast-writeback')).map((j) => j.data)).toContainEqual({ connectionId: hubspotId, stream: 'contacts' });
    expect((await admin.request('POST', `/admin/api/connections/${hubspotId}/dead-letters/${dead[0]!.id}/replay`)).status).toBe(404);

    const all = await admin.request('POST', `/admin/api/connections/${hubspotId}/dead-letters/replay`);
    expect(all.body).toEqual({ replayed: 2 });
    expect(await outbox.countBy({ connectionId: hubspotId, status: 'dead' })).toBe(0);
  });

  it('shows model cards and promotes and rolls back versions', async () => {
    const repo = bed.platform.dataSource.getRepository(ModelArtifactEntity);
    const base = {
      connectionId: hubspotId,
      task: 'lead-score',
      trainedAt: new Date(),
      artifact: {
        explanation: {
          fieldImportance: [
            { field: 'source', meanAbsContribution: 0.8 },
            { field: 'title', meanAbsContribution: 0.3 },
          ],
        },
      },
    };
    const v1 = await repo.save({
      ...base,
      version: 1,
      status: 'champion',
      promotedAt: new Date(Date.now() - 60_000),
      trainingRows: 800,
      metrics: {
        auc: 0.81,
        roc: [
          { fpr: 0, tpr: 0 },
          { fpr: 1, tpr: 1 },
        ],
      },
    });
    const v2 = await repo.save({ ...base, version: 2, status: 'candidate', trainingRows: 900, metrics: { auc: 0.84 } });
    const cards = await admin.request<
      Array<{ task: string; champion: { version: number; topFields: unknown[]; roc: unknown[] } | null; versions: unknown[] }>
    >('GET', `/admin/api/connections/${hubspotId}/models`);
    const lead = cards.body.find((c) => c.task === 'lead-score')!;
    expect(lead.champion).toMatchObject({
      version: 1,
      trainingRows: 800,
      metrics: { auc: 0.81 },
      topFields: [
        { field: 'source', importance: 0.8 },
        { field: 'title', importance: 0.3 },
      ],
      roc: [
        { fpr: 0, tpr: 0 },
        { fpr: 1, tpr: 1 },
      ],
    });
    expect(lead.versions).toHaveLength(2);
    expect(cards.body.map((c) => c.task).sort()).toEqual(['escalation-risk', 'lead-score', 'ticket-category']);

    await admin.request('POST', `/admin/api/connections/${hubspotId}/models/versions/${v2.id}/promote`);
    expect((await repo.findOneByOrFail({ id: v2.id })).status).toBe('champion');
    expect((await repo.findOneByOrFail({ id: v1.id })).status).toBe('retired');
    const rolled = await admin.request('POST', `/admin/api/connections/${hubspotId}/models/lead-score/rollback`);
    expect(rolled.status).toBe(200);
    expect((await repo.findOneByOrFail({ id: v1.id })).status).toBe('champion');
    expect((await repo.findOneByOrFail({ id: v2.id })).status).toBe('retired');
    const retrain = await admin.request('POST', `/admin/api/connections/${hubspotId}/models/lead-score/retrain`);
    expect(retrain.status).toBe(202);
    expect((await jobsFor(bed, 'fieldcast-retrain')).map((j) => j.data)).toContainEqual({ connectionId: hubspotId, task: 'lead-score' });
    expect((await admin.request('POST', `/admin/api/connections/${hubspotId}/models/not-a-task/retrain`)).status).toBe(400);
  });

  it('lists connections with health, pauses and resumes, and deletes only with the confirmation', async () => {
    const list = await admin.request<{ items: ConnectionView[]; total: number }>('GET', '/admin/api/connections');
    expect(list.body.total).toBe(2);
    const hub = list.body.items.find((c) => c.id === hubspotId)!;
    expect(hub.health).toMatchObject({ deadLetters: 0, webhookPending: 0, runningRunId: expect.any(String) });

    const paused = await admin.request<ConnectionView>('POST', `/admin/api/connections/${zendeskId}/pause`);
    expect(paused.body.status).toBe('paused');
    expect((await admin.request('POST', `/admin/api/connections/${zendeskId}/sync`, {})).status).toBe(409);
    const resumed = await admin.request<ConnectionView>('POST', `/admin/api/connections/${zendeskId}/resume`);
    expect(resumed.body.status).not.toBe('paused');

    const wrong = await admin.request('DELETE', `/admin/api/connections/${zendeskId}?confirm=zendesk`);
    expect(wrong.status).toBe(400);
    expect(wrong.body['errors']).toEqual([expect.objectContaining({ pointer: '/confirm' })]);
    expect(await bed.platform.dataSource.getRepository(ConnectionEntity).existsBy({ id: zendeskId })).toBe(true);
    const deleted = await admin.request('DELETE', `/admin/api/connections/${zendeskId}?confirm=${encodeURIComponent('Zendesk support')}`);
    expect(deleted.status).toBe(204);
    expect(await bed.platform.dataSource.getRepository(ConnectionEntity).existsBy({ id: zendeskId })).toBe(false);
    expect((await admin.request('GET', `/admin/api/connections/${zendeskId}`)).status).toBe(404);
  });

  it('documents the admin API in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${bed.baseUrl}/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/admin/api/connections',
      '/admin/api/connections/{id}/streams/{stream}',
      '/admin/api/connections/{id}/dead-letters/replay',
      '/admin/api/api-keys',
      '/admin/api/audit-log',
      '/admin/api/auth/login',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
