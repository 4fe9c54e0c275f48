/**
 * The write-back outbox holds one row per record write (a `fields` map) instead of one row per field:
 * a record's fields go to the vendor in one call anyway, and four rows per record were most of
 * PostgreSQL's work in a sync (insert, claim and mark-written of each).
 *
 * Existing rows become one-field maps with their key, status and history unchanged, so pending writes,
 * dead letters and written history survive as they were. Down splits every map back into one row per
 * field (the first field keeps the row's id and key; the others get `|field` appended to the key).
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxRowPerRecord1795912000000 implements MigrationInterface {
  name = 'OutboxRowPerRecord1795912000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "writeback_outbox" ADD "fields" jsonb`);
    await queryRunner.query(`UPDATE "writeback_outbox" SET "fields" = jsonb_build_object("field", "value")`);
    await queryRunner.query(`ALTER TABLE "writeback_outbox" ALTER COLUMN "fields" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."ix_outbox_record"`);
    await queryRunner.query(`ALTER TABLE "writeback_outbox" DROP COLUMN "field", DROP COLUMN "value"`);
    await queryRunner.query(`CREATE INDEX "ix_outbox_record" ON "writeback_outbox" ("connection_id", "object", "external_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "writeback_outbox" ADD "field" text, ADD "value" jsonb`);
    // Every field after the first becomes a row of its own.
    await queryRunner.query(`
      INSERT INTO "writeback_outbox" (idempotency_key, connection_id, stream, object, external_id, field, value, fields, model_version,
        prediction_id, status, attempts, next_attempt_at, error_code, vendor_error_code, last_error, written_at, created_at, updated_at)
      SELECT o.idempotency_key || '|' || f.key, o.connection_id, o.stream, o.object, o.external_id, f.key, f.value, o.fields, o.model_version,
        o.prediction_id, o.status, o.attempts, o.next_attempt_at, o.error_code, o.vendor_error_code, o.last_error, o.written_at, o.created_at, o.updated_at
      FROM "writeback_outbox" o
      CROSS JOIN LATERAL (SELECT key, value FROM jsonb_each(o.fields) ORDER BY key OFFSET 1) f
      WHERE o.field IS NULL`);
    await queryRunner.query(`
      UPDATE "writeback_outbox" o
      SET field = (SELECT key FROM jsonb_each(o.fields) ORDER BY key LIMIT 1),
          value = (SELECT value FROM jsonb_each(o.fields) ORDER BY key LIMIT 1)
      WHERE o.field IS NULL`);
    await queryRunner.query(`ALTER TABLE "writeback_outbox" ALTER COLUMN "field" SET NOT NULL, ALTER COLUMN "value" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."ix_outbox_record"`);
    await queryRunner.query(`ALTER TABLE "writeback_outbox" DROP COLUMN "fields"`);
    await queryRunner.query(`CREATE INDEX "ix_outbox_record" ON "writeback_outbox" ("connection_id", "object", "external_id", "field")`);
  }
}
