/**
 * The Salesforce outbound-message URL secret moves from the clear-text column
 * connection.webhook_path_secret into the connection's AES-256-GCM secrets envelope
 * (secrets_ciphertext, field `webhookSigningSecret`, where HubSpot and Zendesk keep their webhook
 * secrets), and the column is dropped: a database dump no longer holds a working webhook URL.
 *
 * Existing URLs keep working: the same secret is moved, not replaced. A row without an envelope (no
 * credentials stored yet) loses its URL secret; connecting it generates a new one, shown to admins.
 * A row whose envelope this key cannot open stops the migration (nothing is changed) rather than
 * dropping a secret that is still registered in Salesforce.
 *
 * The envelope format and its associated data (`connection:<id>`) are those of the sync engine's
 * encryptSecrets/decryptSecrets, written out here because a migration must not change when that code does.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSecrets } from '../libs/database/src/migration-secrets';

interface StoredSecretsV1 {
  credentials?: unknown;
  webhookSigningSecret?: string;
  [key: string]: unknown;
}

const aad = (id: string) => `connection:${id}`;

export class WebhookPathSecretEncrypted1795844021414 implements MigrationInterface {
  name = 'WebhookPathSecretEncrypted1795844021414';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT id::text AS id, name, secrets_ciphertext, webhook_path_secret FROM connection
        WHERE webhook_path_secret IS NOT NULL AND secrets_ciphertext IS NOT NULL ORDER BY id FOR UPDATE`,
    )) as Array<{ id: string; name: string; secrets_ciphertext: string; webhook_path_secret: string }>;
    if (rows.length) {
      const box = migrationSecrets(
        queryRunner.connection,
        this.name,
        `moves ${rows.length} Salesforce webhook URL secret(s) into the encrypted secrets`,
      );
      const unreadable: string[] = [];
      const unreadableIds: string[] = [];
      const updates: Array<[string, string]> = [];
      for (const row of rows) {
        let stored: StoredSecretsV1;
        try {
          stored = box.decryptJson<StoredSecretsV1>(row.secrets_ciphertext, aad(row.id));
        } catch (error) {
          unreadable.push(`${row.name} (${row.id}): ${(error as Error).message}`);
          unreadableIds.push(row.id);
          continue;
        }
        // The URL registered in Salesforce is the one that must keep working.
        updates.push([row.id, box.encryptJson({ ...stored, webhookSigningSecret: row.webhook_path_secret }, aad(row.id))]);
      }
      if (unreadable.length)
        throw new Error(
          `Migration ${this.name} changed nothing: the secrets of ${unreadable.length} connection(s) cannot be decrypted with the configured key:\n` +
            `${unreadable.map((u) => `  - ${u}`).join('\n')}\n` +
            'Set the key they were encrypted with (FIELDCAST_SECRET_KEY, or FIELDCAST_SECRET_KEY_PREVIOUS during a rotation) and start again. ' +
            'If that key is lost for good, those connections cannot work anyway: clear their secrets with ' +
            `UPDATE connection SET secrets_ciphertext = NULL WHERE id IN (${unreadableIds.map((id) => `'${id}'`).join(', ')}); ` +
            'and re-authenticate them after the upgrade.',
        );
      // updated_at moves so every process's webhook connection cache reloads the row.
      for (const [id, envelope] of updates)
        await queryRunner.query(`UPDATE connection SET secrets_ciphertext = $2, updated_at = now() WHERE id = $1`, [id, envelope]);
    }
    await queryRunner.query(`ALTER TABLE "connection" DROP COLUMN "webhook_path_secret"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "connection" ADD "webhook_path_secret" text`);
    const rows = (await queryRunner.query(
      `SELECT id::text AS id, secrets_ciphertext FROM connection WHERE vendor = 'salesforce' AND secrets_ciphertext IS NOT NULL ORDER BY id`,
    )) as Array<{ id: string; secrets_ciphertext: string }>;
    if (!rows.length) return;
    const box = migrationSecrets(
      queryRunner.connection,
      this.name,
      `puts ${rows.length} Salesforce webhook URL secret(s) back in clear text (revert)`,
    );
    for (const row of rows) {
      // The older code reads the URL secret from the column only; the envelope may keep its copy.
      const stored = box.decryptJson<StoredSecretsV1>(row.secrets_ciphertext, aad(row.id));
      if (stored.webhookSigningSecret)
        await queryRunner.query(`UPDATE connection SET webhook_path_secret = $2, updated_at = now() WHERE id = $1`, [
          row.id,
          stored.webhookSigningSecret,
        ]);
    }
  }
}
