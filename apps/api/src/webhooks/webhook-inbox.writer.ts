/**
 * Stores verified events in webhook_inbox and enqueues one webhook job per stored row, before the
 * vendor gets its 2xx. One INSERT per request (the raw body is sent to PostgreSQL once and stored on
 * each row of the batch, so every row can be audited on its own); `ON CONFLICT (provider, event_id)
 * DO NOTHING` makes a redelivery a no-op.
 * Event ids are stored prefixed with the connection id: dedupe is per connection, and two accounts
 * of one vendor can produce the same id (Zendesk trigger payloads are `ticket:updated_at`).
 * A row whose job was never sent (the process died between insert and send) is re-enqueued when the
 * vendor redelivers, which it does because it never got the 2xx. Only rows still unprocessed after
 * REENQUEUE_AFTER_SECONDS are: a quick redelivery of a row whose job is queued must stay a no-op
 * (pg-boss singleton keys do not deduplicate on a standard queue). The worker treats a job for a
 * row that is no longer `received` as done, so a rare second job is harmless.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebhookEvent } from '@fieldcast/connector-sdk';
import { JobQueue, QUEUE_NAMES, type QueueName, type SendOptions } from '@fieldcast/sync-engine';

/** The batch send requested from libs/sync-engine's JobQueue (not there yet). */
interface BatchingQueue {
  sendMany(queue: QueueName, jobs: Array<{ data: object; options?: SendOptions }>): Promise<unknown>;
}

export const REENQUEUE_AFTER_SECONDS = 60;

interface InboxKey {
  id: string;
  stream: string | null;
  external_id: string | null;
}

export interface StoreResult {
  stored: number;
  duplicates: number;
}

@Injectable()
export class WebhookInboxWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
  ) {}

  async store(
    provider: string,
    connectionId: string,
    events: WebhookEvent[],
    rawBody: Buffer,
    headers: Record<string, string>,
  ): Promise<StoreResult> {
    if (events.length === 0) return { stored: 0, duplicates: 0 };
    const eventIds = events.map((e) => `${connectionId}:${e.eventId}`);
    const inserted = (await this.dataSource.query(
      `INSERT INTO webhook_inbox (provider, connection_id, event_id, stream, external_id, raw_body, headers)
       SELECT $1, $2, e.event_id, e.stream, e.external_id, $6::bytea, $7::jsonb
         FROM unnest($3::text[], $4::text[], $5::text[]) AS e(event_id, stream, external_id)
       ON CONFLICT (provider, event_id) DO NOTHING
       RETURNING id, stream, external_id`,
      [provider, connectionId, eventIds, events.map((e) => e.stream), events.map((e) => e.externalId), rawBody, JSON.stringify(headers)],
    )) as InboxKey[];
    let toEnqueue = inserted;
    const duplicates = new Set(eventIds).size - inserted.length;
    if (duplicates > 0) {
      const insertedIds = new Set(inserted.map((r) => r.id));
      const pending = (await this.dataSource.query(
        `SELECT id, stream, external_id FROM webhook_inbox
          WHERE provider = $1 AND event_id = ANY($2::text[]) AND status = 'received' AND received_at < now() - make_interval(secs => $3)`,
        [provider, eventIds, REENQUEUE_AFTER_SECONDS],
      )) as InboxKey[];
      toEnqueue = [...inserted, ...pending.filter((r) => !insertedIds.has(r.id))];
    }
    await this.enqueue(connectionId, toEnqueue);
    return { stored: inserted.length, duplicates };
  }

  /**
   * One pg-boss send costs ~1 ms of CPU and several round trips, which dominates the ack at 1,000
   * events/s. A batch send (`JobQueue.sendMany`, pg-boss `insert`) is requested from the queue's
   * owner; it is used as soon as it exists, one send per job until then.
   */
  private async enqueue(connectionId: string, rows: InboxKey[]): Promise<void> {
    if (rows.length === 0) return;
    // Keyed per record, as the worker's webhook job expects (it coalesces a record's pending events).
    const jobs = rows.map((r) => ({
      data: { inboxId: r.id },
      options: { singletonKey: `webhook:${connectionId}:${r.stream}:${r.external_id}` },
    }));
    const batching = this.queue as JobQueue & Partial<BatchingQueue>;
    if (typeof batching.sendMany === 'function') {
      await batching.sendMany(QUEUE_NAMES.webhook, jobs);
      return;
    }
    await Promise.all(jobs.map((job) => this.queue.send(QUEUE_NAMES.webhook, job.data, job.options)));
  }
}
