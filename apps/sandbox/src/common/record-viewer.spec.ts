import { mountRecordViewer, type RecordViewerObject, type RecordViewerSource } from './record-viewer';
import { fieldLabel, reasonList } from './record-viewer.html';
import { SandboxRouter, SandboxServer, type VendorBehaviour } from './sandbox-http';

type Row = { id: string; fields: Record<string, unknown> };

function memoryObject(name: string, label: string, rows: Row[], columns: string[]): RecordViewerObject {
  const matches = (row: Row, search?: string) =>
    !search || Object.values(row.fields).some((v) => String(v).toLowerCase().includes(search.toLowerCase()));
  return {
    name,
    label,
    columns,
    titleField: columns[0] as string,
    isFieldcastField: (field) => field.startsWith('Fieldcast_'),
    list: (offset, limit, search) => {
      const found = rows.filter((r) => matches(r, search));
      return { total: found.length, rows: found.slice(offset, offset + limit) };
    },
    get: (id) => rows.find((r) => r.id === id),
  };
}

const leads: Row[] = Array.from({ length: 60 }, (_, i) => ({
  id: `00Q${String(i + 1).padStart(3, '0')}`,
  fields: { Name: `Lead ${i + 1}`, Company: i === 0 ? 'Acme <script>alert(1)</script>' : `Company ${i + 1}`, Status: 'Open' },
}));
Object.assign(leads[1]!.fields, {
  Fieldcast_Score__c: 0.87,
  Fieldcast_Confidence__c: 'high',
  Fieldcast_Reasons__c: 'Source is Referral (+1.3); Title is CEO (+0.9)',
  Fieldcast_Model_Version__c: 'lead-score@3',
});
const cases: Row[] = [{ id: '500001', fields: { Subject: 'Printer on fire', Fieldcast_Category__c: 'Technical' } }];

const source: RecordViewerSource = {
  vendorLabel: 'Salesforce',
  objects: [
    memoryObject('Lead', 'Leads', leads, ['Name', 'Company', 'Status']),
    memoryObject('Case', 'Cases', cases, ['Subject', 'Fieldcast_Category__c']),
  ],
};

const vendor: VendorBehaviour = {
  name: 'viewer-test',
  rateLimited: () => ({ status: 429, body: 'slow down' }),
  serverError: (_req, status) => ({ status, body: { error: 'boom' } }),
  outage: () => ({ status: 503, body: 'down' }),
  notFound: () => ({ status: 404, body: 'no route' }),
};

