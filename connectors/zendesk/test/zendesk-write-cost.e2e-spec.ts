/**
 * What write-back costs in Zendesk API calls (issue 4 goal: <= 12 calls per 1,000 changed scores,
 * job polls included; 0 write calls when nothing changed), side by side with the naive per-record
 * node-zendesk loop a user would otherwise write. Prints the numbers.
 */
import type { SyncedRecord, WriteOp } from '@fieldcast/connector-sdk';
import { ZendeskConnector } from '@fieldcast/connector-zendesk';
import { makeContext, startZendeskTestBed, syncAll, zendeskDemoTickets, type ZendeskTestBed } from './zendesk-connector.helpers';

jest.setTimeout(60_000);

const RISK = 'Fieldcast Escalation Risk';
const VERSION = 'Fieldcast Model Version';

/** The engine's diff-skip, as the outbox does it: only values the ticket does not already hold. */
function changedOps(records: SyncedRecord[], desired: Map<string, Record<string, string | number>>): WriteOp[] {
  const ops: WriteOp[] = [];
  for (const record of records) {
    const want = desired.get(record.externalId);
    if (!want) continue;
    const fields = Object.fromEntries(Object.entries(want).filter(([name, value]) => record.fields[name] !== value));
    if (Object.keys(fields).length) ops.push({ opId: `op-${record.externalId}`, externalId: record.externalId, fields });
  }
  return ops;
}

describe('Zendesk connector: API calls per 1,000 scores written', () => {
  let bed: ZendeskTestBed;
  beforeAll(async () => {
    bed = await startZendeskTestBed();
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(2400).map((t) => ({ ...t, status: 'open' })) });
    await bed.control('POST', 'settings', { exportBufferSeconds: 0, jobStepMs: 5 });
  });
  afterAll(() => bed.sandbox.stop());

  it('connector: about 11 calls per 1,000 writes and 0 on an unchanged re-sync; the naive loop: 1,000', async () => {
    const connector = new ZendeskConnector({ write: { pollIntervalMs: 50 } });
    const { ctx } = makeContext(bed);
    await connector.ensureFields(ctx, 'tickets', connector.fieldSpecs(ctx));

    const { ctx: writeCtx, budget } = makeContext(bed);
    const records = (await syncAll(connector, writeCtx, null)).records;
    const readCalls = budget.snapshot().calls;
    const desired = new Map(
      records.slice(0, 1000).map((r) => [r.externalId, { [RISK]: (Number(r.externalId) % 100) / 100, [VERSION]: 'zd-esc-1' }]),
    );
    const ops = changedOps(records, desired);
    expect(ops).toHaveLength(1000);
    const results = await connector.writeBatch(writeCtx, { stream: 'tickets', ops });
    expect(results.every((r) => r.status === 'written')).toBe(true);
    const writeCalls = budget.snapshot().calls - readCalls;

    // Re-sync: the values are now on the tickets, so the diff leaves nothing to write.
    const resynced = (await syncAll(connector, writeCtx, null)).records;
    const before = budget.snapshot().calls;
    const none = changedOps(resynced, desired);
    expect(none).toEqual([]);
    await connector.writeBatch(writeCtx, { stream: 'tickets', ops: none });
    const unchangedCalls = budget.snapshot().calls - before;

    // The naive loop: one tickets.update per record.
    const fieldId = [...bed.sandbox.store.ticketFields.values()].find((f) => f.title === RISK)!.id;
    const statsBefore = (await bed.control<{ totalCalls: number }>('GET', 'stats')).body.totalCalls;
    for (const id of records.slice(1000, 2000).map((r) => Number(r.externalId))) {
      await bed.client.tickets.update(id, { ticket: { custom_fields: [{ id: fieldId, value: 0.5 }] } } as never);
    }
    const naiveCalls = (await bed.control<{ totalCalls: number }>('GET', 'stats')).body.totalCalls - statsBefore;

    console.log(
      `Zendesk write-back for 1,000 changed scores: connector ${writeCalls} calls (${JSON.stringify(budget.snapshot().callsByEndpoint)}), ` +
        `naive per-record loop ${naiveCalls} calls, ratio ${(naiveCalls / writeCalls).toFixed(1)}x; unchanged re-sync: ${unchangedCalls} write calls`,
    );
    expect(writeCalls).toBeLessThanOrEqual(12);
    expect(unchangedCalls).toBe(0);
    expect(naiveCalls).toBe(1000);
  });
});
