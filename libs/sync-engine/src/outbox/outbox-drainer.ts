/**
 * Drains a connection's write-back outbox for one stream: claims pending rows (SKIP LOCKED, so
 * several workers never take the same row), skips values the record already holds, batches the rest
 * to the vendor maximum, and records each per-record result: written, retried later, or
 * dead-lettered with the vendor's code and message (replayable).
 *
 * A row left `in_flight` by a crashed worker is reclaimed after the lease; before it is written
 * again the vendor's current value is read, so a write that did land is not repeated.
 */
import type { DataSource } from 'typeorm';
import { backoffDelayMs, chunk, sleep } from '@fieldcast/common';
import { isConnectorException, type Connector, type ConnectorContext, type StreamDescriptor, type WriteOp } from '@fieldcast/connector-sdk';
import { queryRows } from '../sql/query-rows';
import {
  claimByIds,
  claimDue,
  dueRecordCount,
  markDead,
  markRetry,
  markSuperseded,
  markWrittenRows,
  pendingWrites,
  releaseClaimed,
  type OutboxRow,
} from './outbox-store';

export const OUTBOX_LEASE_SECONDS = 300;
export const OUTBOX_MAX_ATTEMPTS = 6;

export interface DrainResult {
  written: number;
  skippedUnchanged: number;
  retried: number;
  deadLettered: number;
  batches: number;
}

/** What the vendor holds for a record (its fields), when the caller has just read it. */
export type CurrentValues = Map<string, Record<string, unknown>>;

function emptyResult(): DrainResult {
  return { written: 0, skippedUnchanged: 0, retried: 0, deadLettered: 0, batches: 0 };
}

