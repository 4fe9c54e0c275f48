import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Scoring API keys: shown once, stored as a hash, scoped to tasks, revocable. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** The first characters of the key, shown in lists so keys can be told apart. */
  @Column('text')
  prefix!: string;

  @Index('uq_api_key_hash', { unique: true })
  @Column('text', { name: 'key_hash' })
  keyHash!: string;

  /** Tasks this key may call: lead-score, ticket-category, escalation-risk. */
  @Column('text', { array: true, default: () => "'{}'" })
  scopes!: string[];

  @Column('int', { name: 'rate_limit_per_minute', default: 600 })
  rateLimitPerMinute!: number;

  @Column('text', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
