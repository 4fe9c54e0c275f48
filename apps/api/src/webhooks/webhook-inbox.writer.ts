/**
 * Stores verified events in webhook_inbox and enqueues one webhook job per changed record, before the
 * vendor gets its 2xx. Event ids are stored prefixed with the connection id: dedupe is per connection,
 * and two accounts of one vendor can produce the same id (Zendesk trigger payloads are
 * `ticket:updated_at`). `ON CONFLICT (provider, event_id) DO NOTHING` makes a redelivery a no-op.
 *
 * Group commit: when the database is idle a delivery is written at once; while a write is under way,
 * the deliveries that arrive meanwhile wait and are then written together — one INSERT for all their
 * events (each row keeps its own delivery's raw body and headers, so every row can be audited on its
 * own) and one batch send of their jobs. Under load that turns 2 statements and 2 commits per
 * delivery into 2 per batch, which is what keeps the acknowledgement fast when the machine is busy;
 * when it is not, nothing waits. Every delivery is answered only after its own rows and jobs are in.
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

/** One write takes at most this many events; the rest wait for the next (keeps statements bounded). */
export const WEBHOOK_MAX_EVENTS_PER_WRITE = 2_000;

interface InboxRow {
  id: string;
  provider: string;
  connection_id: string;
  event_id: string;
  stream: string | null;
  external_id: string | null;
}

export interface StoreResult {
  stored: number;
  duplicates: number;
}

interface Delivery {
  provider: string;
  connectionId: string;
  events: WebhookEvent[];
  rawBody: Buffer;
  headers: Record<string, string>;
  resolve(result: StoreResult): void;
  reject(error: unknown): void;
}

@Injectable()
export class WebhookInboxWriter {
  private readonly waiting: Delivery[] = [];
  private writing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
  ) {}

  store(
    provider: string,
    connectionId: string,
    events: WebhookEvent[],
    rawBody: Buffer,
    headers: Record<string, string>,
  ): Promise<StoreResult> {
    if (events.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    return new Promise<StoreResult>((resolve, reject) => {
      this.waiting.push({ provider, connectionId, events, rawBody, headers, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length) {
        const batch = this.takeBatch();
        try {
          const results = await this.write(batch);
          batch.forEach((d, i) => d.resolve(results[i]!));
        } catch (error) {
          // Not stored (or not enqueued) means not acknowledged: each vendor redelivers, deduplicated.
          for (const d of batch) d.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private takeBatch(): Delivery[] {
    let events = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || events + this.waiting[n]!.events.length <= WEBHOOK_MAX_EVENTS_PER_WRITE)) {
      events += this.waiting[n]!.events.length;
      n += 1;
    }
    return this.waiting.splice(0, n);
  }

  private async write(batch: Delivery[]): Promise<StoreResult[]> {
    const providers: string[] = [];
    const connections: string[] = [];
    const eventIds: string[] = [];
    const streams: Array<string | null> = [];
    const externalIds: Array<string | null> = [];
    const deliveryIndex: number[] = [];
    // The first delivery of this batch that carries an event is the one that stored it.
    const owner = new Map<string, number>();
    const ownEvents = batch.map(() => new Set<string>());
    batch.forEach((d, i) => {
      for (const e of d.events) {
        const eventId = `${d.connectionId}:${e.eventId}`;
        ownEvents[i]!.add(`${d.provider} ${eventId}`);
        if (!owner.has(`${d.provider} ${eventId}`)) owner.set(`${d.provider} ${eventId}`, i);
        providers.push(d.provider);
        connections.push(d.connectionId);
        eventIds.push(eventId);
        streams.push(e.stream ?? null);
        externalIds.push(e.externalId ?? null);
        deliveryIndex.push(i + 1);
      }
    });
    // Bodies and headers are sent once per delivery and picked per row by index (PostgreSQL arrays are 1-based).
    const inserted = (await this.dataSource.query(
      `INSERT INTO webhook_inbox (provider, connection_id, event_id, stream, external_id, raw_body, headers)
       SELECT e.provider, e.connection_id, e.event_id, e.stream, e.external_id, ($7::bytea[])[e.d], ($8::jsonb[])[e.d]
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[]) AS e(provider, connection_id, event_id, stream, external_id, d)
       ON CONFLICT (provider, event_id) DO NOTHING
       RETURNING id, provider, connection_id::text AS connection_id, event_id, stream, external_id`,
      [
        providers,
        connections,
        eventIds,
        streams,
        externalIds,
        deliveryIndex,
        batch.map((d) => d.rawBody),
        batch.map((d) => JSON.stringify(d.headers)),
      ],
    )) as InboxRow[];
    const storedBy = batch.map(() => 0);
    for (const row of inserted) storedBy[owner.get(`${row.provider} ${row.event_id}`)!]! += 1;
    const results = batch.map((_, i) => ({ stored: storedBy[i]!, duplicates: ownEvents[i]!.size - storedBy[i]! }));
    const toEnqueue = [...inserted];
    const redelivered = batch.flatMap((d, i) => (results[i]!.duplicates > 0 ? [...ownEvents[i]!] : []));
    if (redelivered.length) toEnqueue.push(...(await this.withoutWaitingJob(redelivered, new Set(inserted.map((r) => r.id)))));
    await this.enqueue(toEnqueue);
    return results;
  }

  /**
   * Redelivered rows still `received` whose record has no job waiting (see the header). `state <
   * 'active'` and a non-null key, as in pg-boss's partial index on (name, singleton_key).
   */
  private async withoutWaitingJob(keys: string[], insertedIds: Set<string>): Promise<InboxRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT w.id, w.provider, w.connection_id::text AS connection_id, w.event_id, w.stream, w.external_id
         FROM webhook_inbox w
         JOIN unnest($1::text[], $2::text[]) AS k(provider, event_id) ON w.provider = k.provider AND w.event_id = k.event_id
        WHERE w.status = 'received'
          AND NOT EXISTS (
            SELECT 1 FROM pgboss.job j
             WHERE j.name = $3 AND j.state < 'active' AND j.singleton_key IS NOT NULL
               AND j.singleton_key = 'webhook:' || w.connection_id || ':' || coalesce(w.stream, 'null') || ':' || coalesce(w.external_id, 'null'))`,
      [keys.map((k) => k.slice(0, k.indexOf(' '))), keys.map((k) => k.slice(k.indexOf(' ') + 1)), QUEUE_NAMES.webhook],
    )) as InboxRow[];
    return rows.filter((r) => !insertedIds.has(r.id));
  }

  /**
   * One job per changed record: the worker's job takes every `received` row of its record, so other
   * rows about the same record (HubSpot sends one event per changed property) ride along — all of
   * them are committed before any job is sent.
   */
  private async enqueue(rows: InboxRow[]): Promise<void> {
    const seen = new Set<string>();
    const jobs: Array<{ data: { inboxId: string }; options: { singletonKey: string } }> = [];
    for (const row of rows) {
      const singletonKey = webhookJobKey(row.connection_id, row.stream, row.external_id);
      if (seen.has(singletonKey)) continue;
      seen.add(singletonKey);
      jobs.push({ data: { inboxId: row.id }, options: { singletonKey } });
    }
    if (jobs.length) await this.queue.sendMany(QUEUE_NAMES.webhook, jobs);
  }
}