export class OutboxDrainer {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      connector: Connector;
      ctx: ConnectorContext;
      stream: StreamDescriptor;
      leaseSeconds?: number;
    },
  ) {}

  private get scope() {
    return { connectionId: this.deps.ctx.connectionId, stream: this.deps.stream.name };
  }

  /**
   * `fullBatchesOnly`: during a sync, write only while a full vendor batch is waiting, so pages do
   * not produce half-empty calls; the end of the run drains the rest.
   */
  async drain(options: { maxRounds?: number; fullBatchesOnly?: boolean } = {}): Promise<DrainResult> {
    const total = emptyResult();
    const { dataSource, stream } = this.deps;
    for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
      if (options.fullBatchesOnly && (await dueRecordCount(dataSource, this.scope)) < stream.writeBatchMax) break;
      // Whole records, up to five vendor batches per round, so batches are full: 300 records with
      // 4 fields each are 3 HubSpot calls, not 4.
      const claimed = await claimDue(dataSource, this.scope, this.deps.leaseSeconds ?? OUTBOX_LEASE_SECONDS, stream.writeBatchMax * 5);
      if (claimed.length === 0) break;
      addInto(total, await this.writeClaimed(claimed));
    }
    return total;
  }

  /**
   * The end of a sync run: drains what is due, and when writes wait for a retry that comes due within
   * `patienceMs` (a short outage, a 429's Retry-After), waits for them, so the run's counts say what
   * reached the vendor. Later retries are left to the write-back job (the scheduler enqueues it for
   * due rows); `waiting` says how many and from when.
   */
  async drainPatiently(patienceMs: number, signal?: AbortSignal): Promise<DrainResult & { waiting?: { rows: number; dueAt: Date } }> {
    const deadline = Date.now() + patienceMs;
    const total = emptyResult();
    for (;;) {
      addInto(total, await this.drain());
      const { rows, nextAt } = await pendingWrites(this.deps.dataSource, this.scope);
      if (!nextAt) return total;
      if (nextAt.getTime() > deadline || signal?.aborted) return { ...total, waiting: { rows, dueAt: nextAt } };
      await sleep(Math.max(0, nextAt.getTime() - Date.now()), signal).catch(() => undefined);
    }
  }

  /**
   * Writes rows a sync run has just committed, without scanning for due rows: `claimIds` are taken by
   * id (rows someone else took meanwhile are left to them), `claimed` were inserted in_flight by the
   * caller. Compared with the values the run read from the vendor.
   */
  async writeRows(ready: { claimIds: string[]; claimed: OutboxRow[]; current: CurrentValues }): Promise<DrainResult> {
    const rows = [...(await claimByIds(this.deps.dataSource, ready.claimIds)), ...ready.claimed];
    return rows.length ? this.writeClaimed(rows, ready.current) : emptyResult();
  }

  /**
   * Gives back rows a sync run took but will not write (its write queue stopped on an error): due
   * again at once, without counting the attempt, instead of waiting out the in_flight lease.
   */
  async release(ready: { claimed: OutboxRow[] }): Promise<void> {
    await releaseClaimed(
      this.deps.dataSource,
      ready.claimed.map((r) => r.id),
    );
  }

  private async writeClaimed(claimed: OutboxRow[], known?: CurrentValues): Promise<DrainResult> {
    const { dataSource, connector, ctx, stream } = this.deps;
    const result = emptyResult();

    // Newest intent per record wins (rows are claimed oldest first); older ones are superseded, never written.
    const latest = new Map<string, OutboxRow>();
    const superseded: string[] = [];
    for (const row of claimed) {
      const previous = latest.get(row.externalId);
      if (previous) superseded.push(previous.id);
      latest.set(row.externalId, row);
    }
    await markSuperseded(dataSource, superseded);
    const rows = [...latest.values()];

    // What the vendor holds: what the caller just read, else our last synced copy, or a fresh read
    // for rows a crashed worker left behind (their write may have landed).
    const current = new Map<string, Record<string, unknown>>();
    const reclaimed = new Set(rows.filter((r) => r.attempts > 1).map((r) => r.externalId));
    const unknown = rows.map((r) => r.externalId).filter((id) => !reclaimed.has(id) && !known?.has(id));
    for (const row of rows)
      if (known?.has(row.externalId) && !reclaimed.has(row.externalId)) current.set(row.externalId, known.get(row.externalId)!);
    if (unknown.length) {
      const stored = await queryRows<{ external_id: string; data: Record<string, unknown> }>(
        dataSource,
        `SELECT external_id, data FROM synced_record WHERE connection_id = $1 AND object = $2 AND external_id = ANY($3::text[])`,
        [ctx.connectionId, stream.vendorObject, unknown],
      );
      for (const rec of stored) current.set(rec.external_id, rec.data);
    }
    if (reclaimed.size) {
      for (const fresh of await connector.fetchByIds(ctx, stream.name, [...reclaimed])) current.set(fresh.externalId, fresh.fields);
    }
    // Only the fields whose value the vendor does not hold yet are sent; a row with none left is done.
    const alreadyThere: string[] = [];
    const ops: WriteOp[] = [];
    const rowOf = new Map<string, OutboxRow>();
    for (const row of rows) {
      const held = current.get(row.externalId);
      const changed = Object.entries(row.fields).filter(([field, value]) => !sameValue(held?.[field], value));
      result.skippedUnchanged += Object.keys(row.fields).length - changed.length;
      if (changed.length === 0) {
        alreadyThere.push(row.id);
        continue;
      }
      rowOf.set(row.externalId, row);
      ops.push({
        opId: row.externalId,
        externalId: row.externalId,
        fields: Object.fromEntries(changed) as Record<string, string | number | boolean | null>,
      });
    }
    await markWrittenRows(dataSource, alreadyThere);

    for (const batch of chunk(ops, stream.writeBatchMax)) {
      result.batches += 1;
      const batchRows = batch.map((op) => rowOf.get(op.externalId)!);
      let outcomes;
      try {
        outcomes = await connector.writeBatch(ctx, { stream: stream.name, ops: batch });
      } catch (error) {
        // The whole batch failed (rate limit, outage, auth): nothing was written; try again later.
        const retryAfterMs = isConnectorException(error) ? error.retryAfterMs : undefined;
        await this.retryLater(
          batchRows,
          { message: (error as Error).message, code: isConnectorException(error) ? error.code : 'UNKNOWN' },
          retryAfterMs,
        );
        result.retried += fieldCount(batch);
        if (isConnectorException(error) && (error.code === 'AUTH_EXPIRED' || error.code === 'RATE_LIMITED')) throw error;
        continue;
      }
      const byOp = new Map(outcomes.map((o) => [o.opId, o]));
      const written: string[] = [];
      for (const op of batch) {
        const row = rowOf.get(op.externalId)!;
        const outcome = byOp.get(op.opId);
        if (outcome?.status === 'written') {
          written.push(row.id);
          result.written += Object.keys(op.fields).length;
        } else if (outcome?.error?.retryable) {
          await this.retryLater([row], { message: outcome.error.message, code: outcome.error.code, vendorCode: outcome.error.vendorCode });
          result.retried += Object.keys(op.fields).length;
        } else {
          const error = outcome?.error ?? {
            code: 'UNKNOWN',
            message: 'the vendor returned no result for this record',
            vendorCode: undefined,
          };
          await markDead(dataSource, [row.id], error);
          result.deadLettered += Object.keys(op.fields).length;
        }
      }
      await this.markWritten(written);
    }
    return result;
  }

  /**
   * One statement per vendor batch, not per record: with fsync on, a commit per record was most of a
   * sync's time (100 commits per HubSpot batch). A crash before it commits leaves the rows in_flight,
   * and the lease reclaim re-reads the vendor before writing again.
   *
   * The written values are not merged into synced_record.data: every new intent for a record is made
   * right after reading the record from the vendor (a sync page or a webhook's fetch), and is compared
   * with what that read returned, so the merge (a rewrite of the whole record row, a quarter of
   * PostgreSQL's time in the pipeline benchmark) bought nothing. The same intent twice is stopped by
   * its idempotency key.
   */
  private async markWritten(ids: string[]): Promise<void> {
    await markWrittenRows(this.deps.dataSource, ids);
  }

  private async retryLater(
    rows: OutboxRow[],
    error: { message: string; code: string; vendorCode?: string },
    retryAfterMs?: number,
  ): Promise<void> {
    const { dataSource } = this.deps;
    // One delay and one instant for the whole failed batch: jitter drawn per row would make a
    // record's fields come due at different times, and the record would then be written field by
    // field in several calls.
    const delay = backoffDelayMs(Math.max(...rows.map((r) => r.attempts)), { baseMs: 2000, maxMs: 300_000, retryAfterMs });
    const nextAttemptAt = new Date(Date.now() + delay);
    const exhausted = rows.filter((r) => r.attempts >= OUTBOX_MAX_ATTEMPTS);
    if (exhausted.length)
      await markDead(
        dataSource,
        exhausted.map((r) => r.id),
        { ...error, message: `${error.message} (gave up after ${Math.max(...exhausted.map((r) => r.attempts))} attempts)` },
      );
    await markRetry(
      dataSource,
      rows.filter((r) => r.attempts < OUTBOX_MAX_ATTEMPTS).map((r) => r.id),
      nextAttemptAt,
      error,
    );
  }
}

/** Counts are in fields (what a CRM user sees change), whatever the number of rows. */
function fieldCount(ops: WriteOp[]): number {
  return ops.reduce((n, op) => n + Object.keys(op.fields).length, 0);
}

function addInto(total: DrainResult, part: DrainResult): void {
  for (const key of Object.keys(total) as Array<keyof DrainResult>) total[key] += part[key];
}

/** Vendors hand numbers back as strings (HubSpot) and picklists as labels: compare loosely. */
function sameValue(current: unknown, intended: unknown): boolean {
  if (current === undefined || current === null || current === '') return intended === null || intended === '';
  if (typeof intended === 'number') return Number(current) === intended;
  return String(current) === String(intended);
}
