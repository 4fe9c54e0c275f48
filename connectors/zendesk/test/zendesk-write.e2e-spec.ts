/**
 * Zendesk connector field provisioning, check and write-back against the sandbox with the real
 * node-zendesk: ensureFields (create, then exists), check() naming a missing field and a non-admin
 * user, update_many batches of 100 with job polling (calls per 1,000 writes), a partial batch failure
 * mapped to coded errors, a missing field, a 429 storm during writes, and writes recognisable as ours.
 */
import type { ConnectorContext, WriteOp } from '@fieldcast/connector-sdk';
import { ZendeskConnector } from '@fieldcast/connector-zendesk';
import { makeContext, startZendeskTestBed, syncAll, zendeskDemoTickets, type ZendeskTestBed } from './zendesk-connector.helpers';

jest.setTimeout(60_000);

const connector = new ZendeskConnector({ retryBaseMs: 50, write: { pollIntervalMs: 30 } });

function scoreOps(ids: number[], risk: (id: number) => number): WriteOp[] {
  return ids.map((id) => ({
    opId: `op-${id}`,
    externalId: String(id),
    fields: { 'Fieldcast Escalation Risk': risk(id), 'Fieldcast Score Confidence': 80, 'Fieldcast Model Version': 'zd-esc-1' },
  }));
}

