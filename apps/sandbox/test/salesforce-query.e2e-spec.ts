/** query / queryAll / queryMore / describe / getDeleted through the real jsforce. */
import { demoLeads, demoTickets, startSalesforceSandbox, type StartedSalesforceSandbox } from './salesforce-sandbox.helpers';

type LeadRow = { Id: string; SystemModstamp: string; IsDeleted?: boolean; Company?: string; NumberOfEmployees?: number };

describe('Salesforce sandbox: SOQL queries', () => {
  let sf: StartedSalesforceSandbox;
  beforeAll(async () => {
    sf = await startSalesforceSandbox({ data: { leads: demoLeads(12_000), tickets: demoTickets(30) } });
  });
  afterAll(() => sf.sandbox.stop());

  it('filters, orders and limits with the wire shapes jsforce expects', async () => {
    const conn = await sf.connect();
    const res = await conn.query<LeadRow>(
      "SELECT Id, Company, NumberOfEmployees, SystemModstamp FROM Lead WHERE (NumberOfEmployees >= 100 AND NumberOfEmployees < 110) OR Company = 'company 7' ORDER BY NumberOfEmployees DESC, Id LIMIT 5",
    );
    expect(res.done).toBe(true);
    expect(res.records.map((r) => r.NumberOfEmployees)).toEqual([11_967, 11_917, 11_867, 11_817, 11_767]);
    const first = res.records[0] as LeadRow & { attributes: { type: string; url: string } };
    expect(first.attributes).toEqual({ type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${first.Id}` });
    expect(Object.keys(first)).toEqual(['attributes', 'Id', 'Company', 'NumberOfEmployees', 'SystemModstamp']);
    expect(first.SystemModstamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);

    const count = await conn.query('SELECT COUNT() FROM Lead WHERE NumberOfEmployees >= 100 AND NumberOfEmployees < 110');
    expect(count.totalSize).toBe(10);
    const cases = await conn.query<{ Type: string | null; IsEscalated: boolean; Priority: string }>(
      "SELECT Type, IsEscalated, Priority FROM Case WHERE IsEscalated = true AND Priority = 'critical'",
    );
    expect(cases.totalSize).toBe(8);
  }, 20000);

  it('compares datetimes given as unquoted ISO literals with Z, milliseconds or an offset', async () => {
    const conn = await sf.connect();
    const created = await conn.query<{ Id: string }>(
      'SELECT Id FROM Lead WHERE CreatedDate >= 2024-01-01T01:40:00.000+01:00 AND CreatedDate < 2024-01-01T00:45:00Z',
    );
    expect(created.totalSize).toBe(5); // minutes 40..44 of 2024-01-01 UTC
    const all = await conn.query('SELECT Id FROM Lead WHERE SystemModstamp > 2000-01-01T00:00:00Z');
    expect(all.totalSize).toBe(12_000);
  }, 20000);

  it('pages with queryMore at /query/<locator> and shows jsforce’s silent 10,000 cap under autoFetch', async () => {
    const conn = await sf.connect();
    const first = await conn.query<LeadRow>('SELECT Id, SystemModstamp FROM Lead ORDER BY SystemModstamp, Id');
    expect(first.totalSize).toBe(12_000);
    expect(first.records).toHaveLength(2000);
    expect(first.done).toBe(false);
    expect(first.nextRecordsUrl).toMatch(new RegExp(`^${sf.baseUrl}/services/data/v62\\.0/query/01g[0-9A-Z]{15}-2000$`));
    const second = await conn.queryMore<LeadRow>(first.nextRecordsUrl!);
    expect(second.records[0].Id > first.records[1999].Id).toBe(true);

    const capped = await conn.query<LeadRow>('SELECT Id FROM Lead', { autoFetch: true });
    expect(capped.totalSize).toBe(12_000);
    expect(capped.records).toHaveLength(10_000);
    const full = await conn.query<LeadRow>('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 1_000_000 });
    expect(full.records).toHaveLength(12_000);
    expect(new Set(full.records.map((r) => r.Id)).size).toBe(12_000);

    const headers = { 'Sforce-Query-Options': 'batchSize=500' };
    const small = await conn.request<{ records: unknown[]; nextRecordsUrl: string }>({
      method: 'GET',
      url: '/services/data/v62.0/query?q=SELECT+Id+FROM+Lead',
      headers,
    });
    expect(small.records).toHaveLength(500);
    expect(small.nextRecordsUrl).toMatch(/-500$/);
    await expect(conn.queryMore('01g5G0000000000ZZZ-2000')).rejects.toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
  }, 20000);

  it('returns soft-deleted records only through queryAll, whose continuation is also served at /query/', async () => {
    const conn = await sf.connect();
    const victims = (await conn.query<LeadRow>('SELECT Id FROM Lead ORDER BY Id LIMIT 3')).records.map((r) => r.Id);
    const deleted = await conn.sobject('Lead').destroy(victims);
    expect(deleted.every((r) => r.success)).toBe(true);
    const live = await conn.query('SELECT Id FROM Lead');
    expect(live.totalSize).toBe(11_997);
    const all = await conn.query<LeadRow>('SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true', { scanAll: true });
    expect(all.records.map((r) => r.Id).sort()).toEqual([...victims].sort());
    expect(all.records.every((r) => r.IsDeleted === true)).toBe(true);
    const everything = await conn.query<LeadRow>('SELECT Id, IsDeleted FROM Lead', { scanAll: true, autoFetch: true, maxFetch: 50_000 });
    expect(everything.records).toHaveLength(12_000);
    const stats = (await sf.control<{ calls: Record<string, number> }>('GET', 'stats')).body;
    expect(stats.calls['GET /services/data/:version/queryAll']).toBeGreaterThanOrEqual(2);

    const start = new Date(Date.now() - 3600_000);
    const end = new Date(Date.now() + 120_000);
    const fromJsforce = await conn.sobject('Lead').deleted(start, end);
    expect(fromJsforce.deletedRecords.map((r) => r.id).sort()).toEqual([...victims].sort());
    expect(fromJsforce.deletedRecords[0].deletedDate).toMatch(/\.\d{3}\+0000$/);
    expect(fromJsforce.earliestDateAvailable).toMatch(/\+0000$/);
    const withSlash = await fetch(
      `${sf.baseUrl}/services/data/v62.0/sobjects/Lead/deleted/?start=${encodeURIComponent(start.toISOString().replace('Z', '+00:00'))}&end=${encodeURIComponent(end.toISOString())}`,
      { headers: { Authorization: `Bearer ${conn.accessToken}` } },
    );
    expect(withSlash.status).toBe(200);
    expect(((await withSlash.json()) as { deletedRecords: unknown[] }).deletedRecords).toHaveLength(3);
    await expect(conn.request('/services/data/v62.0/sobjects/Lead/deleted?start=yesterday&end=now')).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
    });
  }, 20000);

  it.each([
    ['SELECT Id FRM Lead', 'MALFORMED_QUERY', /ERROR at Row:1:Column:11\nunexpected token: 'FRM'/],
    ['SELECT Id FROM Lead WHERE A = 1 AND B = 2 OR C = 3', 'MALFORMED_QUERY', /parentheses/],
    ['SELECT Id, Nope__c FROM Lead', 'INVALID_FIELD', /No such column 'Nope__c' on entity 'Lead'/],
    ['SELECT Id FROM Leads', 'INVALID_TYPE', /sObject type 'Leads' is not supported/],
    [
      "SELECT Id FROM Lead WHERE SystemModstamp > '2024-01-01T00:00:00Z'",
      'INVALID_QUERY_FILTER_OPERATOR',
      /must be of type dateTime and should not be enclosed in quotes/,
    ],
  ])('rejects %s with %s', async (soql, errorCode, message) => {
    const conn = await sf.connect();
    const error: unknown = await conn.query(soql).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ errorCode });
    expect((error as Error).message).toMatch(message);
  });

  it('describes Lead and Case with the training fields', async () => {
    const conn = await sf.connect();
    const lead = await conn.sobject('Lead').describe();
    expect(lead).toMatchObject({ name: 'Lead', keyPrefix: '00Q', queryable: true });
    const names = lead.fields.map((f) => f.name);
    for (const f of [
      'IsConverted',
      'LeadSource',
      'Title',
      'Industry',
      'NumberOfEmployees',
      'AnnualRevenue',
      'Status',
      'Company',
      'Email',
      'Country',
      'Website_Visits__c',
      'SystemModstamp',
      'LastModifiedById',
    ]) {
      expect(names).toContain(f);
    }
    expect(lead.fields.find((f) => f.name === 'IsConverted')).toMatchObject({
      type: 'boolean',
      soapType: 'xsd:boolean',
      updateable: false,
    });
    const kase = await conn.sobject('Case').describe();
    expect(kase.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'Subject',
        'Description',
        'Type',
        'Reason',
        'IsEscalated',
        'Priority',
        'Status',
        'Origin',
        'CreatedDate',
        'Customer_Tier__c',
      ]),
    );
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(expect.arrayContaining(['Lead', 'Case', 'FieldPermissions']));
  });
});
