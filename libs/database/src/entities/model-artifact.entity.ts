import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ArtifactStatus = 'candidate' | 'champion' | 'retired' | 'rejected';

/** A versioned model artifact (plain JSON, loadable in-process) per task and connection. */
@Entity('model_artifact')
@Index('ix_model_artifact_scope', ['connectionId', 'task', 'status'])
export class ModelArtifactEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null for instance-wide defaults. */
  @Column('uuid', { name: 'connection_id', nullable: true })
  connectionId!: string | null;

  @Column('text')
  task!: string;

  @Column('int')
  version!: number;

  @Column('text', { default: 'candidate' })
  status!: ArtifactStatus;

  @Column('jsonb')
  artifact!: Record<string, unknown>;

  @Column('jsonb', { default: {} })
  metrics!: Record<string, unknown>;

  @Column('int', { name: 'training_rows', default: 0 })
  trainingRows!: number;

  /** Why it was (not) promoted: data gates, fit check, champion comparison. */
  @Column('text', { name: 'decision_reason', nullable: true })
  decisionReason!: string | null;

  @Column('timestamptz', { name: 'trained_at' })
  trainedAt!: Date;

  @Column('timestamptz', { name: 'promoted_at', nullable: true })
  promotedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
