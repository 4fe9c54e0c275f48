/**
 * Zendesk connector: more than 10,000 changed tickets in one incremental run, through the
 * incremental-export rate limit (429 with Retry-After, resolved by node-zendesk), against the sandbox.
 */
import { ZendeskConnector } from '@fieldcast/connector-zendesk';
import { makeContext, startZendeskTestBed, syncAll, zendeskDemoTickets, type ZendeskTestBed } from './zendesk-connector.helpers';

jest.setTimeout(60_000);

describe('Zendesk connector: large incremental sync', () => {
  let bed: ZendeskTestBed;
  const connector = new ZendeskConnector({ retryBaseMs: 50 });
  beforeAll(async () => {
    bed = await startZendeskTestBed();
    await bed.control('POST', 'settings', { exportBufferSeconds: 0, exportRequestsPerMinute: 1000 });
  });
  afterAll(() => bed.sandbox.stop());

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
    // A small export limit with a 2-second window (Zendesk: 10 per minute) so the test waits seconds, not
    // minutes; the window is used up first, so the connector's first export call is a 429 for certain.
    await bed.control('POST', 'settings', { exportRequestsPerMinute: 4, rateWindowSeconds: 2 });
    bed.sandbox.limiter.reset();
    const auth = { Authorization: `Bearer ${bed.credentials.oauth.accessToken}` };
    for (let i = 0; i < 4; i++)
      await fetch(`${bed.credentials.endpointUri}/incremental/tickets/cursor.json?start_time=0&per_page=1`, { headers: auth });
    const changed = await syncAll(connector, ctx, first.cursor);
    expect(changed.records).toHaveLength(10_500);
    expect(new Set(changed.records.map((r) => r.externalId)).size).toBe(10_500);
    expect(changed.records.every((r) => r.fields.subject === 'Changed in bulk')).toBe(true);
    expect(budget.snapshot().rateLimitHits).toBeGreaterThanOrEqual(1);
  });
});
