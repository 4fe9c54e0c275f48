/** Field provisioning, check(), write-back and Outbound Message webhooks of the Salesforce connector against the sandbox. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest, WriteOp } from '@fieldcast/connector-sdk';
import { SALESFORCE_CASES_STREAM, SALESFORCE_LEADS_STREAM, SalesforceConnector, SALESFORCE_OUTBOUND_ACK } from '../src';
import { demoLeads, demoTickets, makeContext, startSandbox } from './salesforce-connector.helpers';
import type { StartedSalesforceSandbox } from '../../../apps/sandbox/test/salesforce-sandbox.helpers';

describe('Salesforce connector: fields, write-back, webhooks', () => {
  let sf: StartedSalesforceSandbox;
  const connector = new SalesforceConnector({ retryBaseMs: 10 });
  let leadIds: string[];
  beforeAll(async () => {
    sf = await startSandbox({ data: { leads: demoLeads(450), tickets: demoTickets(10) } });
  });
  afterAll(() => sf.sandbox.stop());
  beforeEach(async () => {
    await sf.control('POST', 'reset');
    const conn = await sf.connect();
    leadIds = (await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY Id', { autoFetch: true })).records.map((r) => r.Id);
  });

  it('check() names missing field permissions in admin words; ensureFields creates and grants them; check() then passes', async () => {
    const { ctx } = await makeContext(sf);
    const before = await connector.check(ctx);
    expect(before.ok).toBe(false);
    expect(before.identity).toMatchObject({
      userId: (await sf.credentials()).integrationUserId,
      name: 'integration@fieldcast-demo.example',
    });
    const missing = before.checks.find((c) => c.name === 'write Lead.Fieldcast_Lead_Score__c')!;
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain(
      '"Fieldcast Lead Score" (Fieldcast_Lead_Score__c) on Lead does not exist or is hidden from integration@fieldcast-demo.example',
    );
    expect(missing.fix).toContain('Set Field-Level Security');
    expect(before.checks.find((c) => c.name === 'authentication')?.status).toBe('pass');
    expect(before.checks.find((c) => c.name === 'read Lead')?.status).toBe('pass');

    const leadFields = connector.fieldSpecs(ctx, SALESFORCE_LEADS_STREAM);
    const provisioned = await connector.ensureFields(ctx, 'leads', leadFields);
    expect(provisioned.fields.map((f) => [f.name, f.status, f.writable])).toEqual([
      ['Fieldcast_Lead_Score__c', 'created', true],
      ['Fieldcast_Score_Confidence__c', 'created', true],
      ['Fieldcast_Score_Reasons__c', 'created', true],
      ['Fieldcast_Model_Version__c', 'created', true],
    ]);
    const again = await connector.ensureFields(ctx, 'leads', leadFields);
    expect(again.fields.every((f) => f.status === 'exists' && f.writable)).toBe(true);
    await connector.ensureFields(ctx, 'cases', connector.fieldSpecs(ctx, SALESFORCE_CASES_STREAM));
    const after = await connector.check(ctx);
    expect(after.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(after.ok).toBe(true);

    // An admin makes one field read-only again: check() says so, and writes to it fail per record as PERMISSION.
    const conn = await sf.connect();
    const grant = await conn.query<{ Id: string }>("SELECT Id FROM FieldPermissions WHERE Field = 'Lead.Fieldcast_Model_Version__c'");
    await conn.sobject('FieldPermissions').update({ Id: grant.records[0].Id, PermissionsEdit: false });
    const readOnly = (await connector.check(ctx)).checks.find((c) => c.name === 'write Lead.Fieldcast_Model_Version__c')!;
    expect(readOnly).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('can see "Fieldcast Model Version" (Fieldcast_Model_Version__c) on Lead but cannot edit it'),
    });
    const [result] = await connector.writeBatch(ctx, {
      stream: 'leads',
      ops: [{ opId: 'op-1', externalId: leadIds[0], fields: { Fieldcast_Model_Version__c: 'v3' } }],
    });
    expect(result).toMatchObject({
      opId: 'op-1',
      status: 'failed',
      error: { code: 'PERMISSION', vendorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', retryable: false },
    });
  });

  it('describes again when an admin hides a synced field between two pages', async () => {
    const { ctx, warnings } = await makeContext(sf);
    await connector.ensureFields(ctx, 'leads', connector.fieldSpecs(ctx, SALESFORCE_LEADS_STREAM));
    const first = await connector.fetchPage(ctx, { stream: 'leads', cursor: null, pageSize: 100, mode: 'incremental' });
    expect(first.records[0].fields).toHaveProperty('Fieldcast_Lead_Score__c');
    const conn = await sf.connect();
    const grant = await conn.query<{ Id: string }>("SELECT Id FROM FieldPermissions WHERE Field = 'Lead.Fieldcast_Lead_Score__c'");
    await conn.sobject('FieldPermissions').update({ Id: grant.records[0].Id, PermissionsRead: false, PermissionsEdit: false });
    const next = await connector.fetchPage(ctx, { stream: 'leads', cursor: first.nextCursor, pageSize: 100, mode: 'incremental' });
    expect(next.records).toHaveLength(100);
    expect(next.records[0].fields).not.toHaveProperty('Fieldcast_Lead_Score__c');
    expect(warnings.some((w) => w.includes('describing again'))).toBe(true);
  });

  it('explains in admin words when the integration user may not create fields or grant access to them', async () => {
    const { ctx } = await makeContext(sf);
    const specs = connector.fieldSpecs(ctx, SALESFORCE_LEADS_STREAM).slice(0, 2);
    await sf.control('POST', 'integration-user', { customizeApplication: false, managePermissionSets: false });
    const refused = await connector.ensureFields(ctx, 'leads', specs);
    expect(refused.fields.map((f) => [f.name, f.status, f.writable])).toEqual([
      ['Fieldcast_Lead_Score__c', 'failed', false],
      ['Fieldcast_Score_Confidence__c', 'failed', false],
    ]);
    expect(refused.fields[0].message).toBe(
      'Salesforce refused to create Fieldcast_Lead_Score__c on Lead: the integration user lacks the "Customize Application" permission. Grant it and retry, or have an admin create the field "Fieldcast Lead Score" (API name Fieldcast_Lead_Score__c, type Number(14, 4)) in Setup → Object Manager → Lead → Fields & Relationships.',
    );

    await sf.control('POST', 'integration-user', { customizeApplication: true });
    const hidden = await connector.ensureFields(ctx, 'leads', specs);
    expect(hidden.fields.map((f) => [f.status, f.writable])).toEqual([
      ['created', false],
      ['created', false],
    ]);
    expect(hidden.fields[1].message).toContain(
      'it lacks "Manage Profiles and Permission Sets". In Setup → Object Manager → Lead → Fields & Relationships → Fieldcast Score Confidence → Set Field-Level Security',
    );
    expect((await connector.check(ctx)).checks.find((c) => c.name === 'write Lead.Fieldcast_Lead_Score__c')?.status).toBe('fail');

    await sf.control('POST', 'integration-user', { managePermissionSets: true });
    const granted = await connector.ensureFields(ctx, 'leads', specs);
    expect(granted.fields.map((f) => [f.status, f.writable])).toEqual([
      ['exists', true],
      ['exists', true],
    ]);
    expect((await sf.control('POST', 'integration-user', { canFly: true })).status).toBe(400);
  });

  it('rejects invalid configured field names before calling Salesforce', async () => {
    const { ctx, budget } = await makeContext(sf);
    await expect(
      connector.ensureFields(ctx, 'leads', [{ key: 'lead_score', name: 'Bad Name', label: 'x', type: 'number' }]),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining("'Bad Name' must end with __c"),
    });
    expect(budget.snapshot().calls).toBe(0);
  });

  it('writes in composite batches of 200 with per-record coded results; our writes carry the integration user', async () => {
    const { ctx, budget } = await makeContext(sf);
    await connector.ensureFields(ctx, 'leads', connector.fieldSpecs(ctx, SALESFORCE_LEADS_STREAM));
    await sf.control('DELETE', `records/Lead/${leadIds[3]}`);
    const ops: WriteOp[] = leadIds.map((id, i) => ({
      opId: `op-${i}`,
      externalId: id,
      fields: { Fieldcast_Lead_Score__c: i / 10, Fieldcast_Model_Version__c: 'lead-v1' },
    }));
    ops[1] = { opId: 'op-1', externalId: 'not-an-id', fields: { Fieldcast_Lead_Score__c: 1 } };
    ops[2] = { ...ops[2], fields: { Fieldcast_Score_Confidence__c: 12345 } };
    ops[4] = { ...ops[4], fields: { Nope__c: 1 } };
    const before = budget.snapshot().callsByEndpoint['PATCH composite/sobjects Lead'] ?? 0;
    const results = await connector.writeBatch(ctx, { stream: 'leads', ops });
    expect(results).toHaveLength(450);
    expect(results.map((r) => r.opId)).toEqual(ops.map((o) => o.opId));
    expect(results[0]).toEqual({ opId: 'op-0', status: 'written' });
    expect(results[1]).toMatchObject({ status: 'failed', error: { code: 'VALIDATION', vendorCode: 'MALFORMED_ID', retryable: false } });
    expect(results[2]).toMatchObject({ status: 'failed', error: { code: 'VALIDATION', vendorCode: 'NUMBER_OUTSIDE_VALID_RANGE' } });
    expect(results[3]).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND', vendorCode: 'ENTITY_IS_DELETED' } });
    expect(results[4]).toMatchObject({
      status: 'failed',
      error: { code: 'PERMISSION', vendorCode: 'INVALID_FIELD', message: expect.stringContaining('Nope__c') },
    });
    expect(results.filter((r) => r.status === 'written')).toHaveLength(446);
    // 449 valid ids → 3 composite calls (200 + 200 + 49); the malformed id never left the connector.
    expect(budget.snapshot().callsByEndpoint['PATCH composite/sobjects Lead'] - before).toBe(3);
    const writes = (await sf.control<{ writes: Array<{ id: string; by: string }> }>('GET', 'writes')).body.writes.filter((w) =>
      w.id.startsWith('00Q'),
    );
    expect(writes).toHaveLength(446);
    expect(new Set(writes.map((w) => w.by))).toEqual(new Set([(await sf.credentials()).integrationUserId]));

    // Echo suppression signal: the next sync sees these records as last modified by the integration user.
    const [record] = await connector.fetchByIds(ctx, 'leads', [leadIds[0]]);
    expect(record.lastModifiedBy).toBe(ctx.settings.integrationUserId);
    expect(record.fields.Fieldcast_Lead_Score__c).toBe(0);
  });

  it('retries a write through a 5xx / 429 storm that jsforce does not retry (PATCH)', async () => {
    const { ctx, warnings } = await makeContext(sf);
    await sf.control('POST', 'faults', { serverErrorNext: 2 });
    const results = await connector.writeBatch(ctx, {
      stream: 'leads',
      ops: [{ opId: 'a', externalId: leadIds[0], fields: { Title: 'Retried' } }],
    });
    expect(results).toEqual([{ opId: 'a', status: 'written' }]);
    expect(warnings.filter((w) => w.includes('retrying'))).toHaveLength(2);
    // REQUEST_LIMIT_EXCEEDED (ConcurrentPerOrgLongTxn) names no wait on real Salesforce, and jsforce would not
    // show a Retry-After header anyway: the write is retried with backoff from retryBaseMs, not after an
    // invented fixed wait (a 30 s guess used to be honoured here and idled the worker for 30 s).
    await sf.control('POST', 'faults', { rateLimitNext: 1 });
    const started = Date.now();
    expect(
      await connector.writeBatch(ctx, { stream: 'leads', ops: [{ opId: 'b', externalId: leadIds[1], fields: { Title: 'After 429' } }] }),
    ).toEqual([{ opId: 'b', status: 'written' }]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(warnings.filter((w) => w.includes('retrying'))).toHaveLength(3);
    await sf.control('POST', 'faults', { serverErrorNext: 10 });
    await expect(
      connector.writeBatch(ctx, { stream: 'leads', ops: [{ opId: 'c', externalId: leadIds[2], fields: { Title: 'x' } }] }),
    ).rejects.toMatchObject({ code: 'TEMPORARY' });
    await sf.control('POST', 'faults', { serverErrorNext: 0 });
  });

  describe('Outbound Message webhooks', () => {
    let listener: Server;
    let url = '';
    const bodies: Buffer[] = [];
    beforeAll(async () => {
      listener = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          bodies.push(Buffer.concat(chunks));
          res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(SALESFORCE_OUTBOUND_ACK);
        });
      });
      await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
      url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/webhooks/salesforce/conn-sf-1/url-secret-123`;
    });
    afterAll(async () => {
      listener.closeAllConnections();
      await new Promise((r) => listener.close(r));
    });

    const request = (raw: Buffer, path = '/webhooks/salesforce/conn-sf-1/url-secret-123'): WebhookRequest => ({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      rawBody: raw,
      receivedAt: Date.now(),
    });

    it('verifies real outbound messages by OrganizationId and URL secret, parses events and drops our own echoes', async () => {
      bodies.length = 0;
      const creds = await sf.credentials();
      await sf.control('POST', 'outbound', { url, objects: ['Lead', 'Case'] });
      await sf.control('PATCH', `records/Lead/${leadIds[0]}`, { Title: 'Edited by a person' });
      const { ctx } = await makeContext(sf);
      await connector.writeBatch(ctx, {
        stream: 'leads',
        ops: [{ opId: 'w', externalId: leadIds[1], fields: { Title: 'Fieldcast wrote this' } }],
      });
      for (let i = 0; i < 200 && bodies.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(bodies).toHaveLength(2);

      const secrets = { organizationId: creds.organizationId, signingSecret: 'url-secret-123' };
      const webhook = connector.webhooks;
      const human = request(bodies[0]);
      expect(webhook.verify(human, secrets)).toEqual({ ok: true });
      const parsed = webhook.parse(human, { integrationUserId: creds.integrationUserId });
      expect(parsed.events).toEqual([
        {
          eventId: expect.stringMatching(/^04l/),
          stream: 'leads',
          externalId: leadIds[0],
          kind: 'updated',
          occurredAt: expect.stringMatching(/Z$/),
          changeSource: creds.adminUserId,
        },
      ]);
      expect(parsed.acknowledgement).toEqual({ contentType: 'text/xml; charset=utf-8', body: SALESFORCE_OUTBOUND_ACK });

      const echo = webhook.parse(request(bodies[1]), { integrationUserId: creds.integrationUserId });
      expect(echo.events).toEqual([]);
      expect(echo.dropped).toEqual([{ eventId: expect.stringMatching(/^04l/), reason: expect.stringContaining('echo') }]);

      // Redelivery keeps the Notification Id, so the inbox can drop the duplicate.
      const fired = await sf.control<{ deliveries: Array<{ notificationIds: string[] }> }>('POST', 'webhooks/fire', {
        object: 'Case',
        ids: ['5005G0000000001QAA'],
      });
      expect(fired.status).toBe(200);
      const cases = webhook.parse(request(bodies[2]), { integrationUserId: creds.integrationUserId });
      expect(cases.events[0]).toMatchObject({
        stream: 'cases',
        externalId: '5005G0000000001QAA',
        eventId: fired.body.deliveries[0].notificationIds[0],
      });
    });

    it('rejects forged outbound messages: wrong org, wrong URL secret, not SOAP, DOCTYPE', async () => {
      const creds = await sf.credentials();
      await sf.control('POST', 'outbound', { url, object: 'Lead' });
      bodies.length = 0;
      await sf.control('POST', 'webhooks/fire', { object: 'Lead', ids: [leadIds[0]] });
      const genuine = bodies[0];
      const secrets = { organizationId: creds.organizationId, signingSecret: 'url-secret-123' };
      const webhook = connector.webhooks;
      expect(webhook.verify(request(genuine), secrets)).toEqual({ ok: true });
      const forgedOrg = Buffer.from(genuine.toString('utf8').replace(creds.organizationId, '00D5G0000000099UAA'));
      expect(webhook.verify(request(forgedOrg), secrets)).toEqual({
        ok: false,
        reason: 'OrganizationId does not belong to this connection',
      });
      expect(webhook.verify(request(genuine, '/webhooks/salesforce/conn-sf-1/guess'), secrets)).toEqual({
        ok: false,
        reason: 'the URL secret does not match this connection',
      });
      expect(webhook.verify(request(Buffer.from('{"not":"soap"}')), secrets)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('not a Salesforce outbound message'),
      });
      const doctype = Buffer.from(
        `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${genuine.toString('utf8').replace(/^<\?xml[^>]*>/, '')}`,
      );
      expect(webhook.verify(request(doctype), secrets)).toMatchObject({ ok: false, reason: expect.stringContaining('DOCTYPE') });
      expect(webhook.verify(request(genuine), { signingSecret: 'url-secret-123' })).toMatchObject({ ok: false });
    });
  });
});
