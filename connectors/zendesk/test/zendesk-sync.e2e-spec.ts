/**
 * Zendesk connector sync against the sandbox with the real node-zendesk: first sync, incremental
 * sync, tickets sharing one timestamp across a page boundary, deletes (only from complete runs),
 * resume after an interruption, a cursor Zendesk no longer accepts, a 429 storm, OAuth token expiry
 * (refreshed) and auth and config errors. More than 10,000 changed tickets: zendesk-sync-volume.e2e-spec.ts.
 */
import { decodeCursor, type ConnectionCredentials } from '@fieldcast/connector-sdk';
import { ZendeskConnector } from '@fieldcast/connector-zendesk';
import { makeContext, startZendeskTestBed, syncAll, zendeskDemoTickets, type ZendeskTestBed } from './zendesk-connector.helpers';

jest.setTimeout(60_000);

describe('Zendesk connector: incremental sync', () => {
  let bed: ZendeskTestBed;
  const connector = new ZendeskConnector({ retryBaseMs: 50 });
  beforeAll(async () => {
    bed = await startZendeskTestBed();
  });
  afterAll(() => bed.sandbox.stop());
  beforeEach(async () => {
    await bed.control('POST', 'reset');
    await bed.control('POST', 'settings', { exportBufferSeconds: 0, exportRequestsPerMinute: 1000 });
  });

  it('first sync reads every ticket with labels, tier and category; an incremental run then reads only changes', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(2500) });
    const { ctx, budget } = makeContext(bed);
    const first = await syncAll(connector, ctx, null);
    expect(first.records).toHaveLength(2500);
    expect(first.pages).toBe(3);
    expect(new Set(first.records.map((r) => r.externalId)).size).toBe(2500);
    const six = first.records.find((r) => r.externalId === '6')!;
    expect(six).toMatchObject({
      object: 'tickets',
      fields: { priority: 'urgent', escalated_tag: true, in_tier2_group: true, category: 'Technical', customer_tier: 'tier_standard' },
    });
    expect(first.records.find((r) => r.externalId === '4')!.fields.category).toBe('question'); // uncategorised: falls back to type
    expect(budget.snapshot()).toMatchObject({ limit: 700 });
    expect(budget.snapshot().callsByEndpoint['GET /api/v2/incremental/tickets/cursor']).toBe(3);

    const nothing = await syncAll(connector, ctx, first.cursor);
    expect(nothing.records).toEqual([]);

    await bed.control('POST', 'tickets/touch', { ids: [10, 2000], changes: { priority: 'high' } });
    const second = await syncAll(connector, ctx, nothing.cursor);
    expect(second.records.map((r) => r.externalId).sort()).toEqual(['10', '2000']);
    expect(second.records.every((r) => r.fields.priority === 'high')).toBe(true);
    expect(Date.parse(decodeCursor(second.cursor)!.modstamp)).toBeGreaterThan(Date.parse(decodeCursor(first.cursor)!.modstamp));
  });

  it('a full run pages through to the end like an incremental one (it follows its own cursor from page to page)', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(450) });
    const { ctx } = makeContext(bed);
    const full = await syncAll(connector, ctx, null, { pageSize: 100, mode: 'full', maxPages: 20 });
    expect(full.pages).toBe(5);
    expect(full.records.map((r) => r.externalId)).toEqual(Array.from({ length: 450 }, (_, i) => String(i + 1)));
  });

  it('pages through tickets that share one timestamp without losing or repeating any', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(1050, { sameUpdatedAt: true }) });
    const { ctx } = makeContext(bed, { auth: 'oauth2' });
    const run = await syncAll(connector, ctx, null, { pageSize: 100 });
    expect(run.pages).toBe(11);
    expect(run.records).toHaveLength(1050);
    expect(new Set(run.records.map((r) => r.externalId)).size).toBe(1050);
    expect(new Set(run.records.map((r) => r.modstamp)).size).toBe(1);
  });

  it('resumes an interrupted run from the last saved cursor, and survives a cursor Zendesk rejects', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(600) });
    const { ctx, warnings } = makeContext(bed);
    const partial = await syncAll(connector, ctx, null, { pageSize: 200, maxPages: 2 });
    expect(partial.records).toHaveLength(400);
    const rest = await syncAll(connector, ctx, partial.cursor, { pageSize: 200 });
    expect(rest.records.map((r) => Number(r.externalId))).toEqual(Array.from({ length: 200 }, (_, i) => 401 + i));

    // A cursor from before a re-seed is refused by Zendesk: the connector re-reads from its modstamp minus the lookback.
    const saved = rest.cursor;
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(600) });
    await bed.control('POST', 'tickets/touch', { ids: [3], changes: { subject: 'after re-seed' } });
    const recovered = await syncAll(connector, ctx, saved);
    expect(warnings.some((w) => w.includes('no longer accepts the saved export cursor'))).toBe(true);
    expect(recovered.records.map((r) => r.externalId)).toContain('3');
    expect(recovered.records.filter((r) => r.externalId === '3')).toHaveLength(1);
  });

  it('reports deleted tickets as deletes (tombstones), not as records', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(50) });
    const { ctx } = makeContext(bed);
    const first = await syncAll(connector, ctx, null);
    await bed.client.tickets.delete(7);
    await bed.client.tickets.delete(8);
    const next = await syncAll(connector, ctx, first.cursor);
    expect(next.deletedIds.sort()).toEqual(['7', '8']);
    expect(next.records).toEqual([]);
  });

  it('reports deletes only when a run completes: an interrupted run reports none, the resumed run reports them', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(300) });
    const { ctx } = makeContext(bed);
    const first = await syncAll(connector, ctx, null);
    await bed.client.tickets.delete(20);
    const touched = await bed.control<{ updated: number }>('POST', 'tickets/touch', {
      ids: Array.from({ length: 150 }, (_, i) => i + 100),
      changes: { subject: 'Touched' },
    });
    await bed.client.tickets.delete(30);
    const partial = await syncAll(connector, ctx, first.cursor, { pageSize: 60, maxPages: 2 });
    expect(partial.records.length).toBeGreaterThan(0);
    expect(partial.deletedIds).toEqual([]);
    const rest = await syncAll(connector, ctx, partial.cursor, { pageSize: 60 });
    expect(rest.deletedIds.sort()).toEqual(['20', '30']);
    expect(new Set([...partial.records, ...rest.records].map((r) => r.externalId)).size).toBe(touched.body.updated);
  });

  it('rides out a 429 storm on reads (resolved 429s are detected, Retry-After honoured)', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(30) });
    const { ctx, budget } = makeContext(bed);
    await bed.control('POST', 'faults', { rateLimitNext: 3, retryAfterSeconds: 1 });
    const run = await syncAll(connector, ctx, null);
    expect(run.records).toHaveLength(30);
    expect(budget.snapshot().rateLimitHits).toBe(3);
    // Longer waits are the engine's job: the connector gives up with RATE_LIMITED and the wait.
    await bed.control('POST', 'faults', { rateLimitNext: 1, retryAfterSeconds: 120 });
    await expect(syncAll(connector, ctx, run.cursor)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 120_000 });
  });

  it('an OAuth token that expires mid-sync gets one refresh (rotated pair, persisted first) and the sync completes', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(500) });
    const { ctx, warnings } = makeContext(bed, { auth: 'oauth2' });
    const refreshed: ConnectionCredentials[] = [];
    ctx.onCredentialsRefreshed = async (next) => void refreshed.push(next);
    const firstPage = await syncAll(connector, ctx, null, { pageSize: 200, maxPages: 1 });
    await bed.control('POST', 'oauth/expire');
    const rest = await syncAll(connector, ctx, firstPage.cursor, { pageSize: 200 });
    const ids = [...firstPage.records, ...rest.records].map((r) => r.externalId);
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({ kind: 'oauth2', clientId: bed.credentials.oauth.clientId });
    const { accessToken, refreshToken } = refreshed[0] as { accessToken: string; refreshToken: string };
    expect(accessToken).not.toBe(bed.credentials.oauth.accessToken);
    // Zendesk rotates refresh tokens: the stored one must be the new one, the old one no longer works.
    expect(refreshToken).not.toBe(bed.credentials.oauth.refreshToken);
    expect(warnings).toContain('zendesk call failed, retrying');
    const stats = await bed.control<{ calls: Record<string, number> }>('GET', 'stats');
    expect(stats.body.calls['POST /oauth/tokens']).toBe(1);
  });

  it('an OAuth token that cannot be refreshed stops the run with AUTH_EXPIRED; re-authorized, the next run resumes from the saved cursor', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(500) });
    // Tokens Zendesk issued before refresh tokens existed (or by a grant without one) cannot be refreshed.
    const withoutRefresh = () => {
      const made = makeContext(bed, { auth: 'oauth2' });
      made.ctx.credentials = { ...(made.ctx.credentials as Extract<ConnectionCredentials, { kind: 'oauth2' }>), refreshToken: undefined };
      return made.ctx;
    };
    const ctx = withoutRefresh();
    const firstPage = await syncAll(connector, ctx, null, { pageSize: 200, maxPages: 1 });
    await bed.control('POST', 'oauth/expire');
    await expect(syncAll(connector, ctx, firstPage.cursor, { pageSize: 200 })).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
      httpStatus: 401,
    });
    // The admin re-authorizes (here: a client_credentials grant); the engine builds the next run's context with the new token.
    const grant = await fetch(bed.credentials.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: bed.credentials.oauth.clientId,
        client_secret: bed.credentials.oauth.clientSecret,
      }),
    });
    const { access_token } = (await grant.json()) as { access_token: string };
    const next = withoutRefresh();
    next.credentials = { ...(next.credentials as Extract<ConnectionCredentials, { kind: 'oauth2' }>), accessToken: access_token };
    const rest = await syncAll(connector, next, firstPage.cursor, { pageSize: 200 });
    const ids = [...firstPage.records, ...rest.records].map((r) => r.externalId);
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
  });

  it('times out a hung request (node-zendesk has no timeout of its own) and retries it as TEMPORARY', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(10) });
    const slow = new ZendeskConnector({ retryBaseMs: 50, maxAttempts: 2, requestTimeoutMs: 300 });
    const { ctx, warnings } = makeContext(bed);
    await bed.control('POST', 'faults', { latencyMs: 1000 });
    await expect(syncAll(slow, ctx, null)).rejects.toMatchObject({ code: 'TEMPORARY', vendorCode: 'Timeout' });
    expect(warnings).toContain('zendesk call failed, retrying');
    await bed.control('POST', 'faults', { latencyMs: 0 });
    expect((await syncAll(slow, ctx, null)).records).toHaveLength(10);
  });

  it('codes auth failures and bad settings', async () => {
    const { ctx } = makeContext(bed);
    ctx.credentials = { kind: 'api_token', email: bed.credentials.email, token: 'revoked' };
    await expect(syncAll(connector, ctx, null)).rejects.toMatchObject({ code: 'AUTH_EXPIRED', httpStatus: 401 });
    const { ctx: bad } = makeContext(bed, { settings: { baseUrl: 'not a url' } });
    await expect(syncAll(connector, bad, null)).rejects.toMatchObject({ code: 'CONFIG' });
    const { ctx: badOptions } = makeContext(bed, { settings: { options: { categoryFieldId: 'Category' } } });
    await expect(syncAll(connector, badOptions, null)).rejects.toThrow('categoryFieldId: expected a ticket field id');
  });
});
