/**
 * HubSpot connector sync at scale against the sandbox over HTTP: more than 10,000 records changed in
 * one millisecond, synced without ever paging into the search API's 10,000-result cap; and the write-back cost (1,000 scores = 10 calls).
 */
import { encodeCursor } from '@fieldcast/connector-sdk';
import { generateDemoData } from '@fieldcast/sandbox';
import { liveIds, runHubSpotSync, startHubSpotConnectorBed, type HubSpotConnectorBed } from './hubspot-connector.fixtures';

describe('HubSpot connector: more than 10,000 changed records', () => {
  let bed: HubSpotConnectorBed;
  beforeAll(async () => {
    bed = await startHubSpotConnectorBed({ data: generateDemoData({ leads: 10_100, tickets: 0, seed: 8 }) });
  });
  afterAll(() => bed.sandbox.stop());

  it('an incremental run over 10,100 records changed in one millisecond never pages into the 10,000 cap', async () => {
    // The cursor a completed first sync would have saved (first syncs are covered in hubspot-sync.e2e-spec.ts).
    const last = bed.sandbox.stores.contacts
      .all()
      .reduce((a, b) => (a.properties.lastmodifieddate! >= b.properties.lastmodifieddate! ? a : b));
    const cursor = encodeCursor({ modstamp: last.properties.lastmodifieddate!, id: last.id });
    await bed.control('POST', '/records/contacts/touch', { count: 10_100 });
    const { ctx, budget } = bed.context();
    const run = await runHubSpotSync(bed, ctx, 'contacts', cursor);
    expect(run.records).toHaveLength(10_100);
    expect(new Set(run.records.map((r) => r.externalId)).size).toBe(10_100);
    expect(new Set(run.records.map((r) => r.modstamp)).size).toBe(1);
    // One search per 200 records (+ the step that found the tie and the empty last one), never a 400.
    const searches = budget.snapshot().callsByEndpoint['POST /crm/v3/objects/contacts/search']!;
    expect(searches).toBeLessThanOrEqual(Math.ceil(10_100 / 200) + 3);
    const stats = await bed.control<{ calls: Record<string, number> }>('GET', '/stats');
    expect(stats.body.calls['POST /crm/v3/objects/:type/search']).toBe(searches);
  }, 25_000);

  it('writes 1,000 changed scores with 10 API calls (issue 4 goal: at most 10)', async () => {
    const { ctx, budget } = bed.context();
    await bed.connector.ensureFields(ctx, 'contacts', [
      { key: 'lead_score', name: 'fieldcast_lead_score', label: 'Fieldcast lead score', type: 'number' },
    ]);
    const before = budget.snapshot().calls;
    const ops = liveIds(bed.sandbox, 'contacts')
      .slice(0, 1000)
      .map((id, i) => ({ opId: `s-${id}`, externalId: id, fields: { fieldcast_lead_score: i % 100 } }));
    const results = await bed.connector.writeBatch(ctx, { stream: 'contacts', ops });
    expect(results.every((r) => r.status === 'written')).toBe(true);
    expect(budget.snapshot().calls - before).toBe(10);
  });
});
