/**
 * The write-back outbox in plain SQL: the statements every sync page and every vendor batch runs.
 * One jsonb or array parameter per statement, whatever the number of rows (see records/record-store.ts
 * for why not the query builder).
 */
import { queryRows, type Queryable } from '../sql/query-rows';

/** One intended write of one record (every field it gets), as the page transaction records it. */
export interface OutboxIntent {
  idempotencyKey: string;
  externalId: string;
  /** Vendor field name → value. */
  fields: Record<string, unknown>;
  modelVersion: string;
  predictionId: string | null;
  /** in_flight: the caller writes it right after the commit (see runner/write-batcher.ts). */
  status: 'pending' | 'in_flight' | 'shadow';
}

/** The columns the drainer needs of a claimed row. */
export interface OutboxRow {
  id: string;
  externalId: string;
  fields: Record<string, unknown>;
  attempts: number;
  status: string;
  createdAt: Date;
}

interface RawOutboxRow {
  id: string;
  external_id: string;
  fields: Record<string, unknown>;
  attempts: number;
  status: string;
  created_at: Date;
}

const RETURNED = 'id, external_id, fields, attempts, status, created_at';

function toRow(r: RawOutboxRow): OutboxRow {
  return {
    id: r.id,
    externalId: r.external_id,
    fields: r.fields,
    attempts: r.attempts,
    status: r.status,
    createdAt: r.created_at,
  };
}

export interface OutboxScope {
  connectionId: string;
  stream: string;
  object: string;
}

/**
 * Records intended writes in the caller's transaction and returns the rows that are new (a replayed
 * page's keys already exist and insert nothing). A newer pending intent for a record supersedes an
 * older pending one with other values, so a retried old value can never land after the new one.
 */
export async function insertIntents(
  db: Queryable,
  scope: OutboxScope,
  intents: OutboxIntent[],
  /** Records Fieldcast held before this page: only they can have older intents (saves a join for new records). */
  previouslyKnown: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): Promise<OutboxRow[]> {
  if (intents.length === 0) return [];
  const rows = JSON.stringify(
    intents.map((i) => ({
      idempotency_key: i.idempotencyKey,
      external_id: i.externalId,
      fields: i.fields,
      model_version: i.modelVersion,
      prediction_id: i.predictionId,
      status: i.status,
    })),
  );
  const pending = intents.filter((i) => i.status !== 'shadow' && previouslyKnown.has(i.externalId));
  if (pending.length) {
    await db.query(
      `UPDATE writeback_outbox o SET status = 'superseded', updated_at = now()
       FROM jsonb_to_recordset($3::jsonb) AS r(external_id text, idempotency_key text)
       WHERE o.connection_id = $1 AND o.object = $2 AND o.external_id = r.external_id
         AND o.status = 'pending' AND o.idempotency_key <> r.idempotency_key`,
      [
        scope.connectionId,
        scope.object,
        JSON.stringify(pending.map((i) => ({ external_id: i.externalId, idempotency_key: i.idempotencyKey }))),
      ],
    );
  }
  const inserted = await queryRows<RawOutboxRow>(
    db,
    `INSERT INTO writeback_outbox (idempotency_key, connection_id, stream, object, external_id, fields, model_version, prediction_id, status, attempts)
     SELECT r.idempotency_key, $1, $2, $3, r.external_id, r.fields, r.model_version, r.prediction_id, r.status,
            CASE WHEN r.status = 'in_flight' THEN 1 ELSE 0 END
     FROM jsonb_to_recordset($4::jsonb)
       AS r(idempotency_key text, external_id text, fields jsonb, model_version text, prediction_id uuid, status text)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING ${RETURNED}`,
    [scope.connectionId, scope.stream, scope.object, rows],
  );
  return inserted.map(toRow);
}

/**
 * Takes specific rows for writing, by primary key: the rows a sync page just created. Rows another
 * worker took meanwhile, or that were superseded, are not returned. Oldest first.
 */
