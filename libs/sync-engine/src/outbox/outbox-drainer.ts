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
import { In } from 'typeorm';
import { backoffDelayMs, chunk } from '@fieldcast/common';
import { isConnectorException, type Connector, type ConnectorContext, type StreamDescriptor, type WriteOp } from '@fieldcast/connector-sdk';
import { SyncedRecordEntity, WritebackOutboxEntity } from '@fieldcast/database';

export const OUTBOX_LEASE_SECONDS = 300;
export const OUTBOX_MAX_ATTEMPTS = 6;

export interface DrainResult {
  written: number;
  skippedUnchanged: number;
  retried: number;
  deadLettered: number;
  batches: number;
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

  /**
   * `fullBatchesOnly`: during a sync, write only while a full vendor batch is waiting, so pages do
   * not produce half-empty calls; the end of the run drains the rest.
   */
  async drain(options: { maxRounds?: number; fullBatchesOnly?: boolean } = {}): Promise<DrainResult> {
    const total: DrainResult = { written: 0, skippedUnchanged: 0, retried: 0, deadLettered: 0, batches: 0 };
    for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
      if (options.fullBatchesOnly && (await this.pendingRecords()) < this.deps.stream.writeBatchMax) break;
      const claimed = await this.claim();
      if (claimed.length === 0) break;
      const result = await this.writeClaimed(claimed);
      for (const key of Object.keys(total) as Array<keyof DrainResult>) total[key] += result[key];
    }
    return total;
  }

  private async pendingRecords(): Promise<number> {
    const [row] = await this.deps.dataSource.query(
      `SELECT count(DISTINCT external_id)::int AS n FROM writeback_outbox WHERE connection_id = $1 AND stream = $2 AND status = 'pending' AND next_attempt_at <= now()`,
      [this.deps.ctx.connectionId, this.deps.stream.name],
    );
    return (row as { n: number }).n;
  }

  private async claim(): Promise<WritebackOutboxEntity[]> {
    const { dataSource, ctx, stream } = this.deps;
    // Claim whole records (all their pending fields), up to five vendor batches per round, so batches
    // are full: 300 records with 4 fields each are 3 HubSpot calls, not 4.
    const records = stream.writeBatchMax * 5;
    const due = `connection_id = $1 AND stream = $2
           AND ((status = 'pending' AND next_attempt_at <= now())
             OR (status = 'in_flight' AND updated_at < now() - make_interval(secs => $3)))`;
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      `UPDATE writeback_outbox SET status = 'in_flight', attempts = attempts + 1, updated_at = now()
       WHERE id IN (
         SELECT id FROM writeback_outbox
         WHERE ${due}
           AND external_id IN (SELECT external_id FROM writeback_outbox WHERE ${due} GROUP BY external_id ORDER BY min(created_at) LIMIT $4)
         FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [ctx.connectionId, stream.name, this.deps.leaseSeconds ?? OUTBOX_LEASE_SECONDS, records],
    );
    const ids = (rows[0] && Array.isArray(rows[0]) ? (rows[0] as Array<{ id: string }>) : (rows as Array<{ id: string }>)).map((r) => r.id);
    if (ids.length === 0) return [];
    return dataSource.getRepository(WritebackOutboxEntity).find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } });
  }

  private async writeClaimed(claimed: WritebackOutboxEntity[]): Promise<DrainResult> {
    const { dataSource, connector, ctx, stream } = this.deps;
    const outbox = dataSource.getRepository(WritebackOutboxEntity);
    const result: DrainResult = { written: 0, skippedUnchanged: 0, retried: 0, deadLettered: 0, batches: 0 };

    // Newest intent per (record, field) wins; older ones are superseded, never written.
    const latest = new Map<string, WritebackOutboxEntity>();
    const superseded: string[] = [];
    for (const row of claimed) {
      const key = `${row.externalId}\u0000${row.field}`;
      const previous = latest.get(key);
      if (previous) superseded.push(previous.id);
      latest.set(key, row);
    }
    if (superseded.length) await outbox.update({ id: In(superseded) }, { status: 'superseded' });
    const rows = [...latest.values()];

    // What the vendor holds: our last synced copy, or a fresh read for rows a crashed worker left behind.
    const externalIds = [...new Set(rows.map((r) => r.externalId))];
    const current = new Map<string, Record<string, unknown>>();
    for (const rec of await dataSource
      .getRepository(SyncedRecordEntity)
      .find({ where: { connectionId: ctx.connectionId, object: stream.vendorObject, externalId: In(externalIds) } })) {
      current.set(rec.externalId, rec.data);
    }
    const reclaimed = [...new Set(rows.filter((r) => r.attempts > 1).map((r) => r.externalId))];
    if (reclaimed.length) {
      for (const fresh of await connector.fetchByIds(ctx, stream.name, reclaimed)) current.set(fresh.externalId, fresh.fields);
    }
    const toWrite: WritebackOutboxEntity[] = [];
    const alreadyThere: string[] = [];
    for (const row of rows) {
      if (sameValue(current.get(row.externalId)?.[row.field], row.value)) alreadyThere.push(row.id);
      else toWrite.push(row);
    }
    if (alreadyThere.length) {
      await outbox.update({ id: In(alreadyThere) }, { status: 'written', writtenAt: new Date(), lastError: null });
      result.skippedUnchanged += alreadyThere.length;
    }

    const byRecord = new Map<string, WritebackOutboxEntity[]>();
    for (const row of toWrite) byRecord.set(row.externalId, [...(byRecord.get(row.externalId) ?? []), row]);
    const ops: WriteOp[] = [...byRecord.entries()].map(([externalId, recordRows]) => ({
      opId: externalId,
      externalId,
      fields: Object.fromEntries(recordRows.map((r) => [r.field, r.value as string | number | boolean | null])),
    }));
    for (const batch of chunk(ops, stream.writeBatchMax)) {
      result.batches += 1;
      const batchRows = batch.flatMap((op) => byRecord.get(op.externalId)!);
      let outcomes;
      try {
        outcomes = await connector.writeBatch(ctx, { stream: stream.name, ops: batch });
      } catch (error) {
        // The whole batch failed (rate limit, outage, auth): nothing was written; try again later.
        const retryAfterMs = isConnectorException(error) ? error.retryAfterMs : undefined;
        await this.retryLater(
          batchRows,
          (error as Error).message,
          isConnectorException(error) ? error.code : 'UNKNOWN',
          undefined,
          retryAfterMs,
        );
        result.retried += batchRows.length;
        if (isConnectorException(error) && (error.code === 'AUTH_EXPIRED' || error.code === 'RATE_LIMITED')) throw error;
        continue;
      }
      const byOp = new Map(outcomes.map((o) => [o.opId, o]));
      const written: WriteOp[] = [];
      for (const op of batch) {
        const opRows = byRecord.get(op.externalId)!;
        const outcome = byOp.get(op.opId);
        if (outcome?.status === 'written') {
          written.push(op);
          result.written += opRows.length;
        } else if (outcome?.error?.retryable) {
          await this.retryLater(opRows, outcome.error.message, outcome.error.code, outcome.error.vendorCode);
          result.retried += opRows.length;
        } else {
          const error = outcome?.error ?? {
            code: 'UNKNOWN',
            message: 'the vendor returned no result for this record',
            vendorCode: undefined,
          };
          await outbox.update(
            { id: In(opRows.map((r) => r.id)) },
            { status: 'dead', errorCode: error.code, vendorErrorCode: error.vendorCode ?? null, lastError: error.message },
          );
          result.deadLettered += opRows.length;
        }
      }
      if (written.length) await this.markWritten(written, byRecord);
    }
    return result;
  }

  /**
   * One transaction per vendor batch, not per record: with fsync on, a commit per record was most of
   * a sync's time (100 commits per HubSpot batch). A crash before it commits leaves the rows
   * in_flight, and the lease reclaim re-reads the vendor before writing again.
   */
  private async markWritten(ops: WriteOp[], byRecord: Map<string, WritebackOutboxEntity[]>): Promise<void> {
    const { dataSource, ctx, stream } = this.deps;
    const ids = ops.flatMap((op) => byRecord.get(op.externalId)!.map((r) => r.id));
    await dataSource.transaction(async (tx) => {
      await tx
        .getRepository(WritebackOutboxEntity)
        .update({ id: In(ids) }, { status: 'written', writtenAt: new Date(), lastError: null, errorCode: null });
      // Remember what the vendor now holds, so the same value is never written twice.
      await tx.query(
        `UPDATE synced_record s SET data = s.data || v.fields
         FROM jsonb_to_recordset($1::jsonb) AS v(external_id text, fields jsonb)
         WHERE s.connection_id = $2 AND s.object = $3 AND s.external_id = v.external_id`,
        [JSON.stringify(ops.map((op) => ({ external_id: op.externalId, fields: op.fields }))), ctx.connectionId, stream.vendorObject],
      );
    });
  }

  private async retryLater(
    rows: WritebackOutboxEntity[],
    message: string,
    code: string,
    vendorCode?: string,
    retryAfterMs?: number,
  ): Promise<void> {
    const outbox = this.deps.dataSource.getRepository(WritebackOutboxEntity);
    // One delay for the whole failed batch: jitter drawn per row would make a record's fields come due
    // at different times, and the record would then be written field by field in several calls.
    const delay = backoffDelayMs(Math.max(...rows.map((r) => r.attempts)), { baseMs: 2000, maxMs: 300_000, retryAfterMs });
    // One instant too: rows are updated one by one, and a Date.now() per row let a claim that ran
    // between two of them take part of a record.
    const nextAttemptAt = new Date(Date.now() + delay);
    for (const row of rows) {
      if (row.attempts >= OUTBOX_MAX_ATTEMPTS) {
        await outbox.update(
          { id: row.id },
          {
            status: 'dead',
            errorCode: code,
            vendorErrorCode: vendorCode ?? null,
            lastError: `${message} (gave up after ${row.attempts} attempts)`,
          },
        );
        continue;
      }
      await outbox.update(
        { id: row.id },
        {
          status: 'pending',
          nextAttemptAt,
          errorCode: code,
          vendorErrorCode: vendorCode ?? null,
          lastError: message,
        },
      );
    }
  }
}

/** Vendors hand numbers back as strings (HubSpot) and picklists as labels: compare loosely. */
function sameValue(current: unknown, intended: unknown): boolean {
  if (current === undefined || current === null || current === '') return intended === null || intended === '';
  if (typeof intended === 'number') return Number(current) === intended;
  return String(current) === String(intended);
}
