import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type InboxStatus = 'received' | 'processed' | 'ignored' | 'failed';

/** Verified webhook events, stored before the 2xx; the unique (provider, event id) makes redeliveries no-ops. */
@Entity('webhook_inbox')
@Unique('uq_webhook_inbox_event', ['provider', 'eventId'])
@Index('ix_webhook_inbox_pending', ['status', 'receivedAt'])
export class WebhookInboxEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  provider!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  @Column('text', { name: 'event_id' })
  eventId!: string;

  @Column('text', { nullable: true })
  stream!: string | null;

  @Column('text', { name: 'external_id', nullable: true })
  externalId!: string | null;

  @Column('bytea', { name: 'raw_body' })
  rawBody!: Buffer;

  @Column('jsonb', { default: {} })
  headers!: Record<string, string>;

  @Column('text', { default: 'received' })
  status!: InboxStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { name: 'received_at', default: () => 'now()' })
  receivedAt!: Date;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt!: Date | null;
}
