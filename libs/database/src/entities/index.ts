import { AdminSessionEntity } from './admin-session.entity';
import { AdminUserEntity } from './admin-user.entity';
import { ApiKeyEntity } from './api-key.entity';
import { AuditLogEntity } from './audit-log.entity';
import { ConnectionEntity } from './connection.entity';
import { ModelArtifactEntity } from './model-artifact.entity';
import { PredictionEntity } from './prediction.entity';
import { SyncRunLogEntity } from './sync-run-log.entity';
import { SyncRunEntity } from './sync-run.entity';
import { SyncStateEntity } from './sync-state.entity';
import { SyncedRecordEntity } from './synced-record.entity';
import { WebhookInboxEntity } from './webhook-inbox.entity';
import { WritebackOutboxEntity } from './writeback-outbox.entity';

export * from './admin-session.entity';
export * from './admin-user.entity';
export * from './api-key.entity';
export * from './audit-log.entity';
export * from './connection.entity';
export * from './model-artifact.entity';
export * from './prediction.entity';
export * from './sync-run-log.entity';
export * from './sync-run.entity';
export * from './sync-state.entity';
export * from './synced-record.entity';
export * from './webhook-inbox.entity';
export * from './writeback-outbox.entity';

export const ENTITIES = [
  AdminSessionEntity,
  AdminUserEntity,
  ApiKeyEntity,
  AuditLogEntity,
  ConnectionEntity,
  ModelArtifactEntity,
  PredictionEntity,
  SyncRunLogEntity,
  SyncRunEntity,
  SyncStateEntity,
  SyncedRecordEntity,
  WebhookInboxEntity,
  WritebackOutboxEntity,
];
