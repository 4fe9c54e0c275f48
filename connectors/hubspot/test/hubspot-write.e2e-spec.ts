/**
 * HubSpot connector write-back and field provisioning against the sandbox over HTTP: check() before
 * and after provisioning, the `fieldcast` group and properties (409 = exists, wrong type = failed),
 * batch/update at 100 per call, 207 partial failures mapped per op, duplicate records split across
 * batches, and fetchByIds reading back what was written.
 */
import type { WriteOp } from '@fieldcast/connector-sdk';
import { generateDemoData } from '@fieldcast/sandbox';
import { HUBSPOT_CONTACT_FIELD_SPECS, HUBSPOT_TICKET_FIELD_SPECS } from '../src/streams/hubspot-field-specs';
import { liveIds, startHubSpotConnectorBed, type HubSpotConnectorBed } from './hubspot-connector.fixtures';

describe('HubSpot connector: check, fields and write-back', () => {
  let bed: HubSpotConnectorBed;
  beforeAll(async () => {
    bed = await startHubSpotConnectorBed({ data: generateDemoData({ leads: 260, tickets: 40, seed: 9 }) });
  });
  afterAll(() => bed.sandbox.stop());

  it('check() names the missing properties and how to fix them; after ensureFields it passes', async () => {
    const before = await bed.connector.check(bed.context().ctx);
    expect(before.ok).toBe(false);
    expect(before.identity).toMatchObject({ organizationId: '62515' });
    const missing = before.checks.find((c) => c.name === 'contacts: fieldcast_lead_score')!;
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('does not exist');
    expect(missing.fix).toContain('field provisioning');
    expect(before.checks.find((c) => c.name === 'contacts: read')!.status).toBe('pass');

    const { ctx } = bed.context();
    const contacts = await bed.connector.ensureFields(ctx, 'contacts', HUBSPOT_CONTACT_FIELD_SPECS);
    expect(contacts.fields.map((f) => [f.name, f.status, f.writable])).toEqual(
      HUBSPOT_CONTACT_FIELD_SPECS.map((f) => [f.name, 'created', true]),
    );
    const again = await bed.connector.ensureFields(ctx, 'contacts', HUBSPOT_CONTACT_FIELD_SPECS);
    expect(again.fields.every((f) => f.status === 'exists' && f.writable)).toBe(true);
    await bed.connector.ensureFields(ctx, 'tickets', HUBSPOT_TICKET_FIELD_SPECS);

    expect(bed.sandbox.stores.contacts.properties.get('fieldcast_lead_score')).toMatchObject({ type: 'number', groupName: 'fieldcast' });
    expect(bed.sandbox.stores.contacts.properties.get('fieldcast_score_reasons')).toMatchObject({ type: 'string', fieldType: 'textarea' });

    const after = await bed.connector.check(bed.context().ctx);
    expect(after.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(after.ok).toBe(true);
  });

  it('reports a same-named property of the wrong type as failed instead of writing into it', async () => {
    const { ctx } = bed.context();
    const result = await bed.connector.ensureFields(ctx, 'contacts', [
      { key: 'lead_score', name: 'jobtitle', label: 'Score in the wrong place', type: 'number' },
    ]);
    expect(result.fields[0]).toMatchObject({
      status: 'failed',
      writable: false,
      message: expect.stringContaining('exists with type string'),
    });
  });

  it('writes 250 scores in 3 batch calls, and a re-read shows them', async () => {
    const { ctx, budget } = bed.context();
    const ids = liveIds(bed.sandbox, 'contacts').slice(0, 250);
    const ops: WriteOp[] = ids.map((id, i) => ({
      opId: `op-${id}`,
      externalId: id,
      fields: { fieldcast_lead_score: i % 100, fieldcast_model_version: 'lead-v1' },
    }));
    const results = await bed.connector.writeBatch(ctx, { stream: 'contacts', ops });
    expect(results.filter((r) => r.status === 'written')).toHaveLength(250);
    expect(results.map((r) => r.opId)).toEqual(ops.map((o) => o.opId));
    expect(budget.snapshot().callsByEndpoint['POST /crm/v3/objects/contacts/batch/update']).toBe(3);
    const reread = await bed.connector.fetchByIds(ctx, 'contacts', [ids[7]!, ids[199]!, '999999']);
    expect(reread.map((r) => [r.externalId, r.fields.fieldcast_lead_score, r.fields.fieldcast_model_version])).toEqual(
      expect.arrayContaining([
        [ids[7], '7', 'lead-v1'],
        [ids[199], '99', 'lead-v1'],
      ]),
    );
    expect(reread).toHaveLength(2);
    const writes = await bed.control<{ writes: Array<{ by: string }> }>('GET', '/writes?object=contacts');
    expect(writes.body.writes.every((w) => w.by === 'INTEGRATION:1160452')).toBe(true);
  });

  it('maps a 207 partial failure per op: written, NOT_FOUND, VALIDATION, CONFIG', async () => {
    const [a, b, c] = liveIds(bed.sandbox, 'contacts');
    const results = await bed.connector.writeBatch(bed.context().ctx, {
      stream: 'contacts',
      ops: [
        { opId: 'ok', externalId: a!, fields: { fieldcast_lead_score: 55 } },
        { opId: 'gone', externalId: '999999', fields: { fieldcast_lead_score: 1 } },
        { opId: 'bad-value', externalId: b!, fields: { fieldcast_lead_score: 'very high' } },
        { opId: 'no-property', externalId: c!, fields: { fieldcast_not_provisioned: 'x' } },
      ],
    });
    const byOp = Object.fromEntries(results.map((r) => [r.opId, r]));
    expect(byOp.ok).toEqual({ opId: 'ok', status: 'written' });
    expect(byOp.gone!.error).toMatchObject({ code: 'NOT_FOUND', vendorCode: 'OBJECT_NOT_FOUND', retryable: false });
    expect(byOp['bad-value']!.error).toMatchObject({ code: 'VALIDATION', vendorCode: 'INVALID_FLOAT', retryable: false });
    expect(byOp['no-property']!.error).toMatchObject({ code: 'CONFIG', vendorCode: 'PROPERTY_DOESNT_EXIST' });
    expect(bed.sandbox.stores.contacts.get(b!)!.properties.fieldcast_lead_score).not.toBe('very high');
  });

  it('never puts two ops for one record in the same batch (HubSpot would reject the whole batch)', async () => {
    const { ctx, budget } = bed.context();
    const [a, b] = liveIds(bed.sandbox, 'contacts');
    const results = await bed.connector.writeBatch(ctx, {
      stream: 'contacts',
      ops: [
        { opId: 'first', externalId: a!, fields: { fieldcast_lead_score: 10 } },
        { opId: 'other', externalId: b!, fields: { fieldcast_lead_score: 20 } },
        { opId: 'second', externalId: a!, fields: { fieldcast_score_reasons: 'Referral source; CFO title' } },
      ],
    });
    expect(results.every((r) => r.status === 'written')).toBe(true);
    expect(budget.snapshot().callsByEndpoint['POST /crm/v3/objects/contacts/batch/update']).toBe(2);
    expect(bed.sandbox.stores.contacts.get(a!)!.properties).toMatchObject({
      fieldcast_lead_score: '10',
      fieldcast_score_reasons: 'Referral source; CFO title',
    });
  });

  it('writes ticket categories and escalation risk, clearing a value with null', async () => {
    const [t] = liveIds(bed.sandbox, 'tickets');
    const { ctx } = bed.context();
    await bed.connector.writeBatch(ctx, {
      stream: 'tickets',
      ops: [{ opId: 't1', externalId: t!, fields: { fieldcast_ticket_category: 'Billing', fieldcast_escalation_risk: 0.42 } }],
    });
    expect(bed.sandbox.stores.tickets.get(t!)!.properties).toMatchObject({
      fieldcast_ticket_category: 'Billing',
      fieldcast_escalation_risk: '0.42',
    });
    await bed.connector.writeBatch(ctx, {
      stream: 'tickets',
      ops: [{ opId: 't2', externalId: t!, fields: { fieldcast_ticket_category: null } }],
    });
    expect(bed.sandbox.stores.tickets.get(t!)!.properties.fieldcast_ticket_category).toBeNull();
  });

  it('describes its streams, batch maximum and rate-limit model', () => {
    const descriptor = bed.connector.describe();
    expect(descriptor.streams.map((s) => [s.name, s.cursorField, s.writeBatchMax])).toEqual([
      ['contacts', 'lastmodifieddate', 100],
      ['tickets', 'hs_lastmodifieddate', 100],
    ]);
    expect(descriptor.supportsWebhooks).toBe(true);
  });

  it('an app without write and schema scopes: check() says which scopes and how to fix; provisioning and writes fail as PERMISSION', async () => {
    const full = (await bed.control<{ scopes: string[] }>('POST', '/tokens', {})).body.scopes;
    await bed.control('POST', '/tokens', {
      scopes: full.filter((s) => s !== 'crm.objects.contacts.write' && s !== 'crm.schemas.contacts.write'),
    });
    try {
      const result = await bed.connector.check(bed.context().ctx);
      expect(result.ok).toBe(false);
      const scopes = result.checks.find((c) => c.name === 'contacts: scopes')!;
      expect(scopes).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('crm.objects.contacts.write'),
        fix: expect.stringContaining('reconnect'),
      });
      expect(result.checks.find((c) => c.name === 'tickets: scopes')).toBeUndefined();

      const provision = await bed.connector.ensureFields(bed.context().ctx, 'contacts', [
        { key: 'extra', name: 'fieldcast_extra', label: 'Extra', type: 'text' },
      ]);
      expect(provision.fields[0]).toMatchObject({ status: 'failed', writable: false, message: expect.stringContaining('MISSING_SCOPES') });
      const [id] = liveIds(bed.sandbox, 'contacts');
      const failure = await bed.connector
        .writeBatch(bed.context().ctx, { stream: 'contacts', ops: [{ opId: 'p1', externalId: id!, fields: { fieldcast_lead_score: 1 } }] })
        .catch((e: unknown) => e as { code: string; vendorCode: string });
      expect(failure).toMatchObject({ code: 'PERMISSION', vendorCode: 'MISSING_SCOPES' });
    } finally {
      await bed.control('POST', '/tokens', { scopes: full });
    }
  });
});
