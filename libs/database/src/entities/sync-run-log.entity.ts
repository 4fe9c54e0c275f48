import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The log lines of one sync run, shown on the run's detail page. */
@Entity('sync_run_log')
@Index('ix_sync_run_log_run', ['runId', 'at'])
export class SyncRunLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'run_id' })
  runId!: string;

  @Column('timestamptz', { default: () => 'clock_timestamp()' })
  at!: Date;

  @Column('text')
  level!: string;

  @Column('text')
  message!: string;

  @Column('jsonb', { nullable: true })
  details!: Record<string, unknown> | null;
}