describe('Zendesk connector: fields, check and write-back', () => {
  let bed: ZendeskTestBed;
  let ctx: ConnectorContext;
  beforeAll(async () => {
    bed = await startZendeskTestBed();
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(1200) });
    await bed.control('POST', 'settings', { exportBufferSeconds: 0, jobStepMs: 5 });
    ctx = makeContext(bed).ctx;
  });
  afterAll(() => bed.sandbox.stop());

  it('check() reports every missing write-back field with a fix, then ensureFields creates them and check passes', async () => {
    const before = await connector.check(ctx);
    expect(before.ok).toBe(false);
    expect(before.identity).toMatchObject({ userId: String(bed.credentials.integrationUserId) });
    const missing = before.checks.filter((c) => c.status === 'fail');
    expect(missing.map((c) => c.name)).toEqual([
      'field ticket_category',
      'field escalation_risk',
      'field score_confidence',
      'field score_reasons',
      'field model_version',
    ]);
    expect(missing[1]!.message).toBe(
      'No ticket field titled "Fieldcast Escalation Risk": Fieldcast cannot write Fieldcast Escalation Risk',
    );
    expect(missing[1]!.fix).toContain('Run field provisioning');
    expect(before.checks.find((c) => c.name === 'category labels')).toMatchObject({ status: 'pass' });

    const created = await connector.ensureFields(ctx, 'tickets', connector.fieldSpecs(ctx));
    expect(created.fields.map((f) => [f.key, f.status, f.writable])).toEqual([
      ['ticket_category', 'created', true],
      ['escalation_risk', 'created', true],
      ['score_confidence', 'created', true],
      ['score_reasons', 'created', true],
      ['model_version', 'created', true],
    ]);
    const again = await connector.ensureFields(ctx, 'tickets', connector.fieldSpecs(ctx));
    expect(again.fields.every((f) => f.status === 'exists' && f.writable)).toBe(true);
    const after = await connector.check(ctx);
    expect(after.ok).toBe(true);
  });

  it('a non-admin integration user cannot sync or provision fields: check fails with the fix, provisioning fails per field', async () => {
    const { ctx: restricted } = makeContext(bed, { email: bed.credentials.restrictedAgent.email });
    const check = await connector.check(restricted);
    expect(check.ok).toBe(false);
    expect(check.checks.find((c) => c.name === 'admin role')).toMatchObject({ status: 'fail', fix: expect.stringContaining('admin role') });
    await expect(
      connector.fetchPage(restricted, { stream: 'tickets', cursor: null, pageSize: 100, mode: 'incremental' }),
    ).rejects.toMatchObject({
      code: 'PERMISSION',
      httpStatus: 403,
    });
    const result = await connector.ensureFields(restricted, 'tickets', [
      { key: 'extra', name: 'Fieldcast Extra', label: 'Fieldcast Extra', type: 'number' },
    ]);
    expect(result.fields[0]).toMatchObject({
      status: 'failed',
      writable: false,
      message: expect.stringContaining('may not create ticket fields'),
    });
  });

  it('writes 1,000 scores with 10 update_many calls and few job polls, readable back on the next sync', async () => {
    const { ctx: fresh, budget } = makeContext(bed);
    const ids = Array.from({ length: 1200 }, (_, i) => i + 1)
      .filter((id) => id % 9 !== 0)
      .slice(0, 1000); // every 9th ticket is closed
    const results = await connector.writeBatch(fresh, { stream: 'tickets', ops: scoreOps(ids, (id) => (id % 100) / 100) });
    expect(results.filter((r) => r.status === 'written')).toHaveLength(1000);
    const calls = budget.snapshot().callsByEndpoint;
    expect(calls['PUT /api/v2/tickets/update_many']).toBe(10);
    const vendorWriteCalls = (calls['PUT /api/v2/tickets/update_many'] ?? 0) + (calls['GET /api/v2/job_statuses/show_many'] ?? 0);
    console.log(
      `zendesk write-back: ${vendorWriteCalls} calls for 1,000 writes (+${calls['GET /api/v2/ticket_fields'] ?? 0} field list, ${calls['GET /api/v2/groups'] ?? 0} groups)`,
      calls,
    );
    expect(vendorWriteCalls).toBeLessThanOrEqual(12);

    const synced = await syncAll(connector, fresh, null);
    const t25 = synced.records.find((r) => r.externalId === '25')!;
    expect(t25.fields).toMatchObject({
      'Fieldcast Escalation Risk': 0.25,
      'Fieldcast Score Confidence': 80,
      'Fieldcast Model Version': 'zd-esc-1',
    });
    // Our writes are recognisable: the audits and the write log carry the integration user.
    const writes = await bed.control<{ writes: Array<{ id: string; by: string }> }>('GET', 'writes');
    expect(writes.body.writes.filter((w) => w.id === '25').every((w) => w.by === String(bed.credentials.integrationUserId))).toBe(true);
  });

  it('reads specific tickets by id (webhook processing, diff before write)', async () => {
    const records = await connector.fetchByIds(ctx, 'tickets', ['25', '26', '999999']);
    expect(records.map((r) => r.externalId)).toEqual(['25', '26']);
    expect(records[0]!.fields).toMatchObject({ 'Fieldcast Escalation Risk': 0.25, status: 'open' });
    await expect(connector.fetchByIds(ctx, 'tickets', ['abc'])).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(connector.fetchByIds(ctx, 'leads', ['1'])).rejects.toMatchObject({ code: 'CONFIG' });
  });

  it('maps a partial batch failure to coded per-op results', async () => {
    const ops: WriteOp[] = [
      ...scoreOps([30, 31], () => 0.5),
      { opId: 'closed', externalId: '18', fields: { 'Fieldcast Escalation Risk': 0.9 } }, // ticket 18 is closed
      { opId: 'gone', externalId: '999999', fields: { 'Fieldcast Escalation Risk': 0.9 } },
      { opId: 'bad-value', externalId: '32', fields: { 'Fieldcast Escalation Risk': 'very high' } },
      { opId: 'no-field', externalId: '33', fields: { 'Fieldcast Sentiment': 0.1 } },
      { opId: 'not-an-id', externalId: 'abc', fields: { 'Fieldcast Escalation Risk': 0.1 } },
    ];
    const results = await connector.writeBatch(ctx, { stream: 'tickets', ops });
    const byOp = Object.fromEntries(results.map((r) => [r.opId, r]));
    expect(byOp['op-30']).toEqual({ opId: 'op-30', status: 'written' });
    expect(byOp.closed).toMatchObject({
      status: 'failed',
      error: { code: 'VALIDATION', vendorCode: 'RecordInvalid', message: 'Status: closed prevents ticket update', retryable: false },
    });
    expect(byOp.gone).toMatchObject({ status: 'failed', error: { code: 'NOT_FOUND', vendorCode: 'TicketNotFound', retryable: false } });
    expect(byOp['bad-value']).toMatchObject({
      status: 'failed',
      error: { code: 'VALIDATION', message: expect.stringContaining('is a number field') },
    });
    expect(byOp['no-field']).toMatchObject({
      status: 'failed',
      error: { code: 'CONFIG', message: expect.stringContaining('run field provisioning') },
    });
    expect(byOp['not-an-id']).toMatchObject({ status: 'failed', error: { code: 'VALIDATION' } });
    expect(results.map((r) => r.opId)).toEqual(ops.map((o) => o.opId));
  });

  it('a field deleted at Zendesk after provisioning fails the write with CONFIG, per ticket', async () => {
    const { ctx: fresh } = makeContext(bed);
    const fieldId = [...bed.sandbox.store.ticketFields.values()].find((f) => f.title === 'Fieldcast Model Version')!.id;
    await connector.writeBatch(fresh, { stream: 'tickets', ops: scoreOps([40], () => 0.1) }); // warms the field catalog
    bed.sandbox.store.ticketFields.delete(fieldId);
    const results = await connector.writeBatch(fresh, { stream: 'tickets', ops: scoreOps([41], () => 0.2) });
    expect(results[0]).toMatchObject({ status: 'failed', error: { code: 'CONFIG', message: expect.stringContaining('does not exist') } });
    const check = await connector.check(makeContext(bed).ctx);
    expect(check.checks.find((c) => c.name === 'field model_version')).toMatchObject({ status: 'fail' });
    await connector.ensureFields(fresh, 'tickets', connector.fieldSpecs(fresh));
  });

  it('rides out a 429 storm during writes and still writes everything once', async () => {
    const { ctx: fresh, budget } = makeContext(bed);
    await connector.writeBatch(fresh, { stream: 'tickets', ops: scoreOps([50], () => 0.3) });
    await bed.control('POST', 'faults', { rateLimitNext: 3, retryAfterSeconds: 1 });
    const ids = Array.from({ length: 150 }, (_, i) => 100 + i).filter((id) => id % 9 !== 0);
    const results = await connector.writeBatch(fresh, { stream: 'tickets', ops: scoreOps(ids, () => 0.66) });
    expect(results.every((r) => r.status === 'written')).toBe(true);
    expect(budget.snapshot().rateLimitHits).toBe(3);
    const t101 = await bed.control<{ ticket: { custom_fields: Array<{ value: unknown }> } }>('GET', 'records/tickets/101');
    expect(t101.body.ticket.custom_fields.map((f) => f.value)).toContain('0.66');
    const writes = await bed.control<{ writes: Array<{ id: string; fields: Record<string, unknown> }> }>('GET', 'writes');
    expect(writes.body.writes.filter((w) => w.id === '101' && Object.values(w.fields).includes('0.66'))).toHaveLength(1);
  });
});
