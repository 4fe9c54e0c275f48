/**
 * Decides which of a sync run's new writes go to the vendor right after their page commits, so that
 * every write call is a full vendor batch: a page of 250 changed HubSpot records is two calls of 100,
 * and the 50 left over wait (as pending outbox rows) to ride with the next page's records instead of
 * making a half-empty third call. What is still waiting at the end of the run is drained with
 * everything else that is due.
 *
 * Rows of records that go straight out are inserted already `in_flight` (no claim statement for
 * them: the claim was a fifth of PostgreSQL's time per record); the waiting ones are claimed by id
 * when their batch fills up.
 */
import type { CurrentValues } from '../outbox/outbox-drainer';
import type { OutboxRow } from '../outbox/outbox-store';

export interface ReadyWrites {
  /** Waiting (pending) rows to claim by id. */
  claimIds: string[];
  /** Rows inserted in_flight by this page's transaction. */
  claimed: OutboxRow[];
  /** What the vendor held for each record when its page was read. */
  current: CurrentValues;
}

export class WriteBatcher {
  private readonly waiting = new Map<string, { ids: string[]; fields: Record<string, unknown> }>();
  /** Waiting records whose batch the current page completes (set by plan, written after the commit). */
  private completing: ReadyWrites | undefined;

  constructor(private readonly batchSize: number) {
    if (!(batchSize >= 1)) throw new RangeError(`batch size must be at least 1, got ${batchSize}`);
  }

  get waitingRecords(): number {
    return this.waiting.size;
  }

  /**
   * Called with the records of a page that have writes, in page order, before its transaction:
   * returns those whose rows should be inserted in_flight (they complete whole batches together with
   * every waiting record); the rest will wait.
   */
  plan(recordIds: string[]): Set<string> {
    const waitingHere = recordIds.filter((id) => !this.waiting.has(id));
    const total = this.waiting.size + waitingHere.length;
    const batches = Math.floor(total / this.batchSize);
    if (batches === 0) return new Set();
    const immediate = new Set(waitingHere.slice(0, batches * this.batchSize - this.waiting.size));
    this.completing = { claimIds: [], claimed: [], current: new Map() };
    for (const [externalId, entry] of this.waiting) {
      this.completing.claimIds.push(...entry.ids);
      this.completing.current.set(externalId, entry.fields);
    }
    this.waiting.clear();
    return immediate;
  }

  /**
   * After the page committed: remembers its pending rows, and returns what to write now (nothing
   * when no batch is full).
   */
  afterCommit(inserted: OutboxRow[], current: CurrentValues): ReadyWrites | undefined {
    const claimed: OutboxRow[] = [];
    for (const row of inserted) {
      if (row.status === 'in_flight') {
        claimed.push(row);
        continue;
      }
      const entry = this.waiting.get(row.externalId);
      // A record that comes back in a later page (lookback window) gets new rows; the old ones were
      // superseded in the database, and claiming them by id simply finds nothing.
      if (entry) {
        entry.ids.push(row.id);
        entry.fields = current.get(row.externalId) ?? entry.fields;
      } else this.waiting.set(row.externalId, { ids: [row.id], fields: current.get(row.externalId) ?? {} });
    }
    const ready: ReadyWrites = this.completing ?? { claimIds: [], claimed: [], current: new Map() };
    this.completing = undefined;
    ready.claimed.push(...claimed);
    for (const row of claimed) ready.current.set(row.externalId, current.get(row.externalId) ?? {});
    if (ready.claimIds.length === 0 && ready.claimed.length === 0) return undefined;
    return ready;
  }
}
