import { Column, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/** The incremental cursor of one stream of one connection, saved in the same transaction as its page. */
@Entity('sync_state')
@Unique('uq_sync_state_connection_stream', ['connectionId', 'stream'])
export class SyncStateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  @Column('text')
  stream!: string;

  /** Opaque compound cursor (modstamp, id, continuation) from the connector. */
  @Column('text', { nullable: true })
  cursor!: string | null;

  /** Cursor of a full sync in progress (so an interrupted backfill resumes where it stopped). */
  @Column('text', { name: 'full_sync_cursor', nullable: true })
  fullSyncCursor!: string | null;

  @Column('timestamptz', { name: 'last_full_sync_at', nullable: true })
  lastFullSyncAt!: Date | null;

  @Column('timestamptz', { name: 'last_success_at', nullable: true })
  lastSuccessAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
