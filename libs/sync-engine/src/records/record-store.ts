/**
 * The synced-record table on the hot path of every sync page, in plain SQL.
 *
 * Why not TypeORM's query builder here: a page of 500 records is thousands of bind parameters, and
 * the builder's parameter bookkeeping is quadratic in them (it was a third of the worker's CPU in the
 * pipeline benchmark). One jsonb parameter expanded by jsonb_to_recordset costs PostgreSQL the same
 * and the worker almost nothing.
 */
import type { SyncedRecord } from '@fieldcast/connector-sdk';
import { queryRows, type Queryable } from '../sql/query-rows';

export interface RecordScope {
  connectionId: string;
  stream: string;
  object: string;
}

/** Content hashes of the records Fieldcast already holds, by external id (no record data is read). */
export async function knownContentHashes(db: Queryable, scope: RecordScope, externalIds: string[]): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await queryRows<{ external_id: string; content_hash: string }>(
    db,
    `SELECT external_id, content_hash FROM synced_record
     WHERE connection_id = $1 AND object = $2 AND external_id = ANY($3::text[])`,
    [scope.connectionId, scope.object, externalIds],
  );
  return new Map(rows.map((r) => [r.external_id, r.content_hash]));
}

/**
 * Inserts or refreshes the page's records. A row whose data, modstamp and deletion flag are all
 * unchanged is left alone (no dead tuple for PostgreSQL to clean up on every incremental sync).
 */
export async function upsertRecords(
  db: Queryable,
  scope: RecordScope,
  records: SyncedRecord[],
  hashes: Map<string, string>,
): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((r) => ({
    external_id: r.externalId,
    data: r.fields,
    vendor_modstamp: new Date(r.modstamp).toISOString(),
    last_modified_by: r.lastModifiedBy ?? null,
    content_hash: hashes.get(r.externalId)!,
  }));
  await db.query(
    `INSERT INTO synced_record AS s (connection_id, stream, object, external_id, data, vendor_modstamp, last_modified_by, content_hash, is_deleted, deleted_at)
     SELECT $1, $2, $3, r.external_id, r.data, r.vendor_modstamp, r.last_modified_by, r.content_hash, false, NULL
     FROM jsonb_to_recordset($4::jsonb)
       AS r(external_id text, data jsonb, vendor_modstamp timestamptz, last_modified_by text, content_hash text)
     ON CONFLICT (connection_id, object, external_id) DO UPDATE SET
       data = EXCLUDED.data, vendor_modstamp = EXCLUDED.vendor_modstamp, last_modified_by = EXCLUDED.last_modified_by,
       content_hash = EXCLUDED.content_hash, is_deleted = false, deleted_at = NULL, updated_at = now()
     WHERE (s.data, s.vendor_modstamp, s.is_deleted) IS DISTINCT FROM (EXCLUDED.data, EXCLUDED.vendor_modstamp, false)`,
    [scope.connectionId, scope.stream, scope.object, JSON.stringify(rows)],
  );
}

/** Marks records the vendor reports deleted; returns how many were not deleted before. */
export async function markDeleted(db: Queryable, scope: RecordScope, externalIds: string[]): Promise<number> {
  if (externalIds.length === 0) return 0;
  const rows = await queryRows<unknown>(
    db,
    `UPDATE synced_record SET is_deleted = true, deleted_at = now(), updated_at = now()
     WHERE connection_id = $1 AND object = $2 AND external_id = ANY($3::text[]) AND is_deleted = false
     RETURNING 1`,
    [scope.connectionId, scope.object, externalIds],
  );
  return rows.length;
}
