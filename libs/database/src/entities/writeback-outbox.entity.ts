import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'in_flight' | 'written' | 'failed' | 'dead' | 'shadow' | 'superseded';

/**
 * One intended vendor write of one record: every Fieldcast field it gets, as a map (one row per record,
 * not per field: a vendor writes a record's fields in one call anyway, and four rows per record were
 * most of PostgreSQL's work in a sync). Created in the same transaction as the prediction; the unique
 * idempotency key (connection, object, record, model version, hash of the fields) makes a retried or
 * replayed write a no-op. Rows with status `dead` are the dead-letter list.
 */
@Entity('writeback_outbox')
@Index('ix_outbox_drain', ['connectionId', 'status', 'nextAttemptAt'])
@Index('ix_outbox_record', ['connectionId', 'object', 'externalId'])
export class WritebackOutboxEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('uq_outbox_idempotency_key', { unique: true })
  @Column('text', { name: 'idempotency_key' })
  idempotencyKey!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  @Column('text')
  stream!: string;

  @Column('text')
  object!: string;

  @Column('text', { name: 'external_id' })
  externalId!: string;

  /** Vendor field name → value to write. */
  @Column('jsonb')
  fields!: Record<string, unknown>;

  @Column('text', { name: 'model_version' })
  modelVersion!: string;

  @Column('uuid', { name: 'prediction_id', nullable: true })
  predictionId!: string | null;

  @Column('text', { default: 'pending' })
  status!: OutboxStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column('text', { name: 'error_code', nullable: true })
  errorCode!: string | null;

  @Column('text', { name: 'vendor_error_code', nullable: true })
  vendorErrorCode!: string | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { name: 'written_at', nullable: true })
  writtenAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
