/** Outbound Messages (SOAP to a registered listener, retried until acked), the control API and the record viewer. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoLeads, demoTickets, startSalesforceSandbox, type StartedSalesforceSandbox } from './salesforce-sandbox.helpers';

const ACK = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
  <soapenv:Body>
    <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
      <Ack>true</Ack>
    </notificationsResponse>
  </soapenv:Body>
</soapenv:Envelope>`;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('Salesforce sandbox: outbound messages and control API', () => {
  let sf: StartedSalesforceSandbox;
  let listener: Server;
  let listenerUrl = '';
  const received: Received[] = [];
  let failNext = 0;

  beforeAll(async () => {
    listener = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end('listener down');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/xml' }).end(ACK);
      });
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/webhooks/salesforce/conn-1/s3cret`;
    sf = await startSalesforceSandbox({ data: { leads: demoLeads(20), tickets: demoTickets(5) } });
  });
  afterAll(async () => {
    await sf.sandbox.stop();
    listener.closeAllConnections();
    await new Promise((r) => listener.close(r));
  });
  beforeEach(async () => {
    await sf.control('POST', 'reset');
    received.length = 0;
    failNext = 0;
  });

  async function waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
    const until = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > until) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('posts the SOAP notification envelope when a watched record changes and retries until acknowledged', async () => {
    const creds = await sf.credentials();
    const reg = await sf.control('POST', 'outbound', { url: listenerUrl, object: 'Lead', retryBaseMs: 50 });
    expect(reg.status).toBe(200);
    failNext = 2;
    const conn = await sf.connect();
    const lead = (await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY Id LIMIT 1')).records[0];
    await conn.sobject('Lead').update({ Id: lead.Id, Company: 'Tom & Jerry <Ltd>' });
    await waitFor(() => received.length === 3);
    const [first, second, third] = received;
    expect(first.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(first.body).toContain('<notifications xmlns="http://soap.sforce.com/2005/09/outbound">');
    expect(first.body).toContain(`<OrganizationId>${creds.organizationId}</OrganizationId>`);
    expect(first.body).toContain('<SessionId xsi:nil="true"/>');
    expect(first.body).toContain(`<EnterpriseUrl>${sf.baseUrl}/services/Soap/c/62.0/${creds.organizationId.slice(0, 15)}</EnterpriseUrl>`);
    expect(first.body).toContain('<sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">');
    expect(first.body).toContain(`<sf:Id>${lead.Id}</sf:Id>`);
    expect(first.body).toContain(`<sf:LastModifiedById>${creds.integrationUserId}</sf:LastModifiedById>`);
    expect(first.body).toMatch(/<sf:SystemModstamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z<\/sf:SystemModstamp>/);
    expect(first.body).toContain('<sf:Company>Tom &amp; Jerry &lt;Ltd&gt;</sf:Company>');
    const notificationId = /<Notification>\s*<Id>(04l\w+)<\/Id>/.exec(first.body)![1];
    expect(second.body).toContain(`<Id>${notificationId}</Id>`);
    expect(third.body).toContain(`<Id>${notificationId}</Id>`);
    // The listener has answered; give the sandbox a moment to record the ack.
    type Status = { pending: number; deliveries: Array<{ acknowledged: boolean; status: number }> };
    let status = (await sf.control<Status>('GET', 'outbound')).body;
    for (let i = 0; i < 100 && status.deliveries.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 10));
      status = (await sf.control<Status>('GET', 'outbound')).body;
    }
    expect(status.pending).toBe(0);
    expect(status.deliveries.map((d) => [d.status, d.acknowledged])).toEqual([
      [500, false],
      [500, false],
      [200, true],
    ]);
  });

  it('fires notifications on demand for given ids, admin edits included, batching up to 100 per message', async () => {
    await sf.control('POST', 'outbound', { url: listenerUrl, objects: ['Case'], fields: ['Subject', 'IsEscalated', 'LastModifiedById'] });
    const creds = await sf.credentials();
    const cases = (await (await sf.connect()).query<{ Id: string }>('SELECT Id FROM Case')).records.map((r) => r.Id);
    const fired = await sf.control<{ queued: number; deliveries: Array<{ acknowledged: boolean; notificationIds: string[] }> }>(
      'POST',
      'webhooks/fire',
      { object: 'Case', ids: cases },
    );
    expect(fired.body.queued).toBe(5);
    expect(fired.body.deliveries).toHaveLength(1);
    expect(fired.body.deliveries[0]).toMatchObject({ acknowledged: true });
    expect(received[0].body.match(/<Notification>/g)).toHaveLength(5);
    expect(received[0].body).toContain('<sf:IsEscalated>true</sf:IsEscalated>');

    received.length = 0;
    const edited = await sf.control<{ LastModifiedById: string; Subject: string }>('PATCH', `records/Case/${cases[1]}`, {
      Subject: 'Changed in the CRM',
    });
    expect(edited.body.LastModifiedById).toBe(creds.adminUserId);
    await waitFor(() => received.length === 1);
    expect(received[0].body).toContain('<sf:Subject>Changed in the CRM</sf:Subject>');
    expect(received[0].body).toContain(`<sf:LastModifiedById>${creds.adminUserId}</sf:LastModifiedById>`);

    const bad = await sf.control('POST', 'webhooks/fire', { object: 'Lead', ids: ['x'] });
    expect(bad.status).toBe(409);
  });

  it('touches many records with one shared SystemModstamp, deletes as an admin and validates control input', async () => {
    const touched = await sf.control<{ touched: number; SystemModstamp: string }>('POST', 'records/Lead/touch', {
      count: 15,
      fields: { Title: 'Bulk edited' },
    });
    expect(touched.body.touched).toBe(15);
    const conn = await sf.connect();
    const same = await conn.query<{ Id: string }>(
      `SELECT Id FROM Lead WHERE SystemModstamp = ${touched.body.SystemModstamp.replace('+0000', 'Z')}`,
    );
    expect(same.totalSize).toBe(15);

    const victim = same.records[0].Id;
    expect((await sf.control('DELETE', `records/Lead/${victim}`)).status).toBe(200);
    expect((await sf.control<{ IsDeleted: boolean }>('GET', `records/Lead/${victim}`)).body.IsDeleted).toBe(true);
    expect((await sf.control('GET', 'records/Nope/1')).status).toBe(404);
    const invalid = await sf.control<{ error: string }>('POST', 'outbound', { url: 'not a url', object: 'Nope' });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain("object 'Nope' is unknown");
    const badSeed = await sf.control<{ error: string }>('POST', 'seed', { leads: -1 });
    expect(badSeed.status).toBe(400);
    const stats = (await sf.control<{ records: Record<string, number>; deleted: Record<string, number> }>('GET', 'stats')).body;
    expect(stats.records).toEqual({ Lead: 19, Case: 5 });
    expect(stats.deleted).toEqual({ Lead: 1, Case: 0 });
  });

  it('seeds from counts with the demo generator, by default with one shared SystemModstamp', async () => {
    const seeded = await sf.control<{ seeded: { Lead: number; Case: number } }>('POST', 'seed', { leads: 300, tickets: 200, seed: 7 });
    expect(seeded.body.seeded).toEqual({ Lead: 300, Case: 200 });
    const conn = await sf.connect();
    const stamps = await conn.query<{ SystemModstamp: string; IsConverted: boolean }>('SELECT SystemModstamp, IsConverted FROM Lead', {
      autoFetch: true,
    });
    expect(new Set(stamps.records.map((r) => r.SystemModstamp)).size).toBe(1);
    expect(stamps.records.some((r) => r.IsConverted)).toBe(true);
    await sf.control('POST', 'seed', { leads: 50, tickets: 0, seed: 7, modstamp: 'spread' });
    const spread = await conn.query<{ SystemModstamp: string }>('SELECT SystemModstamp FROM Lead');
    expect(new Set(spread.records.map((r) => r.SystemModstamp)).size).toBeGreaterThan(40);
  });

  it('serves the record viewer at / and the credentials a client needs', async () => {
    const page = await fetch(`${sf.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const list = await fetch(`${sf.baseUrl}/view/Lead`);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('First0 Last0');
    const creds = await sf.credentials();
    expect(creds).toMatchObject({
      instanceUrl: sf.baseUrl,
      loginUrl: sf.baseUrl,
      apiVersion: '62.0',
      organizationId: expect.stringMatching(/^00D/),
      integrationUserId: expect.stringMatching(/^005/),
    });
  });
});
