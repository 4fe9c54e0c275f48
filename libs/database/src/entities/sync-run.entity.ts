import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

export interface SyncRunCounts {
  fetched: number;
  deleted: number;
  scored: number;
  written: number;
  skippedUnchanged: number;
  failed: number;
}

@Entity('sync_run')
@Index('ix_sync_run_connection_started', ['connectionId', 'createdAt'])
export class SyncRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  @Column('text', { nullable: true })
  stream!: string | null;

  /** schedule | webhook | manual | backfill | cli */
  @Column('text')
  trigger!: string;

  @Column('text', { default: 'incremental' })
  mode!: string;

  @Column('text', { default: 'queued' })
  status!: SyncRunStatus;

  @Column('jsonb', { default: { fetched: 0, deleted: 0, scored: 0, written: 0, skippedUnchanged: 0, failed: 0 } })
  counts!: SyncRunCounts;

  @Column('int', { name: 'api_calls', default: 0 })
  apiCalls!: number;

  @Column('jsonb', { name: 'api_calls_by_endpoint', default: {} })
  apiCallsByEndpoint!: Record<string, number>;

  @Column('int', { name: 'rate_limit_wait_ms', default: 0 })
  rateLimitWaitMs!: number;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
