/**
 * The real @hubspot/api-client against the HubSpot sandbox over HTTP: objects (paging, archived
 * listing, read), search (every operator, the three sort forms, limit cap, paging), batch read and
 * update (200, 207, > 100 inputs, duplicates), properties and groups, history, the control API.
 */
import type { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects';
import { generateDemoData } from '../src/data/demo-data.generator';
import type { DemoDataSet } from '../src/data/demo-data.types';
import { hubSpotFailure, startHubSpotTestBed, type HubSpotTestBed } from './hubspot-sandbox.fixtures';

const data: DemoDataSet = generateDemoData({ leads: 250, tickets: 120, seed: 7 });

describe('HubSpot sandbox: objects, search, batch, properties (real SDK)', () => {
  let bed: HubSpotTestBed;
  let hubspot: Client;

  beforeAll(async () => {
    bed = await startHubSpotTestBed({ data, rateLimit: { enabled: false } });
    hubspot = bed.client();
  });
  afterAll(() => bed.sandbox.stop());

  describe('basic API', () => {
    it('pages with `after`, returns repeated `properties` as strings, and omits paging on the last page', async () => {
      const first = await hubspot.crm.contacts.basicApi.getPage(100, undefined, ['email', 'jobtitle', 'lifecyclestage']);
      expect(first.results).toHaveLength(100);
      const contact = first.results[0]!;
      expect(Object.keys(contact.properties).sort()).toEqual([
        'createdate',
        'email',
        'hs_object_id',
        'jobtitle',
        'lastmodifieddate',
        'lifecyclestage',
      ]);
      expect(typeof contact.properties.email).toBe('string');
      expect(contact.properties.hs_object_id).toBe(contact.id);
      expect(contact.createdAt).toBeInstanceOf(Date);
      expect(contact.archived).toBe(false);
      expect(first.paging?.next?.after).toEqual(expect.any(String));

      const seen = new Set(first.results.map((r) => r.id));
      let after = first.paging?.next?.after;
      let pages = 1;
      while (after) {
        const page = await hubspot.crm.contacts.basicApi.getPage(100, after);
        page.results.forEach((r) => seen.add(r.id));
        after = page.paging?.next?.after;
        pages += 1;
        if (!after) expect(page.paging).toBeUndefined();
      }
      expect(pages).toBe(3);
      expect(seen.size).toBe(250);
    });

    it('getAll follows paging to the end; deals exist for converted leads', async () => {
      expect(await hubspot.crm.contacts.getAll()).toHaveLength(250);
      const deals = await hubspot.crm.deals.getAll(100, undefined, ['dealname', 'dealstage', 'hs_primary_contact_id']);
      expect(deals).toHaveLength(data.leads.filter((l) => l.converted).length);
      expect(deals[0]!.properties.dealstage).toMatch(/closedwon|presentationscheduled/);
      expect(await hubspot.crm.tickets.getAll()).toHaveLength(120);
    });

    it('an archived record leaves the default listing, appears with archived=true, and reads 404', async () => {
      const [victim] = (await hubspot.crm.contacts.basicApi.getPage(1)).results;
      await hubspot.crm.contacts.basicApi.archive(victim!.id);
      const live = await hubspot.crm.contacts.getAll();
      expect(live.map((r) => r.id)).not.toContain(victim!.id);
      const archived = await hubspot.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
      expect(archived.results.map((r) => r.id)).toEqual([victim!.id]);
      expect(archived.results[0]!.archived).toBe(true);
      expect(archived.results[0]!.archivedAt).toBeInstanceOf(Date);
      expect(archived.paging).toBeUndefined();
      const failure = await hubSpotFailure(hubspot.crm.contacts.basicApi.getById(victim!.id));
      expect(failure.code).toBe(404);
      expect(failure.body.category).toBe('OBJECT_NOT_FOUND');
    });

    it('reads one record with selected properties and history (tickets show the priority raised)', async () => {
      const raised = data.tickets.findIndex((t) => t.initialPriority !== t.priority && ['high', 'urgent'].includes(t.priority));
      expect(raised).toBeGreaterThanOrEqual(0);
      const id = String(901 + raised);
      const ticket = await hubspot.crm.tickets.basicApi.getById(id, ['subject', 'hs_ticket_priority'], ['hs_ticket_priority']);
      expect(ticket.properties.subject).toBe(data.tickets[raised]!.subject);
      const history = ticket.propertiesWithHistory!.hs_ticket_priority!;
      expect(history).toHaveLength(2);
      expect(history[0]!.value).toBe(ticket.properties.hs_ticket_priority);
      expect(['HIGH', 'URGENT']).toContain(history[0]!.value);
      expect(history[1]!.timestamp.getTime()).toBeLessThanOrEqual(history[0]!.timestamp.getTime());
    });

    it('creates and updates a single record, bumping lastmodifieddate', async () => {
      const created = await hubspot.crm.contacts.basicApi.create({
        properties: { email: 'new@example.com', lifecyclestage: 'lead' },
        associations: [],
      });
      expect(created.properties.email).toBe('new@example.com');
      await new Promise((r) => setTimeout(r, 5));
      const updated = await hubspot.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'CTO' } });
      expect(updated.properties.jobtitle).toBe('CTO');
      expect(Date.parse(updated.properties.lastmodifieddate!)).toBeGreaterThan(Date.parse(created.properties.lastmodifieddate!));
      const invalid = await hubSpotFailure(
        hubspot.crm.contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'astronaut' } }),
      );
      expect(invalid.code).toBe(400);
      expect(String(invalid.body.message)).toContain('INVALID_OPTION');
    });
  });

  describe('search', () => {
    const searchAll = async (body: Record<string, unknown>) => {
      const ids: string[] = [];
      let after: string | undefined;
      let total: number;
      do {
        const page = await hubspot.crm.contacts.searchApi.doSearch({ limit: 100, ...body, ...(after ? { after } : {}) } as never);
        total = page.total;
        ids.push(...page.results.map((r) => r.id));
        after = page.paging?.next?.after;
      } while (after);
      return { ids, total };
    };

    it('filters with EQ, NEQ, IN, HAS_PROPERTY and NOT_HAS_PROPERTY and reports total', async () => {
      const customers = bed.sandbox.stores.contacts.all().filter((r) => !r.archived && r.properties.lifecyclestage === 'customer');
      const eq = await hubspot.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: FilterOperatorEnum.Eq, value: 'customer' }] }],
        limit: 200,
        properties: ['lifecyclestage'],
      });
      expect(eq.total).toBe(customers.length);
      expect(eq.results.every((r) => r.properties.lifecyclestage === 'customer')).toBe(true);

      const has = await hubspot.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'hs_lifecyclestage_customer_date', operator: FilterOperatorEnum.HasProperty }] }],
      });
      expect(has.total).toBe(customers.length);
      const hasNot = await hubspot.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'hs_lifecyclestage_customer_date', operator: FilterOperatorEnum.NotHasProperty }] }],
      });
      const live = bed.sandbox.stores.contacts.size;
      expect(hasNot.total).toBe(live - customers.length);
      const neq = await hubspot.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: FilterOperatorEnum.Neq, value: 'customer' }] }],
      });
      expect(neq.total).toBe(live - customers.length);

      const inResult = await searchAll({
        filterGroups: [{ filters: [{ propertyName: 'hs_analytics_source', operator: 'IN', values: ['REFERRALS', 'OFFLINE'] }] }],
        properties: ['hs_analytics_source'],
      });
      const expected = bed.sandbox.stores.contacts
        .all()
        .filter((r) => !r.archived && ['REFERRALS', 'OFFLINE'].includes(r.properties.hs_analytics_source!));
      expect(inResult.total).toBe(expected.length);
      expect(new Set(inResult.ids)).toEqual(new Set(expected.map((r) => r.id)));
    });

    it('compares datetimes as epoch ms (GT, GTE, LT, LTE, BETWEEN) and ORs filter groups', async () => {
      const stamps = bed.sandbox.stores.contacts
        .all()
        .filter((r) => !r.archived)
        .map((r) => Date.parse(r.properties.createdate!))
        .sort((a, b) => a - b);
      const mid = stamps[Math.floor(stamps.length / 2)]!;
      const count = (op: string, value: number, highValue?: number) =>
        hubspot.crm.contacts.searchApi
          .doSearch({
            filterGroups: [
              {
                filters: [
                  {
                    propertyName: 'createdate',
                    operator: op as FilterOperatorEnum,
                    value: String(value),
                    ...(highValue ? { highValue: String(highValue) } : {}),
                  },
                ],
              },
            ],
          })
          .then((r) => r.total);
      expect(await count('GT', mid)).toBe(stamps.filter((s) => s > mid).length);
      expect(await count('GTE', mid)).toBe(stamps.filter((s) => s >= mid).length);
      expect(await count('LT', mid)).toBe(stamps.filter((s) => s < mid).length);
      expect(await count('LTE', mid)).toBe(stamps.filter((s) => s <= mid).length);
      const low = stamps[10]!;
      expect(await count('BETWEEN', low, mid)).toBe(stamps.filter((s) => s >= low && s <= mid).length);
      const ored = await hubspot.crm.contacts.searchApi.doSearch({
        filterGroups: [
          { filters: [{ propertyName: 'createdate', operator: FilterOperatorEnum.Lt, value: String(low) }] },
          { filters: [{ propertyName: 'createdate', operator: FilterOperatorEnum.Gt, value: String(mid) }] },
        ],
      });
      expect(ored.total).toBe(stamps.filter((s) => s < low || s > mid).length);
    });

    it('accepts sorts as "prop", "-prop" and {propertyName, direction}', async () => {
      const stampsOf = (r: { results: Array<{ properties: Record<string, string | null> }> }) =>
        r.results.map((x) => Date.parse(x.properties.createdate!));
      const asc = stampsOf(await hubspot.crm.contacts.searchApi.doSearch({ sorts: ['createdate'], limit: 50 }));
      const desc = stampsOf(await hubspot.crm.contacts.searchApi.doSearch({ sorts: ['-createdate'], limit: 50 }));
      const objectDesc = stampsOf(
        await hubspot.crm.contacts.searchApi.doSearch({
          sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }] as unknown as string[],
          limit: 50,
        }),
      );
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      expect(objectDesc).toEqual(desc);
      expect(asc[0]).toBeLessThan(desc[0]!);
    });

    it('can lag the search index behind writes: search sees the old version for lagMs, reads by id never do', async () => {
      expect((await bed.control('POST', '/search-index', { lagMs: 300 })).status).toBe(200);
      try {
        const created = await hubspot.crm.contacts.basicApi.create({
          properties: { email: 'lagging@example.com', jobtitle: 'Before' },
          associations: [],
        });
        const find = (value: string) =>
          hubspot.crm.contacts.searchApi
            .doSearch({
              filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value }] }],
              properties: ['jobtitle'],
            })
            .then((r) => r.results);
        expect(await find('lagging@example.com')).toEqual([]);
        expect((await hubspot.crm.contacts.basicApi.getById(created.id)).properties.email).toBe('lagging@example.com');
        await new Promise((r) => setTimeout(r, 350));
        expect((await find('lagging@example.com')).map((r) => r.id)).toEqual([created.id]);
        await hubspot.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'After' } });
        expect((await find('lagging@example.com'))[0]!.properties.jobtitle).toBe('Before');
        await new Promise((r) => setTimeout(r, 350));
        expect((await find('lagging@example.com'))[0]!.properties.jobtitle).toBe('After');
        expect((await bed.control('POST', '/search-index', { lagMs: -1 })).status).toBe(400);
      } finally {
        await bed.control('POST', '/search-index', { lagMs: 0 });
      }
    });

    it('caps limit at 200, pages with numeric `after` and rejects bad requests with VALIDATION_ERROR', async () => {
      const capped = await hubspot.crm.contacts.searchApi.doSearch({ limit: 500 });
      expect(capped.results).toHaveLength(200);
      expect(capped.paging?.next?.after).toBe('200');
      const all = await searchAll({ sorts: ['-lastmodifieddate'] });
      expect(all.ids).toHaveLength(all.total);
      expect(new Set(all.ids).size).toBe(all.total);

      const badOperator = await hubSpotFailure(
        hubspot.crm.contacts.searchApi.doSearch({
          filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE' as FilterOperatorEnum, value: 'x' }] }],
        }),
      );
      expect(badOperator.code).toBe(400);
      expect(badOperator.body.category).toBe('VALIDATION_ERROR');
      expect(String(badOperator.body.message)).toContain('filterGroups[0].filters[0].operator');
      const badProperty = await hubSpotFailure(hubspot.crm.contacts.searchApi.doSearch({ sorts: ['nonexistent'] }));
      expect(String(badProperty.body.message)).toContain('property "nonexistent" does not exist');
    });
  });

  describe('batch', () => {
    beforeAll(async () => {
      await hubspot.crm.properties.groupsApi.create('contacts', { name: 'fieldcast', label: 'Fieldcast' });
      await hubspot.crm.properties.coreApi.create('contacts', {
        name: 'fieldcast_lead_score',
        label: 'Fieldcast lead score',
        type: 'number' as never,
        fieldType: 'number' as never,
        groupName: 'fieldcast',
      });
    });

    it('batch/read returns 207 with OBJECT_NOT_FOUND for missing ids, and the SDK resolves it', async () => {
      const ids = bed.sandbox.stores.contacts
        .all()
        .filter((r) => !r.archived)
        .slice(0, 3)
        .map((r) => r.id);
      const read = await hubspot.crm.contacts.batchApi.read({
        inputs: [...ids, '999999'].map((id) => ({ id })),
        properties: ['email'],
        propertiesWithHistory: [],
      });
      expect(read.results.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect((read as { numErrors?: number }).numErrors).toBe(1);
      const errors = (read as { errors?: Array<{ category: string; context: Record<string, string[]> }> }).errors!;
      expect(errors[0]!.category).toBe('OBJECT_NOT_FOUND');
      expect(errors[0]!.context.ids).toEqual(['999999']);
    });

    it('batch/update of 100 answers 200, bumps the modified date with ms precision and logs every write', async () => {
      const targets = bed.sandbox.stores.contacts
        .all()
        .filter((r) => !r.archived)
        .slice(0, 100);
      const before = new Map(targets.map((r) => [r.id, r.properties.lastmodifieddate!]));
      const writesBefore = bed.sandbox.writeLog.size;
      const result = await hubspot.crm.contacts.batchApi.update({
        inputs: targets.map((r, i) => ({ id: r.id, properties: { fieldcast_lead_score: String(i) } })),
      });
      expect(result.status).toBe('COMPLETE');
      expect((result as { numErrors?: number }).numErrors).toBeUndefined();
      expect(result.results).toHaveLength(100);
      for (const r of result.results) {
        expect(r.properties.lastmodifieddate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(Date.parse(r.properties.lastmodifieddate!)).toBeGreaterThan(Date.parse(before.get(r.id)!));
        expect(r.updatedAt.toISOString()).toBe(r.properties.lastmodifieddate);
      }
      const check = await hubspot.crm.contacts.basicApi.getById(targets[42]!.id, ['fieldcast_lead_score']);
      expect(check.properties.fieldcast_lead_score).toBe('42');
      const writes = await bed.control<{ writes: Array<{ id: string; by: string; fields: Record<string, unknown> }> }>(
        'GET',
        `/writes?sinceSeq=${writesBefore}`,
      );
      expect(writes.body.writes).toHaveLength(100);
      expect(writes.body.writes[0]!.by).toBe('INTEGRATION:1160452');
    });

    it('batch/update with some bad inputs answers 207 with errors per record, and the SDK resolves it', async () => {
      const [a, b, c] = bed.sandbox.stores.contacts.all().filter((r) => !r.archived);
      const result = await hubspot.crm.contacts.batchApi.update({
        inputs: [
          { id: a!.id, properties: { fieldcast_lead_score: '77' } },
          { id: '999999', properties: { fieldcast_lead_score: '1' } },
          { id: b!.id, properties: { no_such_property: 'x' } },
          { id: c!.id, properties: { fieldcast_lead_score: 'high' } },
        ],
      });
      expect(result.results.map((r) => r.id)).toEqual([a!.id]);
      const withErrors = result as unknown as {
        numErrors: number;
        errors: Array<{ category: string; message: string; context: Record<string, string[]> }>;
      };
      expect(withErrors.numErrors).toBe(3);
      const byCategory = Object.fromEntries(withErrors.errors.map((e) => [e.context.ids![0], e]));
      expect(byCategory['999999']!.category).toBe('OBJECT_NOT_FOUND');
      expect(byCategory[b!.id]!.message).toContain('PROPERTY_DOESNT_EXIST');
      expect(byCategory[c!.id]!.message).toContain('INVALID_FLOAT');
      expect(bed.sandbox.stores.contacts.get(b!.id)!.properties.no_such_property).toBeUndefined();
      expect(bed.sandbox.stores.contacts.get(c!.id)!.properties.fieldcast_lead_score).not.toBe('high');
    });

    it('rejects more than 100 inputs and duplicate ids with 400 VALIDATION_ERROR', async () => {
      const ids = bed.sandbox.stores.contacts
        .all()
        .filter((r) => !r.archived)
        .slice(0, 101)
        .map((r) => r.id);
      const tooMany = await hubSpotFailure(
        hubspot.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { fieldcast_lead_score: '1' } })) }),
      );
      expect(tooMany.code).toBe(400);
      expect(tooMany.body.category).toBe('VALIDATION_ERROR');
      expect(String(tooMany.body.message)).toContain('The maximum number of inputs supported in a batch request is 100');
      const dup = await hubSpotFailure(
        hubspot.crm.contacts.batchApi.update({
          inputs: [
            { id: ids[0]!, properties: { fieldcast_lead_score: '1' } },
            { id: ids[0]!, properties: { fieldcast_lead_score: '2' } },
          ],
        }),
      );
      expect(dup.code).toBe(400);
      expect(String(dup.body.message)).toContain('Duplicate IDs');
    });
  });

  describe('properties API', () => {
    it('lists built-in properties with options and creates tickets properties in a new group (409 on duplicates)', async () => {
      const all = await hubspot.crm.properties.coreApi.getAll('contacts');
      const lifecycle = all.results.find((p) => p.name === 'lifecyclestage')!;
      expect(lifecycle.type).toBe('enumeration');
      expect(lifecycle.options.map((o) => o.value)).toEqual(expect.arrayContaining(['lead', 'opportunity', 'customer']));
      const tickets = await hubspot.crm.properties.coreApi.getAll('tickets');
      const category = tickets.results.find((p) => p.name === 'hs_ticket_category')!;
      expect(category.options.map((o) => o.value)).toEqual(expect.arrayContaining(['BILLING', 'TECHNICAL']));

      const group = await hubspot.crm.properties.groupsApi.create('tickets', { name: 'fieldcast', label: 'Fieldcast', displayOrder: 1 });
      expect(group.name).toBe('fieldcast');
      const dupGroup = await hubSpotFailure(hubspot.crm.properties.groupsApi.create('tickets', { name: 'fieldcast', label: 'Fieldcast' }));
      expect(dupGroup.code).toBe(409);
      const created = await hubspot.crm.properties.coreApi.create('tickets', {
        name: 'fieldcast_category',
        label: 'Fieldcast category',
        type: 'enumeration' as never,
        fieldType: 'select' as never,
        groupName: 'fieldcast',
        options: [
          { label: 'Billing', value: 'Billing', hidden: false, displayOrder: 0 },
          { label: 'Technical', value: 'Technical', hidden: false, displayOrder: 1 },
        ],
      });
      expect(created.name).toBe('fieldcast_category');
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(created.modificationMetadata?.readOnlyValue).toBe(false);
      const dup = await hubSpotFailure(
        hubspot.crm.properties.coreApi.create('tickets', {
          name: 'fieldcast_category',
          label: 'x',
          type: 'string' as never,
          fieldType: 'text' as never,
          groupName: 'fieldcast',
        }),
      );
      expect(dup.code).toBe(409);
      expect(dup.body.category).toBe('OBJECT_ALREADY_EXISTS');
      const noOptions = await hubSpotFailure(
        hubspot.crm.properties.coreApi.create('tickets', {
          name: 'fieldcast_x',
          label: 'x',
          type: 'enumeration' as never,
          fieldType: 'select' as never,
          groupName: 'fieldcast',
        }),
      );
      expect(noOptions.code).toBe(400);
      expect(String(noOptions.body.message)).toContain('options are required');
      const noGroup = await hubSpotFailure(
        hubspot.crm.properties.coreApi.create('tickets', {
          name: 'fieldcast_y',
          label: 'y',
          type: 'string' as never,
          fieldType: 'text' as never,
          groupName: 'nope',
        }),
      );
      expect(String(noGroup.body.message)).toContain('property group "nope" does not exist');
      expect((await hubspot.crm.properties.coreApi.getByName('tickets', 'fieldcast_category')).label).toBe('Fieldcast category');
      const groups = await hubspot.crm.properties.groupsApi.getAll('tickets');
      expect(groups.results.map((g) => g.name)).toContain('fieldcast');
    });
  });

  describe('control API and record viewer', () => {
    it('shows a record in full, lets a CRM user edit it, touches many records to one modstamp, and counts calls', async () => {
      const [record] = bed.sandbox.stores.tickets.all();
      const full = await bed.control<{ properties: Record<string, string>; propertiesWithHistory: Record<string, unknown[]> }>(
        'GET',
        `/records/tickets/${record!.id}`,
      );
      expect(full.status).toBe(200);
      expect(full.body.properties.subject).toBe(data.tickets[0]!.subject);
      expect(full.body.propertiesWithHistory.hs_ticket_priority).toBeDefined();
      const edited = await bed.control<{ properties: Record<string, string> }>('PATCH', `/records/tickets/${record!.id}`, {
        properties: { hs_ticket_priority: 'URGENT' },
      });
      expect(edited.body.properties.hs_ticket_priority).toBe('URGENT');
      const invalid = await bed.control<{ problems: string[] }>('PATCH', `/records/tickets/${record!.id}`, {
        properties: { hs_ticket_priority: 'SOON' },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.problems[0]).toContain('hs_ticket_priority');

      const touched = await bed.control<{ touched: number; modstamp: string }>('POST', '/records/tickets/touch', { count: 30 });
      expect(touched.body.touched).toBe(30);
      const same = await hubspot.crm.tickets.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_lastmodifieddate', operator: FilterOperatorEnum.Eq, value: String(Date.parse(touched.body.modstamp)) },
            ],
          },
        ],
      });
      expect(same.total).toBe(30);
      expect((await bed.control('POST', '/records/tickets/touch', { ids: 'x' })).status).toBe(400);

      const stats = await bed.control<{ calls: Record<string, number>; records: Record<string, { live: number }> }>('GET', '/stats');
      expect(stats.body.calls['POST /crm/v3/objects/:type/search']).toBeGreaterThan(5);
      expect(stats.body.records.tickets!.live).toBe(120);
      const page = await fetch(`${bed.baseUrl}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
    });

    it('seeds from counts or a data set and rejects bad seeds without changing anything', async () => {
      const bad = await bed.control<{ problems: string[] }>('POST', '/seed', { leads: [{ email: 1 }], tickets: [] });
      expect(bad.status).toBe(400);
      expect(bad.body.problems[0]).toContain('leads[0].email');
      expect(bed.sandbox.stores.tickets.size).toBe(120);
      const seeded = await bed.control<{ seeded: Record<string, number> }>('POST', '/seed', { leads: 20, tickets: 10, seed: 3 });
      expect(seeded.body.seeded).toMatchObject({ contacts: 20, tickets: 10 });
      const unknownRoute = await fetch(`${bed.baseUrl}/crm/v3/nothing`);
      expect(unknownRoute.status).toBe(404);
      expect(((await unknownRoute.json()) as { status: string }).status).toBe('error');
    });
  });
});

describe('HubSpot sandbox: the 10,000-result search cap (real SDK)', () => {
  let bed: HubSpotTestBed;
  beforeAll(async () => {
    bed = await startHubSpotTestBed({ data: generateDemoData({ leads: 10_050, tickets: 0, seed: 11 }), rateLimit: { enabled: false } });
  });
  afterAll(() => bed.sandbox.stop());

  it('reports the full total, serves results up to 10,000, offers the next page, and answers 400 when it is asked for', async () => {
    const hubspot = bed.client();
    const body = { sorts: ['lastmodifieddate'], properties: ['lastmodifieddate'], limit: 200 };
    const nearEnd = await hubspot.crm.contacts.searchApi.doSearch({ ...body, after: '9900' });
    expect(nearEnd.total).toBe(10_050);
    expect(nearEnd.results).toHaveLength(100);
    expect(nearEnd.paging?.next?.after).toBe('10000');
    const beyond = await hubSpotFailure(hubspot.crm.contacts.searchApi.doSearch({ ...body, after: nearEnd.paging!.next!.after }));
    expect(beyond.code).toBe(400);
    expect(beyond.body.category).toBe('VALIDATION_ERROR');
    expect(String(beyond.body.message)).toContain('capped at 10000');
    // Narrowing by the last modified date reached is how a client gets past the cap.
    const last = nearEnd.results.at(-1)!.properties.lastmodifieddate!;
    const rest = await hubspot.crm.contacts.searchApi.doSearch({
      ...body,
      filterGroups: [
        { filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(Date.parse(last)) }] },
      ],
    });
    expect(rest.total).toBeGreaterThanOrEqual(50);
    expect(rest.total).toBeLessThan(10_050);
  });
});