describe('record viewer', () => {
  const router = new SandboxRouter();
  mountRecordViewer(router, source);
  const server = new SandboxServer({ vendor, router, control: new SandboxRouter() });
  let base = '';
  beforeAll(async () => {
    base = await server.listen(0);
  });
  afterAll(() => server.close());

  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, type: response.headers.get('content-type'), html: await response.text() };
  };

  it('lists the first object on GET / with tabs, counts, columns and a pager', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(page.html).toMatch(/<a class="active" href="\/view\/Lead">Leads<small>60<\/small><\/a>/);
    expect(page.html).toContain('<a href="/view/Case">Cases<small>1</small></a>');
    expect(page.html).toContain('<th>Company</th>');
    expect(page.html).toContain('<a href="/view/Lead/00Q001">Lead 1</a>');
    expect(page.html).not.toContain('Lead 26<');
    expect(page.html).toContain('1–25 of 60 · page 1 of 3');
    expect(page.html).toContain('href="/view/Lead?page=2"');
  });

  it('escapes record values so stored markup is shown as text', async () => {
    const page = await get('/view/Lead');
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt;');
    const detail = await get('/view/Lead/00Q001');
    expect(detail.html).not.toContain('<script>alert(1)</script>');
    const response = await fetch(`${base}/view/Lead`);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
    );
    const search = await get(`/view/Lead?q=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`);
    expect(search.html).not.toContain('<img src=x');
    expect(search.html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('pages and searches', async () => {
    const third = await get('/view/Lead?page=3');
    expect(third.html).toContain('51–60 of 60 · page 3 of 3');
    expect(third.html).toContain('Lead 60<');
    expect(third.html).toContain('<span class="off">Next ›</span>');
    const found = await get('/view/Lead?q=company+42');
    expect(found.html).toContain('1–1 of 1');
    expect(found.html).toContain('Lead 42<');
    const none = await get('/view/Lead?q=nothing-like-this');
    expect(none.html).toContain('No Leads match “nothing-like-this”.');
  });

  it('highlights Fieldcast fields as badges in the list', async () => {
    const list = await get('/view/Lead');
    expect(list.html).toContain('<th class="fc">Fieldcast</th>');
    expect(list.html).toContain('<span class="badge" title="Fieldcast_Score__c">Score: 0.87</span>');
    expect(list.html).toContain('<span class="badge" title="Fieldcast_Confidence__c">Confidence: high</span>');
    // Long values stay on the record page.
    expect(list.html).not.toContain('Source is Referral');
    expect(list.html).not.toContain('lead-score@3');
    const cases = await get('/view/Case');
    expect(cases.html).toContain('<th class="fc" title="Fieldcast_Category__c">Category</th>');
    expect(cases.html).toContain('<td class="fc"><span class="badge">Technical</span></td>');
  });

  it('shows a record page with a Fieldcast section: score meter, confidence, reasons, model version', async () => {
    const page = await get('/view/Lead/00Q002');
    expect(page.status).toBe(200);
    const section = page.html.slice(page.html.indexOf('aria-label="Fieldcast"'), page.html.indexOf('<h3>Details</h3>'));
    expect(section).toContain(
      '<dt title="Fieldcast_Score__c">Score</dt><dd><span class="badge">0.87</span><div class="meter" aria-hidden="true"><i style="width:87.0%"></i></div>',
    );
    expect(section).toContain('<span class="badge">high</span>');
    expect(section).toContain('<li>Source is Referral (+1.3)</li><li>Title is CEO (+0.9)</li>');
    expect(section).toContain('lead-score@3');
    // Order like a scoring card: score, confidence, reasons, model version.
    expect(section.indexOf('Score</dt>')).toBeLessThan(section.indexOf('Confidence</dt>'));
    expect(section.indexOf('Confidence</dt>')).toBeLessThan(section.indexOf('Reasons</dt>'));
    expect(section.indexOf('Reasons</dt>')).toBeLessThan(section.indexOf('Model version</dt>'));
    expect(page.html).toContain('<dt>Company</dt><dd>Company 2</dd>');
    const unscored = await get('/view/Lead/00Q003');
    expect(unscored.html).toContain('No Fieldcast fields on this record yet.');
  });

  it('answers unknown objects, records and bad page numbers with a clear page and the right status', async () => {
    const noObject = await get('/view/Opportunity');
    expect(noObject.status).toBe(404);
    expect(noObject.html).toContain('There is no object named &quot;Opportunity&quot;.');
    const noRecord = await get('/view/Lead/nope');
    expect(noRecord.status).toBe(404);
    expect(noRecord.html).toContain('Leads: no record with id &quot;nope&quot;.');
    const badPage = await get('/view/Lead?page=zero');
    expect(badPage.status).toBe(400);
    expect(badPage.html).toContain('page must be a whole number &gt;= 1, got &quot;zero&quot;.');
    expect((await get('/view/Lead?size=5000')).status).toBe(400);
  });
});

describe('record viewer helpers', () => {
  it('turns vendor field names into labels', () => {
    expect(fieldLabel('Fieldcast_Lead_Score__c')).toBe('Lead score');
    expect(fieldLabel('fieldcast_escalation_risk')).toBe('Escalation risk');
    expect(fieldLabel('fieldcastModelVersion')).toBe('Model version');
  });

  it('reads reasons from JSON arrays and separated strings', () => {
    expect(reasonList('["a","b"]')).toEqual(['a', 'b']);
    expect(reasonList('a; b\nc')).toEqual(['a', 'b', 'c']);
    expect(reasonList(['x', 2])).toEqual(['x', '2']);
  });
});
