/** Incremental sync of the Salesforce connector against the sandbox with the real jsforce. */
import { ConnectorException, decodeCursor } from '@fieldcast/connector-sdk';
import { SalesforceConnector } from '../src';
import { demoLeads, makeContext, startSandbox, syncAll } from './salesforce-connector.helpers';
import type { StartedSalesforceSandbox } from '../../../apps/sandbox/test/salesforce-sandbox.helpers';

describe('Salesforce connector: sync', () => {
  let sf: StartedSalesforceSandbox;
  const connector = new SalesforceConnector({ retryBaseMs: 10 });
  beforeAll(async () => {
    sf = await startSandbox({ data: { leads: demoLeads(2500), tickets: [] } });
  });
  afterAll(() => sf.sandbox.stop());
  beforeEach(() => sf.control('POST', 'reset'));

  it('first sync reads every lead once, ordered, with ISO modstamps and the last modifier', async () => {
    const { ctx, budget } = await makeContext(sf);
    const run = await syncAll(connector, ctx, 'leads', null, 1000);
    expect(run.pages).toBe(3);
    expect(run.records).toHaveLength(2500);
    expect(new Set(run.records.map((r) => r.externalId)).size).toBe(2500);
    const r = run.records[0];
    expect(r.object).toBe('Lead');
    expect(r.modstamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(r.fields).toMatchObject({
      IsConverted: expect.any(Boolean),
      Company: expect.any(String),
      Website_Visits__c: expect.any(Number),
    });
    expect(r.fields).not.toHaveProperty('attributes');
    expect(r.lastModifiedBy).toBe((await sf.credentials()).adminUserId);
    expect(decodeCursor(run.cursor)).toEqual({ modstamp: run.records[2499].modstamp, id: run.records[2499].externalId });
    // 1 describe + 3 pages; a first (full) run needs no getDeleted.
    expect(budget.snapshot().callsByEndpoint).toEqual({ 'GET sobjects/Lead/describe': 1, 'GET queryAll Lead': 3 });
    expect(budget.snapshot()).toMatchObject({ used: expect.any(Number), limit: 1_000_000 });
  }, 20000);

  it('does not miss or repeat records sharing one SystemModstamp across page boundaries, and resumes from any saved page', async () => {
    const { ctx } = await makeContext(sf);
    // The seed is a bulk load: all 2,500 leads share one SystemModstamp, so every page boundary falls inside it.
    const first = await connector.fetchPage(ctx, { stream: 'leads', cursor: null, pageSize: 700, mode: 'incremental' });
    expect(new Set(first.records.map((r) => r.modstamp)).size).toBe(1);
    // A fresh connector (as after a crash) continues from the saved cursor.
    const resumed = await syncAll(new SalesforceConnector(), ctx, 'leads', first.nextCursor, 700);
    const ids = [...first.records, ...resumed.records].map((r) => r.externalId);
    expect(ids).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);

    const touched = await sf.control<{ SystemModstamp: string }>('POST', 'records/Lead/touch', {
      count: 1500,
      fields: { Title: 'Mass edit' },
    });
    const incremental = await syncAll(connector, ctx, 'leads', resumed.cursor, 200);
    expect(incremental.records).toHaveLength(1500);
    expect(new Set(incremental.records.map((r) => r.externalId)).size).toBe(1500);
    expect(new Set(incremental.records.map((r) => r.modstamp))).toEqual(new Set([touched.body.SystemModstamp.replace('+0000', 'Z')]));
    expect(incremental.records.every((r) => r.fields.Title === 'Mass edit')).toBe(true);
  }, 20000);

  it('incremental sync returns exactly the changed and created records, and nothing when nothing changed', async () => {
    const { ctx, budget } = await makeContext(sf);
    const base = await syncAll(connector, ctx, 'leads', null);
    const idle = await syncAll(connector, ctx, 'leads', base.cursor);
    expect(idle.records).toHaveLength(0);
    expect(idle.deletedIds).toHaveLength(0);
    expect(decodeCursor(idle.cursor)).toEqual(decodeCursor(base.cursor));

    const changed = [base.records[10].externalId, base.records[2000].externalId];
    for (const id of changed) await sf.control('PATCH', `records/Lead/${id}`, { Title: 'Changed in CRM' });
    const created = (await sf.control<{ Id: string }>('POST', 'records/Lead', { LastName: 'Newbie', Company: 'New Co' })).body.Id;
    const next = await syncAll(connector, ctx, 'leads', idle.cursor);
    expect(next.records.map((r) => r.externalId)).toEqual([...changed, created]);
    expect(next.records[0].fields.Title).toBe('Changed in CRM');
    expect(budget.snapshot().callsByEndpoint['GET sobjects/Lead/deleted']).toBe(2);
  });

  it('syncs more than 10,000 changed records (no jsforce maxFetch cap)', async () => {
    sf.sandbox.seed({ leads: demoLeads(12_000), tickets: [] });
    const { ctx, budget } = await makeContext(sf);
    const base = await syncAll(connector, ctx, 'leads', null);
    expect(base.records).toHaveLength(12_000);
    await sf.control('POST', 'records/Lead/touch', { count: 12_000, fields: { Title: 'Reassigned' } });
    const changed = await syncAll(connector, ctx, 'leads', base.cursor);
    expect(changed.records).toHaveLength(12_000);
    expect(new Set(changed.records.map((r) => r.externalId)).size).toBe(12_000);
    expect(budget.snapshot().callsByEndpoint['GET queryAll Lead']).toBe(7 + 7);
  }, 20000);

  it('reports deletes from queryAll (IsDeleted) and getDeleted, never from a partial listing', async () => {
    const { ctx } = await makeContext(sf);
    const base = await syncAll(connector, ctx, 'leads', null);
    const gone = [base.records[5].externalId, base.records[6].externalId];
    for (const id of gone) await sf.control('DELETE', `records/Lead/${id}`);
    const page = await connector.fetchPage(ctx, { stream: 'leads', cursor: base.cursor, pageSize: 1, mode: 'incremental' });
    expect(page.hasMore).toBe(true);
    expect(page.deletedIds).toEqual([gone[0]]);
    const rest = await syncAll(connector, ctx, 'leads', page.nextCursor, 1);
    // queryAll gives the second delete in order; getDeleted at the end of the run repeats both (deletes are idempotent).
    expect(rest.deletedIds[0]).toBe(gone[1]);
    expect(new Set(rest.deletedIds)).toEqual(new Set(gone));
    expect(rest.records).toHaveLength(0);
    expect(rest.pages).toBe(2);
  });

  it('survives token expiry mid-sync: jsforce refreshes, the new token is persisted, the page is replayed', async () => {
    const { ctx, refreshed } = await makeContext(sf);
    const first = await connector.fetchPage(ctx, { stream: 'leads', cursor: null, pageSize: 1000, mode: 'incremental' });
    await sf.control('POST', 'tokens/expire');
    const rest = await syncAll(connector, ctx, 'leads', first.nextCursor, 1000);
    expect(first.records.length + rest.records.length).toBe(2500);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({ kind: 'oauth2', instanceUrl: sf.baseUrl });
    expect(ctx.credentials.kind === 'oauth2' && ctx.credentials.accessToken).toBe((refreshed[0] as { accessToken: string }).accessToken);

    await sf.control('POST', 'tokens/expire');
    ctx.credentials = { ...ctx.credentials, refreshToken: 'revoked' } as typeof ctx.credentials;
    const error = await connector
      .fetchPage(ctx, { stream: 'leads', cursor: null, pageSize: 10, mode: 'incremental' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorException);
    expect(error).toMatchObject({ code: 'AUTH_EXPIRED' });
  }, 20000);

  it('rides out 5xx / 429 storms on reads and stops at the daily limit with RATE_LIMITED', async () => {
    const { ctx, budget } = await makeContext(sf);
    await sf.control('POST', 'faults', { serverErrorNext: 2 });
    const page = await connector.fetchPage(ctx, { stream: 'leads', cursor: null, pageSize: 10, mode: 'incremental' });
    expect(page.records).toHaveLength(10);
    await sf.control('POST', 'faults', { rateLimitNext: 1 });
    expect(
      (await connector.fetchPage(ctx, { stream: 'leads', cursor: page.nextCursor, pageSize: 10, mode: 'incremental' })).records,
    ).toHaveLength(10);
    expect(budget.snapshot().used).toBeGreaterThan(0);

    await sf.control('POST', 'limits', { dailyApiLimit: 100, used: 100 });
    const before = budget.snapshot().calls;
    const error = await connector
      .fetchPage(ctx, { stream: 'leads', cursor: page.nextCursor, pageSize: 10, mode: 'incremental' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', vendorCode: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 3_600_000 });
    expect(budget.snapshot().calls - before).toBe(1);
    expect(budget.snapshot().rateLimitHits).toBeGreaterThanOrEqual(1);
  }, 20000);

  it('runs a full sync (the engine’s resync) from scratch, paging with its own cursor, deletes included', async () => {
    const { ctx, budget } = await makeContext(sf);
    const base = await syncAll(connector, ctx, 'leads', null);
    await sf.control('DELETE', `records/Lead/${base.records[0].externalId}`);
    const full = await syncAll(connector, ctx, 'leads', null, 600, 'full');
    expect(full.records).toHaveLength(2499);
    expect(full.deletedIds).toEqual([base.records[0].externalId]);
    expect(full.pages).toBe(5);
    // Full runs list deletes from queryAll only; getDeleted belongs to incremental windows.
    expect(budget.snapshot().callsByEndpoint['GET sobjects/Lead/deleted']).toBeUndefined();
    // The cursor a full run ends with continues incrementally: nothing new since.
    expect((await syncAll(connector, ctx, 'leads', full.cursor)).records).toHaveLength(0);
  });

  it('rejects a cursor it did not write with INVALID_CURSOR and bad settings with CONFIG', async () => {
    const { ctx } = await makeContext(sf);
    await expect(connector.fetchPage(ctx, { stream: 'leads', cursor: 'garbage', pageSize: 10, mode: 'incremental' })).rejects.toMatchObject(
      { code: 'INVALID_CURSOR' },
    );
    await expect(connector.fetchPage(ctx, { stream: 'contacts', cursor: null, pageSize: 10, mode: 'incremental' })).rejects.toMatchObject({
      code: 'CONFIG',
    });
    const bad = await makeContext(sf, { options: { lookbackMs: -1, apiVersion: '30.0' } });
    const error = await connector
      .fetchPage(bad.ctx, { stream: 'leads', cursor: null, pageSize: 10, mode: 'incremental' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect((error as Error).message).toContain('lookbackMs must be');
    expect((error as Error).message).toContain('apiVersion must look like');
  });
});