export async function claimByIds(db: Queryable, ids: string[]): Promise<OutboxRow[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<RawOutboxRow>(
    db,
    `UPDATE writeback_outbox SET status = 'in_flight', attempts = attempts + 1, updated_at = now()
     WHERE id = ANY($1::uuid[]) AND status = 'pending' AND next_attempt_at <= now()
     RETURNING ${RETURNED}`,
    [ids],
  );
  return rows.map(toRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * Takes due rows of whole records (every pending field of a record), oldest records first, up to
 * `maxRecords` records, plus rows whose in_flight lease has expired (a crashed worker's). SKIP LOCKED,
 * so several workers never take the same row.
 */
export async function claimDue(
  db: Queryable,
  scope: Omit<OutboxScope, 'object'>,
  leaseSeconds: number,
  maxRecords: number,
): Promise<OutboxRow[]> {
  const due = `connection_id = $1 AND stream = $2
         AND ((status = 'pending' AND next_attempt_at <= now())
           OR (status = 'in_flight' AND updated_at < now() - make_interval(secs => $3)))`;
  const rows = await queryRows<RawOutboxRow>(
    db,
    `UPDATE writeback_outbox SET status = 'in_flight', attempts = attempts + 1, updated_at = now()
     WHERE id IN (
       SELECT id FROM writeback_outbox
       WHERE ${due}
         AND external_id IN (SELECT external_id FROM writeback_outbox WHERE ${due} GROUP BY external_id ORDER BY min(created_at) LIMIT $4)
       FOR UPDATE SKIP LOCKED)
     RETURNING ${RETURNED}`,
    [scope.connectionId, scope.stream, leaseSeconds, maxRecords],
  );
  return rows.map(toRow).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** How many distinct records have a write due now (decides whether a full vendor batch is waiting). */
export async function dueRecordCount(db: Queryable, scope: Omit<OutboxScope, 'object'>): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    `SELECT count(DISTINCT external_id)::int AS n FROM writeback_outbox
     WHERE connection_id = $1 AND stream = $2 AND status = 'pending' AND next_attempt_at <= now()`,
    [scope.connectionId, scope.stream],
  );
  return row?.n ?? 0;
}

/** Back to pending and due now, the attempt not counted: rows taken but never sent. */
export async function releaseClaimed(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length)
    await db.query(
      `UPDATE writeback_outbox SET status = 'pending', attempts = greatest(attempts - 1, 0), next_attempt_at = now(), updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status = 'in_flight'`,
      [ids],
    );
}

/** The stream's pending writes: how many, and when the earliest comes due (null when none waits). */
export async function pendingWrites(db: Queryable, scope: Omit<OutboxScope, 'object'>): Promise<{ rows: number; nextAt: Date | null }> {
  const [row] = await queryRows<{ rows: number; next_at: Date | null }>(
    db,
    `SELECT count(*)::int AS rows, min(next_attempt_at) AS next_at FROM writeback_outbox
     WHERE connection_id = $1 AND stream = $2 AND status = 'pending'`,
    [scope.connectionId, scope.stream],
  );
  return { rows: row?.rows ?? 0, nextAt: row?.next_at ?? null };
}

export async function markSuperseded(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length) await db.query(`UPDATE writeback_outbox SET status = 'superseded', updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
}

/** Written (by us now, or found already in place at the vendor). */
export async function markWrittenRows(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length)
    await db.query(
      `UPDATE writeback_outbox SET status = 'written', written_at = now(), last_error = NULL, error_code = NULL, updated_at = now()
       WHERE id = ANY($1::uuid[])`,
      [ids],
    );
}

/** Dead letters: the vendor refused these records; an admin can replay them after fixing the cause. */
export async function markDead(
  db: Queryable,
  ids: string[],
  error: { code: string; vendorCode?: string | null; message: string },
): Promise<void> {
  if (ids.length)
    await db.query(
      `UPDATE writeback_outbox SET status = 'dead', error_code = $2, vendor_error_code = $3, last_error = $4, updated_at = now()
       WHERE id = ANY($1::uuid[])`,
      [ids, error.code, error.vendorCode ?? null, error.message],
    );
}

/** Back to pending, due at `nextAttemptAt` (one instant for a whole failed batch, so its records stay together). */
export async function markRetry(
  db: Queryable,
  ids: string[],
  nextAttemptAt: Date,
  error: { code: string; vendorCode?: string | null; message: string },
): Promise<void> {
  if (ids.length)
    await db.query(
      `UPDATE writeback_outbox SET status = 'pending', next_attempt_at = $2, error_code = $3, vendor_error_code = $4, last_error = $5, updated_at = now()
       WHERE id = ANY($1::uuid[])`,
      [ids, nextAttemptAt, error.code, error.vendorCode ?? null, error.message],
    );
}
