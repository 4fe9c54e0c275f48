/**
 * Stores verified events in webhook_inbox and enqueues one webhook job per changed record, before the
 * vendor gets its 2xx. One INSERT per request (the raw body is sent to PostgreSQL once and stored on
 * each row of the batch, so every row can be audited on its own); `ON CONFLICT (provider, event_id)
 * DO NOTHING` makes a redelivery a no-op. Then one batch send of the jobs (JobQueue.sendMany).
 * Event ids are stored prefixed with the connection id: dedupe is per connection, and two accounts
 * of one vendor can produce the same id (Zendesk trigger payloads are `ticket:updated_at`).
 *
 * The insert and the send are two statements, so a process killed between them leaves rows without a
 * job — and the vendor, which got no 2xx, redelivers. A redelivered row that is still `received` is
 * enqueued again unless its record already has a job waiting (created or retry): that job takes
 * every `received` row of the record when it starts, so waiting rows need nothing more, and a
 * redelivery of an event whose job is queued stays a no-op. Detecting "no job waiting" reads
 * pg-boss's own job table by the singleton key we give each job (pg-boss indexes exactly that).
 * The worker treats a job for a row that is no longer `received` as done, so a rare second job
 * (the first one already running) is harmless.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebhookEvent } from '@fieldcast/connector-sdk';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';

/** The key each webhook job carries: the worker's job coalesces a record's pending events. */
export function webhookJobKey(connectionId: string, stream: string | null, externalId: string | null): string {
  return `webhook:${connectionId}:${stream}:${externalId}`;
}

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
    // One job per record: the worker's job takes every `received` row of its record, so the other
    // rows of this batch about the same record (HubSpot sends one event per changed property) ride along.
    const keys = new Set<string>();
    const toEnqueue: InboxKey[] = [];
    for (const row of inserted) {
      const key = webhookJobKey(connectionId, row.stream, row.external_id);
      if (keys.has(key)) continue;
      keys.add(key);
      toEnqueue.push(row);
    }
    const duplicates = new Set(eventIds).size - inserted.length;
    if (duplicates > 0) {
      const insertedIds = new Set(inserted.map((r) => r.id));
      // `state < 'active'` and a non-null key, as in pg-boss's partial index on (name, singleton_key).
      const pending = (await this.dataSource.query(
        `SELECT w.id, w.stream, w.external_id FROM webhook_inbox w
          WHERE w.provider = $1 AND w.event_id = ANY($2::text[]) AND w.status = 'received'
            AND NOT EXISTS (
              SELECT 1 FROM pgboss.job j
               WHERE j.name = $3 AND j.state < 'active' AND j.singleton_key IS NOT NULL
                 AND j.singleton_key = 'webhook:' || w.connection_id || ':' || coalesce(w.stream, 'null') || ':' || coalesce(w.external_id, 'null'))`,
        [provider, eventIds, QUEUE_NAMES.webhook],
      )) as InboxKey[];
      for (const row of pending) {
        const key = webhookJobKey(connectionId, row.stream, row.external_id);
        if (insertedIds.has(row.id) || keys.has(key)) continue;
        keys.add(key);
        toEnqueue.push(row);
      }
    }
    await this.enqueue(connectionId, toEnqueue);
    return { stored: inserted.length, duplicates };
  }

  private async enqueue(connectionId: string, rows: InboxKey[]): Promise<void> {
    if (rows.length === 0) return;
    await this.queue.sendMany(
      QUEUE_NAMES.webhook,
      rows.map((r) => ({ data: { inboxId: r.id }, options: { singletonKey: webhookJobKey(connectionId, r.stream, r.external_id) } })),
    );
  }
}
