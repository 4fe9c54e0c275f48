/**
 * HubSpot connector under stress, against the sandbox over HTTP: token refresh ahead of expires_in,
 * a token that dies mid-sync (401 → one refresh → same call again), a refresh token that no longer
 * works (AUTH_EXPIRED), 429 storms (Retry-After honoured, budget fed), the real rolling window, 5xx,
 * and a failed archived listing that must not produce deletes.
 */
import type { ConnectorException } from '@fieldcast/connector-sdk';
import { generateDemoData } from '@fieldcast/sandbox';
import { runHubSpotSync, startHubSpotConnectorBed, type HubSpotConnectorBed } from './hubspot-connector.fixtures';

describe('HubSpot connector: tokens, rate limits and failures', () => {
  let bed: HubSpotConnectorBed;
  beforeAll(async () => {
    bed = await startHubSpotConnectorBed({ data: generateDemoData({ leads: 300, tickets: 0, seed: 4 }) });
  });
  afterAll(() => bed.sandbox.stop());
  beforeEach(() => bed.control('POST', '/reset'));

  it('refreshes ahead of expires_in and persists the new token before using it; never sees a 401', async () => {
    const { ctx, refreshed } = bed.context({ credentials: { expiresAt: Date.now() + 2_000 } });
    await bed.control('POST', '/tokens', { ttlSeconds: 4 });
    const run = await runHubSpotSync(bed, ctx, 'contacts', null, { pageSize: 100 });
    expect(run.records).toHaveLength(300);
    expect(refreshed).toHaveLength(1);
    const next = refreshed[0]! as { accessToken: string; expiresAt: number; refreshToken: string };
    expect(next.accessToken).not.toBe((ctx.credentials as { accessToken: string }).accessToken);
    expect(next.refreshToken).toBe((ctx.credentials as { refreshToken: string }).refreshToken);
    expect(next.expiresAt).toBeGreaterThan(Date.now() + 2_000);
    const stats = await bed.control<{ calls: Record<string, number> }>('GET', '/stats');
    expect(stats.body.calls['POST /oauth/v1/token']).toBe(1);
  });

  it('a token revoked mid-sync gets one refresh and the same call again; the sync completes', async () => {
    const { ctx, refreshed, warnings } = bed.context();
    const first = await runHubSpotSync(bed, ctx, 'contacts', null, { pageSize: 100, maxPages: 1 });
    // A full page holds back the records of its last modstamp for the tie step: at most 100, at least one.
    expect(first.records.length).toBeGreaterThan(0);
    await bed.control('POST', '/tokens', { expireAll: true });
    const rest = await runHubSpotSync(bed, ctx, 'contacts', first.cursor, { pageSize: 100 });
    expect(first.records.length + rest.records.length).toBe(300);
    expect(refreshed).toHaveLength(1);
    expect(warnings.some((w) => String(w.details?.error).includes('refreshed token'))).toBe(true);
  });

  it('a refresh token HubSpot refuses surfaces as AUTH_EXPIRED with what to do', async () => {
    const { ctx } = bed.context({ credentials: { expiresAt: Date.now() - 1, refreshToken: 'na1-revoked' } });
    const failure = (await bed.connector
      .fetchPage(ctx, { stream: 'contacts', cursor: null, pageSize: 10, mode: 'full' })
      .catch((e: unknown) => e)) as ConnectorException;
    expect(failure.code).toBe('AUTH_EXPIRED');
    expect(failure.vendorCode).toBe('BAD_REFRESH_TOKEN');
    expect(failure.message).toContain('reconnect');
  });

  it('rides out a 429 storm by waiting Retry-After itself and reports each hit to the budget', async () => {
    await bed.control('POST', '/faults', { rateLimitNext: 2, retryAfterSeconds: 1 });
    const { ctx, budget } = bed.context();
    const started = Date.now();
    const run = await runHubSpotSync(bed, ctx, 'contacts', null);
    expect(run.records).toHaveLength(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(budget.snapshot().rateLimitHits).toBe(2);
    const stats = await bed.control<{ rateLimitHits: number }>('GET', '/stats');
    expect(stats.body.rateLimitHits).toBe(2);
  });

  it('stays inside the real rolling window: feeds X-HubSpot-RateLimit-* into the budget and recovers from the 429s it still gets', async () => {
    await bed.control('POST', '/rate-limit', { maxPerWindow: 4, windowMs: 500, searchPerSecond: 0 });
    const { ctx, budget } = bed.context();
    const ops = bed.sandbox.stores.contacts
      .all()
      .slice(0, 300)
      .map((r, i) => ({ opId: `op-${i}`, externalId: r.id, fields: { jobtitle: `Window ${i}` } }));
    const results = await bed.connector.writeBatch(ctx, { stream: 'contacts', ops });
    expect(results.every((r) => r.status === 'written')).toBe(true);
    const snapshot = budget.snapshot();
    expect(snapshot.limit).toBe(4);
    expect(snapshot.callsByEndpoint['POST /crm/v3/objects/contacts/batch/update']).toBeGreaterThanOrEqual(3);
    const run = await runHubSpotSync(bed, ctx, 'contacts', null, { pageSize: 50 });
    expect(run.records).toHaveLength(300);
  });

  it('paces searches to the per-second limit when it is on', async () => {
    await bed.control('POST', '/rate-limit', { searchPerSecond: 5 });
    const { ctx, budget } = bed.context({ options: { searchMinIntervalMs: 220 } });
    const run = await runHubSpotSync(bed, ctx, 'contacts', null, { pageSize: 50 });
    expect(run.records).toHaveLength(300);
    expect(budget.snapshot().rateLimitHits).toBe(0);
  });

  it('retries 5xx with backoff; a failing archived listing fails the page instead of producing partial deletes', async () => {
    await bed.control('POST', '/faults', { serverErrorNext: 2 });
    const { ctx } = bed.context();
    const run = await runHubSpotSync(bed, ctx, 'contacts', null);
    expect(run.records).toHaveLength(300);

    const [victim] = bed.sandbox.stores.contacts.all();
    await bed.control('POST', '/reset');
    await bed.control('DELETE', `/records/contacts/${victim!.id}`);
    // The window admits the search but not the archived listing after it, and the wait is too long to
    // sit out in process: the page fails as a whole, so no partial delete list ever reaches the engine.
    await bed.control('POST', '/rate-limit', { maxPerWindow: 1, windowMs: 60_000 });
    const strict = bed.context({ options: { maxInProcessWaitMs: 1000 } });
    const failure = (await bed.connector
      .fetchPage(strict.ctx, { stream: 'contacts', cursor: run.cursor, pageSize: 200, mode: 'incremental' })
      .catch((e: unknown) => e)) as ConnectorException;
    expect(failure.code).toBe('RATE_LIMITED');
    expect(failure.retryAfterMs).toBeGreaterThan(50_000);
    expect(strict.budget.snapshot().callsByEndpoint).toMatchObject({
      'POST /crm/v3/objects/contacts/search': 1,
      'GET /crm/v3/objects/contacts?archived=true': 1,
    });
    // Once the window allows it, the same cursor yields the delete.
    await bed.control('POST', '/rate-limit', { maxPerWindow: 100_000 });
    const retry = await bed.connector.fetchPage(bed.context().ctx, {
      stream: 'contacts',
      cursor: run.cursor,
      pageSize: 200,
      mode: 'incremental',
    });
    expect(retry.deletedIds).toEqual([victim!.id]);
  });
});
