/**
 * Re-encrypts every secret at rest under one key, in ONE transaction: all rows are locked
 * (SELECT … FOR UPDATE, so a worker refreshing an OAuth token waits and then writes on top), each
 * value is decrypted with the configured keys, encrypted under the target key and checked to decrypt
 * with the target key alone, and the batch is written only if every row passed. Rows already under
 * the target key are verified and skipped, so a second run (or a run after a crash) changes nothing.
 * Plaintext exists only in memory here; nothing is logged or returned but counts and key ids.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import { AuditLogEntity, type ConnectionEntity } from '@fieldcast/database';
import { decryptSecrets, encryptSecrets, type StoredSecrets } from '@fieldcast/sync-engine';

/** One column that holds SecretBox envelopes, and how its rows bind their associated data. */
export interface EncryptedColumn {
  table: string;
  column: string;
  /** What the column holds, for the operator. */
  holds: string;
  decrypt(box: SecretBox, id: string, envelope: string): string;
  encrypt(box: SecretBox, id: string, plaintext: string): string;
}

/**
 * Every encrypted column in the database. The OAuth `state` is sealed with the same key but lives
 * only in the vendor's redirect (10 minutes), never in a table; a flow in progress during a
 * restart with a new key has to be started again.
 */
export const ENCRYPTED_COLUMNS: EncryptedColumn[] = [
  {
    table: 'connection',
    column: 'secrets_ciphertext',
    holds:
      'vendor credentials (OAuth tokens, client secrets, API tokens) and webhook secrets (HubSpot / Zendesk signing secrets, the Salesforce outbound-message URL secret)',
    // Through the sync engine's own functions, so the associated data can never drift from the writer's.
    decrypt: (box, id, envelope) => JSON.stringify(decryptSecrets(box, { id, name: id, secretsCiphertext: envelope } as ConnectionEntity)),
    encrypt: (box, id, plaintext) => encryptSecrets(box, id, JSON.parse(plaintext) as StoredSecrets),
  },
];

export interface ColumnReport {
  table: string;
  column: string;
  /** Rows with a value. */
  rows: number;
  /** Rows already under the target key (verified, left alone). */
  alreadyUnderNewKey: number;
  /** Rows re-encrypted (or, in a dry run, that would be). */
  reencrypted: number;
  /** How many rows each key id had before. */
  byKeyId: Record<string, number>;
}

export interface RotationReport {
  dryRun: boolean;
  toKeyId: string;
  tables: ColumnReport[];
}

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

interface Row {
  id: string;
  envelope: string;
}

export async function rotateSecrets(
  dataSource: DataSource,
  options: {
    /** Every key that may have encrypted a stored value (current, previous, the target). */
    from: SecretBox;
    /** The target key alone: it encrypts, and the check decrypts with nothing else. */
    to: SecretBox;
    dryRun: boolean;
    columns?: EncryptedColumn[];
    /** Written to the audit log in the same transaction (no secrets: key ids and counts). */
    audit?: { actorLabel: string; details: Record<string, unknown> };
  },
): Promise<RotationReport> {
  const columns = options.columns ?? ENCRYPTED_COLUMNS;
  const toKeyId = options.to.currentKeyId;
  return dataSource.transaction(async (manager) => {
    // Waiting behind a long transaction is better than failing at once, but not forever.
    await manager.query(`SET LOCAL lock_timeout = '15s'`);
    const tables: ColumnReport[] = [];
    const problems: string[] = [];
    const writes: Array<{ column: EncryptedColumn; ids: string[]; values: string[] }> = [];
    for (const column of columns) {
      const rows = await lockRows(manager, column, options.dryRun);
      const report: ColumnReport = {
        table: column.table,
        column: column.column,
        rows: rows.length,
        alreadyUnderNewKey: 0,
        reencrypted: 0,
        byKeyId: {},
      };
      const ids: string[] = [];
      const values: string[] = [];
      for (const row of rows) {
        const keyId = SecretBox.envelopeKeyId(row.envelope) ?? '(not an envelope)';
        report.byKeyId[keyId] = (report.byKeyId[keyId] ?? 0) + 1;
        const where = `${column.table} ${row.id}`;
        if (keyId === toKeyId) {
          // Skipped, but only after proving the new key alone reads it (a tampered row must not pass).
          if (!decrypts(options.to, column, row.id, row.envelope))
            problems.push(`${where}: names the new key ${toKeyId} but does not decrypt with it`);
          report.alreadyUnderNewKey += 1;
          continue;
        }
        let plaintext: string;
        try {
          plaintext = column.decrypt(options.from, row.id, row.envelope);
        } catch (error) {
          problems.push(`${where} (key ${keyId}): ${(error as Error).message}`);
          continue;
        }
        const next = column.encrypt(options.to, row.id, plaintext);
        if (!decrypts(options.to, column, row.id, next, plaintext)) {
          problems.push(`${where}: the re-encrypted value did not decrypt back to the same secret`);
          continue;
        }
        ids.push(row.id);
        values.push(next);
        report.reencrypted += 1;
      }
      tables.push(report);
      writes.push({ column, ids, values });
    }
    if (problems.length) {
      throw new RotationError(
        `Nothing was changed: ${problems.length} secret(s) cannot be rotated:\n${problems
          .slice(0, 20)
          .map((p) => `  - ${p}`)
          .join('\n')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}\n` +
          'If a key id above is an older key, pass it in FIELDCAST_SECRET_KEY_PREVIOUS (comma-separated) and run again.',
      );
    }
    if (!options.dryRun) {
      for (const { column, ids, values } of writes) {
        if (ids.length === 0) continue;
        // One statement per column; the rows are locked, so nothing can change them in between.
        await manager.query(
          `UPDATE "${column.table}" AS t SET "${column.column}" = u.value
             FROM unnest($1::uuid[], $2::text[]) AS u(id, value) WHERE t.id = u.id`,
          [ids, values],
        );
      }
      if (options.audit) {
        await manager.getRepository(AuditLogEntity).insert({
          actorType: 'cli',
          actorLabel: options.audit.actorLabel,
          action: 'secrets.rotate',
          targetType: 'secret_key',
          targetId: toKeyId,
          details: { ...options.audit.details, tables: tables.map(({ byKeyId: _byKeyId, ...rest }) => rest) },
        });
      }
    }
    return { dryRun: options.dryRun, toKeyId, tables };
  });
}

async function lockRows(manager: EntityManager, column: EncryptedColumn, dryRun: boolean): Promise<Row[]> {
  return (await manager.query(
    `SELECT id::text AS id, "${column.column}" AS envelope FROM "${column.table}"
      WHERE "${column.column}" IS NOT NULL ORDER BY id${dryRun ? '' : ' FOR UPDATE'}`,
  )) as Row[];
}

function decrypts(box: SecretBox, column: EncryptedColumn, id: string, envelope: string, expected?: string): boolean {
  try {
    const plaintext = column.decrypt(box, id, envelope);
    return expected === undefined || plaintext === expected;
  } catch {
    return false;
  }
}
