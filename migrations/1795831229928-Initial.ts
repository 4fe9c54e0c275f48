import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795831229928 implements MigrationInterface {
  name = 'Initial1795831229928';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "admin_session" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" text NOT NULL,
                "user_id" uuid NOT NULL,
                "csrf_token" text NOT NULL,
                "ip" text,
                "user_agent" text,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_031b46c28b79cc8e17984c9f1a2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_admin_session_token" ON "admin_session" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "admin_user" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "password_hash" text NOT NULL,
                "role" text NOT NULL DEFAULT 'admin',
                "failed_logins" integer NOT NULL DEFAULT '0',
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "last_login_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_840ac5cd67be99efa5cd989bf9f" UNIQUE ("email"),
                CONSTRAINT "PK_a28028ba709cd7e5053a86857b4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "api_key" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "prefix" text NOT NULL,
                "key_hash" text NOT NULL,
                "scopes" text array NOT NULL DEFAULT '{}',
                "rate_limit_per_minute" integer NOT NULL DEFAULT '600',
                "created_by" text,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_api_key_hash" ON "api_key" ("key_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "actor_type" text NOT NULL,
                "actor_id" text,
                "actor_label" text,
                "action" text NOT NULL,
                "target_type" text,
                "target_id" text,
                "details" jsonb NOT NULL DEFAULT '{}',
                "ip" text,
                "user_agent" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_audit_log_created" ON "audit_log" ("created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "connection" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "vendor" text NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "auth_mode" text NOT NULL,
                "secrets_ciphertext" text,
                "settings" jsonb NOT NULL DEFAULT '{}',
                "streams" jsonb NOT NULL DEFAULT '{}',
                "schedule" jsonb NOT NULL DEFAULT '{"kind":"interval","minutes":15}',
                "webhook_path_secret" text,
                "is_demo" boolean NOT NULL DEFAULT false,
                "last_error" text,
                "last_synced_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_be611ce8b8cf439091c82a334b2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e7a0644836b57b9ce1659b65bd" ON "connection" ("vendor")
        `);
    await queryRunner.query(`
            CREATE TABLE "model_artifact" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "connection_id" uuid,
                "task" text NOT NULL,
                "version" integer NOT NULL,
                "status" text NOT NULL DEFAULT 'candidate',
                "artifact" jsonb NOT NULL,
                "metrics" jsonb NOT NULL DEFAULT '{}',
                "training_rows" integer NOT NULL DEFAULT '0',
                "decision_reason" text,
                "trained_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "promoted_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2fc46bc5a38794108067c743b55" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_model_artifact_scope" ON "model_artifact" ("connection_id", "task", "status")
        `);
    await queryRunner.query(`
            CREATE TABLE "prediction" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "connection_id" uuid,
                "object" text NOT NULL,
                "external_id" text NOT NULL,
                "task" text NOT NULL,
                "artifact_id" uuid,
                "model_version" text NOT NULL,
                "value" jsonb NOT NULL,
                "confidence" double precision,
                "tier" text,
                "factors" jsonb NOT NULL DEFAULT '[]',
                "abstained" boolean NOT NULL DEFAULT false,
                "abstain_reason" text,
                "input_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_23df2ceecea9f8bbb996ff056a3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_prediction_record" ON "prediction" (
                "connection_id",
                "object",
                "external_id",
                "task",
                "created_at"
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "sync_run_log" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "run_id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "level" text NOT NULL,
                "message" text NOT NULL,
                "details" jsonb,
                CONSTRAINT "PK_e93ba6e917933d609345e26bac7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sync_run_log_run" ON "sync_run_log" ("run_id", "at")
        `);
    await queryRunner.query(`
            CREATE TABLE "sync_run" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "connection_id" uuid NOT NULL,
                "stream" text,
                "trigger" text NOT NULL,
                "mode" text NOT NULL DEFAULT 'incremental',
                "status" text NOT NULL DEFAULT 'queued',
                "counts" jsonb NOT NULL DEFAULT '{"fetched":0,"deleted":0,"scored":0,"written":0,"skippedUnchanged":0,"failed":0}',
                "api_calls" integer NOT NULL DEFAULT '0',
                "api_calls_by_endpoint" jsonb NOT NULL DEFAULT '{}',
                "rate_limit_wait_ms" integer NOT NULL DEFAULT '0',
                "error" text,
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ab1387853fd86ea904a21058b01" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sync_run_connection_started" ON "sync_run" ("connection_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "sync_state" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "connection_id" uuid NOT NULL,
                "stream" text NOT NULL,
                "cursor" text,
                "full_sync_cursor" text,
                "last_full_sync_at" TIMESTAMP WITH TIME ZONE,
                "last_success_at" TIMESTAMP WITH TIME ZONE,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_sync_state_connection_stream" UNIQUE ("connection_id", "stream"),
                CONSTRAINT "PK_4c68d03775b8818b4e50b6dba84" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "synced_record" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "connection_id" uuid NOT NULL,
                "stream" text NOT NULL,
                "object" text NOT NULL,
                "external_id" text NOT NULL,
                "data" jsonb NOT NULL,
                "vendor_modstamp" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_modified_by" text,
                "content_hash" text NOT NULL,
                "is_deleted" boolean NOT NULL DEFAULT false,
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_synced_record_external" UNIQUE ("connection_id", "object", "external_id"),
                CONSTRAINT "PK_72ca44f42936fbf64bde9fe28b5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_synced_record_stream_modstamp" ON "synced_record" ("connection_id", "stream", "vendor_modstamp")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_inbox" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "provider" text NOT NULL,
                "connection_id" uuid NOT NULL,
                "event_id" text NOT NULL,
                "stream" text,
                "external_id" text,
                "raw_body" bytea NOT NULL,
                "headers" jsonb NOT NULL DEFAULT '{}',
                "status" text NOT NULL DEFAULT 'received',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "uq_webhook_inbox_event" UNIQUE ("provider", "event_id"),
                CONSTRAINT "PK_4b63b831d1a843667b74f0a5fc3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_webhook_inbox_pending" ON "webhook_inbox" ("status", "received_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "writeback_outbox" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "idempotency_key" text NOT NULL,
                "connection_id" uuid NOT NULL,
                "stream" text NOT NULL,
                "object" text NOT NULL,
                "external_id" text NOT NULL,
                "field" text NOT NULL,
                "value" jsonb NOT NULL,
                "model_version" text NOT NULL,
                "prediction_id" uuid,
                "status" text NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "error_code" text,
                "vendor_error_code" text,
                "last_error" text,
                "written_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5cb419d848a8e5a4d85e722a417" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_outbox_idempotency_key" ON "writeback_outbox" ("idempotency_key")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_outbox_record" ON "writeback_outbox" (
                "connection_id",
                "object",
                "external_id",
                "field"
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_outbox_drain" ON "writeback_outbox" ("connection_id", "status", "next_attempt_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."ix_outbox_drain"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_outbox_record"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_outbox_idempotency_key"
        `);
    await queryRunner.query(`
            DROP TABLE "writeback_outbox"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_webhook_inbox_pending"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_inbox"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_synced_record_stream_modstamp"
        `);
    await queryRunner.query(`
            DROP TABLE "synced_record"
        `);
    await queryRunner.query(`
            DROP TABLE "sync_state"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sync_run_connection_started"
        `);
    await queryRunner.query(`
            DROP TABLE "sync_run"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sync_run_log_run"
        `);
    await queryRunner.query(`
            DROP TABLE "sync_run_log"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_prediction_record"
        `);
    await queryRunner.query(`
            DROP TABLE "prediction"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_model_artifact_scope"
        `);
    await queryRunner.query(`
            DROP TABLE "model_artifact"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e7a0644836b57b9ce1659b65bd"
        `);
    await queryRunner.query(`
            DROP TABLE "connection"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_audit_log_created"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_api_key_hash"
        `);
    await queryRunner.query(`
            DROP TABLE "api_key"
        `);
    await queryRunner.query(`
            DROP TABLE "admin_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_admin_session_token"
        `);
    await queryRunner.query(`
            DROP TABLE "admin_session"
        `);
  }
}
