/**
 * Zendesk connector sync against the sandbox with the real node-zendesk: first sync, incremental
 * sync, tickets sharing one timestamp across a page boundary, more than 10,000 changed tickets
 * (through the 10-exports-per-minute limit), deletes, resume after an interruption, a cursor Zendesk
 * no longer accepts, and a 429 storm.
 */
import { decodeCursor } from '@fieldcast/connector-sdk';
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

  it('syncs more than 10,000 changed tickets through the 10-per-minute export limit, waiting out the 429s', async () => {
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(12_000) });
    const { ctx, budget } = makeContext(bed);
    const first = await syncAll(connector, ctx, null);
    expect(first.records).toHaveLength(12_000);
    const touched = await bed.control<{ updated: number }>('POST', 'tickets/touch', {
      first: 10_500,
      changes: { subject: 'Changed in bulk' },
    });
    expect(touched.body.updated).toBe(10_500);
    // Zendesk's real export limit (10 per window) with a 2-second window so the test waits seconds, not a minute.
    await bed.control('POST', 'settings', { exportRequestsPerMinute: 10, rateWindowSeconds: 2 });
    bed.sandbox.limiter.reset();
    const changed = await syncAll(connector, ctx, first.cursor);
    expect(changed.records).toHaveLength(10_500);
    expect(new Set(changed.records.map((r) => r.externalId)).size).toBe(10_500);
    expect(changed.records.every((r) => r.fields.subject === 'Changed in bulk')).toBe(true);
    expect(budget.snapshot().rateLimitHits).toBeGreaterThanOrEqual(1);
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
