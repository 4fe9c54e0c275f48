import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every stored prediction names the artifact that made it. */
@Entity('prediction')
@Index('ix_prediction_record', ['connectionId', 'object', 'externalId', 'task', 'createdAt'])
export class PredictionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'connection_id', nullable: true })
  connectionId!: string | null;

  @Column('text')
  object!: string;

  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Column('text')
  task!: string;

  /** The model artifact row (null for a shipped default identified by model_version). */
  @Column('uuid', { name: 'artifact_id', nullable: true })
  artifactId!: string | null;

  @Column('text', { name: 'model_version' })
  modelVersion!: string;

  /** Probability or label, with alternatives. */
  @Column('jsonb')
  value!: Record<string, unknown>;

  @Column('double precision', { nullable: true })
  confidence!: number | null;

  @Column('text', { nullable: true })
  tier!: string | null;

  @Column('jsonb', { default: [] })
  factors!: unknown[];

  @Column('boolean', { default: false })
  abstained!: boolean;

  @Column('text', { name: 'abstain_reason', nullable: true })
  abstainReason!: string | null;

  /** Hash of the scored inputs: same inputs + same model = same prediction (no rescoring). */
  @Column('text', { name: 'input_hash' })
  inputHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
