import { Column, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn, CreateDateColumn } from 'typeorm';

/** The last known vendor state of a record (what write-back diffs against, what training reads). */
@Entity('synced_record')
@Unique('uq_synced_record_external', ['connectionId', 'object', 'externalId'])
@Index('ix_synced_record_stream_modstamp', ['connectionId', 'stream', 'vendorModstamp'])
export class SyncedRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  @Column('text')
  stream!: string;

  @Column('text')
  object!: string;

  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Column('jsonb')
  data!: Record<string, unknown>;

  @Column('timestamptz', { name: 'vendor_modstamp' })
  vendorModstamp!: Date;

  @Column('text', { name: 'last_modified_by', nullable: true })
  lastModifiedBy!: string | null;

  /** Hash of the fields that feed scoring: unchanged hash = no rescoring, no write. */
  @Column('text', { name: 'content_hash' })
  contentHash!: string;

  @Column('boolean', { name: 'is_deleted', default: false })
  isDeleted!: boolean;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
