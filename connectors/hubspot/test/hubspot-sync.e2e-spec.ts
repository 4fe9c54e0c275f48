/**
 * HubSpot connector sync against the HubSpot sandbox over HTTP with the real SDK: first sync,
 * incremental, records sharing one modstamp across page boundaries (with ids crossing 99 → 100),
 * deletes from the archived listing, ticket
 * priority history for the escalation label, and an interrupted run resuming from its saved cursor.
 */
import { decodeCursor } from '@fieldcast/connector-sdk';
import { generateDemoData } from '@fieldcast/sandbox';
import { liveIds, runHubSpotSync, startHubSpotConnectorBed, type HubSpotConnectorBed } from './hubspot-connector.fixtures';

const data = generateDemoData({ leads: 450, tickets: 300, seed: 21 });

describe('HubSpot connector: sync', () => {
  let bed: HubSpotConnectorBed;
  beforeAll(async () => {
    bed = await startHubSpotConnectorBed({ data });
  });
  afterAll(() => bed.sandbox.stop());
  beforeEach(() => bed.control('POST', '/reset'));

  it('first sync reads every contact exactly once, in modstamp order, with the scoring properties', async () => {
    const { ctx, budget } = bed.context();
    const run = await runHubSpotSync(bed, ctx, 'contacts', null, { pageSize: 200 });
    const ids = run.records.map((r) => r.externalId);
    expect(ids).toHaveLength(450);
    expect(new Set(ids)).toEqual(new Set(liveIds(bed.sandbox, 'contacts')));
    const stamps = run.records.map((r) => r.modstamp);
    expect(stamps).toEqual([...stamps].sort());
    const sample = run.records.find((r) => r.fields.lifecyclestage === 'customer')!;
    expect(sample.fields).toMatchObject({
      email: expect.any(String),
      jobtitle: expect.any(String),
      hs_lifecyclestage_customer_date: expect.any(String),
    });
    // Write-back properties not provisioned yet are simply absent (HubSpot ignores unknown properties in reads).
    expect('fieldcast_lead_score' in sample.fields).toBe(false);
    expect(sample.object).toBe('contacts');
    const last = decodeCursor(run.cursor)!;
    expect(last.phase).toBeUndefined();
    expect(last.modstamp).toBe(stamps.at(-1));
    // Every call is counted; the archived listing closes the run.
    expect(budget.snapshot().callsByEndpoint['GET /crm/v3/objects/contacts?archived=true']).toBe(1);
    expect(budget.snapshot().used).toBeDefined();
  });

  it('incremental sync returns only what changed since the cursor, and deletes from the archived listing', async () => {
    const first = await runHubSpotSync(bed, bed.context().ctx, 'contacts', null);
    const [a, b, c, d] = liveIds(bed.sandbox, 'contacts');
    await bed.control('PATCH', `/records/contacts/${a}`, { properties: { jobtitle: 'Head of Data' } });
    await bed.control('PATCH', `/records/contacts/${b}`, { properties: { lifecyclestage: 'opportunity' } });
    await bed.control('POST', `/records/contacts`, { properties: { email: 'new.lead@example.com', lifecyclestage: 'lead' } });
    await bed.control('DELETE', `/records/contacts/${d}`);
    const second = await runHubSpotSync(bed, bed.context().ctx, 'contacts', first.cursor);
    const changed = second.records.map((r) => r.externalId);
    expect(changed).toHaveLength(3);
    expect(changed).toEqual(expect.arrayContaining([a, b]));
    expect(second.records.find((r) => r.externalId === a)!.fields.jobtitle).toBe('Head of Data');
    expect(second.deletedIds).toEqual([d]);
    expect(second.records.map((r) => r.externalId)).not.toContain(c);
    // Nothing changed: nothing comes back (the lookback re-read is deduplicated).
    const third = await runHubSpotSync(bed, bed.context().ctx, 'contacts', second.cursor);
    expect(third.records).toEqual([]);
  });

  it('records sharing one modstamp across page boundaries are neither missed nor duplicated (ids cross 99 → 100)', async () => {
    const first = await runHubSpotSync(bed, bed.context().ctx, 'contacts', null);
    const touched = await bed.control<{ touched: number; ids: string[] }>('POST', '/records/contacts/touch', {
      count: 250,
      properties: { jobtitle: 'Same Millisecond' },
    });
    expect(touched.body.touched).toBe(250);
    expect(touched.body.ids).toEqual(expect.arrayContaining(['99', '100']));
    const { ctx } = bed.context({ options: { lookbackMs: 0 } });
    const run = await runHubSpotSync(bed, ctx, 'contacts', first.cursor, { pageSize: 40 });
    const ids = run.records.map((r) => r.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(touched.body.ids));
    expect(run.pages.length).toBeGreaterThanOrEqual(7);
    expect(new Set(run.records.map((r) => r.modstamp)).size).toBe(1);
  });

  it('tie groups smaller than a page straddling page boundaries cost one search per page (no tie step)', async () => {
    const first = await runHubSpotSync(bed, bed.context().ctx, 'contacts', null);
    const ids = liveIds(bed.sandbox, 'contacts').slice(0, 150);
    const base = Date.now() - 60_000;
    // Six groups of 25 records, each group in one millisecond: pages of 40 end inside groups.
    for (let g = 0; g < 6; g++)
      await bed.control('POST', '/records/contacts/touch', { ids: ids.slice(g * 25, g * 25 + 25), at: base + g * 1000 });
    const { ctx, budget } = bed.context({ options: { lookbackMs: 0, searchSettleMs: 0 } });
    const run = await runHubSpotSync(bed, ctx, 'contacts', first.cursor, { pageSize: 40 });
    const read = run.records.map((r) => r.externalId);
    expect(read).toHaveLength(150);
    expect(new Set(read)).toEqual(new Set(ids));
    const stamps = run.records.map((r) => r.modstamp);
    expect(stamps).toEqual([...stamps].sort());
    // A full page holds back its last group, and the next query starts at that group's modstamp: one
    // search per page, plus the tie step that finishes the saved cursor's own modstamp (lookback 0).
    expect(run.pages.length).toBe(6);
    expect(budget.snapshot().callsByEndpoint['POST /crm/v3/objects/contacts/search']).toBe(run.pages.length + 1);
  });

  it('an interrupted run resumes from the cursor of its last page without gaps or repeats', async () => {
    const first = await runHubSpotSync(bed, bed.context().ctx, 'contacts', null, { pageSize: 100, maxPages: 2 });
    expect(decodeCursor(first.cursor)!.phase).toBeDefined();
    // A different worker (new context, new session) picks the run up from the saved cursor.
    const rest = await runHubSpotSync(bed, bed.context().ctx, 'contacts', first.cursor, { pageSize: 100 });
    const ids = [...first.records, ...rest.records].map((r) => r.externalId);
    expect(ids).toHaveLength(450);
    expect(new Set(ids).size).toBe(450);
  });

  it('tickets carry hs_ticket_priority history for the escalation label', async () => {
    const run = await runHubSpotSync(bed, bed.context().ctx, 'tickets', null);
    expect(run.records).toHaveLength(300);
    const raisedInData = new Set(
      data.tickets
        .map((t, i) =>
          t.initialPriority !== t.priority &&
          ['high', 'urgent'].includes(t.priority) &&
          ['low', 'normal', 'high'].indexOf(t.initialPriority) < ['low', 'normal', 'high', 'urgent'].indexOf(t.priority)
            ? String(901 + i)
            : '',
        )
        .filter(Boolean),
    );
    expect(raisedInData.size).toBeGreaterThan(0);
    const raisedSeen = new Set(run.records.filter((r) => r.fields['fieldcast:priority_raised'] === true).map((r) => r.externalId));
    expect(raisedSeen).toEqual(raisedInData);
    const urgent = run.records.find((r) => r.fields.hs_ticket_priority === 'URGENT')!;
    expect(Array.isArray(urgent.fields.hs_ticket_priority_history)).toBe(true);
    expect(run.records.find((r) => r.fields.hs_ticket_priority === 'LOW')!.fields.hs_ticket_priority_history).toBeUndefined();
  });

  it('a write that reaches the search index late is not lost: runs stop searchSettleMs before their start', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const first = await runHubSpotSync(bed, bed.context().ctx, 'contacts', null);
    const [x, y] = liveIds(bed.sandbox, 'contacts');
    // X's write reaches search 500 ms late, Y's (a moment later) at once: HubSpot's index does not keep write order.
    expect((await bed.control('POST', '/search-index', { lagMs: 500, ids: [x] })).status).toBe(200);
    const edit = async () => {
      await bed.control('PATCH', `/records/contacts/${x}`, { properties: { jobtitle: `Late ${Date.now()}` } });
      await sleep(5);
      await bed.control('PATCH', `/records/contacts/${y}`, { properties: { jobtitle: `Early ${Date.now()}` } });
    };

    // Without the margin the cursor passes X's modstamp before X is searchable; the lookback re-reads it
    // later but drops it as already committed, so X is lost.
    await edit();
    const naiveCtx = bed.context({ options: { searchSettleMs: 0 } }).ctx;
    const naive = await runHubSpotSync(bed, naiveCtx, 'contacts', first.cursor);
    expect(naive.records.map((r) => r.externalId)).toEqual([y]);
    await sleep(550);
    const naiveNext = await runHubSpotSync(bed, naiveCtx, 'contacts', naive.cursor);
    expect(naiveNext.records.map((r) => r.externalId)).not.toContain(x);

    // With a margin longer than the lag, both arrive once settled.
    await edit();
    const settledCtx = bed.context({ options: { searchSettleMs: 700 } }).ctx;
    const early = await runHubSpotSync(bed, settledCtx, 'contacts', naiveNext.cursor);
    expect(early.records).toEqual([]);
    await sleep(750);
    const settled = await runHubSpotSync(bed, settledCtx, 'contacts', early.cursor);
    expect(settled.records.map((r) => r.externalId).sort()).toEqual([x, y].sort());
  });

  it('rejects a cursor that is not its own with INVALID_CURSOR', async () => {
    await expect(
      bed.connector.fetchPage(bed.context().ctx, { stream: 'contacts', cursor: 'garbage', pageSize: 100, mode: 'incremental' }),
    ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(
      bed.connector.fetchPage(bed.context().ctx, { stream: 'deals', cursor: null, pageSize: 100, mode: 'full' }),
    ).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
