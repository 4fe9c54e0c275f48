import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ConnectionStatus = 'pending' | 'active' | 'paused' | 'needs_reauth' | 'error';

/** Per-stream configuration: what to score and where to write it. */
export interface StreamConfig {
  enabled: boolean;
  tasks: string[];
  /** Logical field key → vendor field name to write (created by Fieldcast on request). */
  fields: Record<string, string>;
  writePolicy: 'overwrite' | 'only_when_empty';
  /** Predictions below this calibrated confidence are not written automatically. */
  autoWriteThreshold: number;
  /** Score and preview, but never write. */
  shadowMode: boolean;
}

export type ScheduleConfig = { kind: 'interval'; minutes: number } | { kind: 'cron'; expression: string };

@Entity('connection')
export class ConnectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Index()
  @Column('text')
  vendor!: string;

  @Column('text', { default: 'pending' })
  status!: ConnectionStatus;

  @Column('text', { name: 'auth_mode' })
  authMode!: string;

  /**
   * AES-256-GCM envelope of the credentials and the webhook secret (HubSpot client secret, Zendesk
   * signing secret, or the Salesforce outbound-message URL secret); never returned by any API, except
   * the Salesforce endpoint URL that admins reveal to paste into Salesforce.
   */
  @Column('text', { name: 'secrets_ciphertext', nullable: true })
  secretsCiphertext!: string | null;

  /** Non-secret settings: base URL, field names, vendor options, integration user id. */
  @Column('jsonb', { default: {} })
  settings!: Record<string, unknown>;

  @Column('jsonb', { default: {} })
  streams!: Record<string, StreamConfig>;

  @Column('jsonb', { default: { kind: 'interval', minutes: 15 } })
  schedule!: ScheduleConfig;

  @Column('boolean', { name: 'is_demo', default: false })
  isDemo!: boolean;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { name: 'last_synced_at', nullable: true })
  lastSyncedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
