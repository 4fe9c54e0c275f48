import type { OutboxRow } from '../outbox/outbox-store';
import { WriteBatcher } from './write-batcher';

let nextId = 0;
function rows(recordIds: string[], immediate: Set<string>, fieldsPerRecord = 2): OutboxRow[] {
  return recordIds.flatMap((externalId) =>
    Array.from({ length: fieldsPerRecord }, (_, f) => ({
      id: `row-${nextId++}`,
      externalId,
      fields: { [`f${f}`]: 1 },
      attempts: immediate.has(externalId) ? 1 : 0,
      status: immediate.has(externalId) ? 'in_flight' : 'pending',
      createdAt: new Date(),
    })),
  );
}
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const current = (recordIds: string[]) => new Map(recordIds.map((id) => [id, { name: id }]));

/** One page through the batcher, as the sync runner drives it; returns the records written now. */
function page(batcher: WriteBatcher, recordIds: string[]): string[] {
  const immediate = batcher.plan(recordIds);
  const ready = batcher.afterCommit(rows(recordIds, immediate), current(recordIds));
  if (!ready) return [];
  return [...ready.current.keys()];
}

describe('WriteBatcher', () => {
  it('sends whole batches straight away and keeps the rest waiting', () => {
    const batcher = new WriteBatcher(100);
    const first = page(batcher, ids('a', 250));
    expect(first).toHaveLength(200);
    expect(batcher.waitingRecords).toBe(50);
  });

  it('lets waiting records ride with the next page, so every call is a full batch', () => {
    const batcher = new WriteBatcher(100);
    page(batcher, ids('a', 250));
    const immediate = batcher.plan(ids('b', 60));
    // 50 waiting + 60 new: one batch of 100 = the 50 waiting (claimed by id) + the first 50 new.
    expect(immediate.size).toBe(50);
    const ready = batcher.afterCommit(rows(ids('b', 60), immediate), current(ids('b', 60)))!;
    expect(ready.current.size).toBe(100);
    expect(ready.claimIds).toHaveLength(100); // 50 records × 2 fields, pending, taken by id
    expect(ready.claimed.every((r) => r.status === 'in_flight')).toBe(true);
    expect(new Set(ready.claimed.map((r) => r.externalId)).size).toBe(50);
    expect(batcher.waitingRecords).toBe(10);
  });

  it('writes nothing while less than a batch is waiting', () => {
    const batcher = new WriteBatcher(100);
    expect(page(batcher, ids('a', 40))).toEqual([]);
    expect(page(batcher, ids('b', 40))).toEqual([]);
    expect(batcher.waitingRecords).toBe(80);
    expect(page(batcher, ids('c', 40))).toHaveLength(100);
    expect(batcher.waitingRecords).toBe(20);
  });

  it('hands over the values read with each record (what the vendor holds), not a later page', () => {
    const batcher = new WriteBatcher(2);
    page(batcher, ['x']);
    const immediate = batcher.plan(['y']);
    const ready = batcher.afterCommit(rows(['y'], immediate), new Map([['y', { name: 'y-now' }]]))!;
    expect(ready.current.get('x')).toEqual({ name: 'x' });
    expect(ready.current.get('y')).toEqual({ name: 'y-now' });
  });

  it('refuses a batch size below one', () => {
    expect(() => new WriteBatcher(0)).toThrow(/at least 1/);
  });
});
