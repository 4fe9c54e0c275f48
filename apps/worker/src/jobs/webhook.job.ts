import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WebhookInboxEntity } from '@fieldcast/database';
import type { QueueJob } from '@fieldcast/sync-engine';
import { PipelineRunner } from '../pipeline/pipeline.providers';

export interface WebhookJobData {
  inboxId: string;
}

/**
 * Inbox → fetch the record's current state → score → outbox → write. All unprocessed events of the
 * same record are taken together, so a burst of changes coalesces into one read and one score;
 * jobs are keyed per record, so one record's events are applied in order.
 */
@Injectable()
export class WebhookJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: PipelineRunner,
  ) {}

  async handle(job: QueueJob<WebhookJobData>): Promise<{ events: number; written?: number; skipped?: string }> {
    const inbox = this.dataSource.getRepository(WebhookInboxEntity);
    const event = await inbox.findOneBy({ id: job.data.inboxId });
    if (!event || event.status !== 'received') return { events: 0, skipped: 'already processed' };
    if (!event.stream || !event.externalId) {
      await inbox.update({ id: event.id }, { status: 'ignored', processedAt: new Date(), lastError: 'event names no record' });
      return { events: 0, skipped: 'event names no record' };
    }
    const batch = await inbox.findBy({
      connectionId: event.connectionId,
      stream: event.stream,
      externalId: event.externalId,
      status: 'received',
    });
    const ids = batch.map((e) => e.id);
    try {
      const counts = await this.runner.syncRecords(
        { connectionId: event.connectionId, stream: event.stream, externalIds: [event.externalId] },
        job.signal,
      );
      await this.dataSource
        .createQueryBuilder()
        .update(WebhookInboxEntity)
        .set({ status: counts.skipped ? 'ignored' : 'processed', processedAt: new Date(), lastError: counts.skipped ?? null })
        .whereInIds(ids)
        .execute();
      return { events: ids.length, written: counts.written, skipped: counts.skipped };
    } catch (error) {
      await this.dataSource
        .createQueryBuilder()
        .update(WebhookInboxEntity)
        .set({ attempts: () => 'attempts + 1', lastError: (error as Error).message })
        .whereInIds(ids)
        .execute();
      throw error; // pg-boss retries with backoff; the events stay 'received' until then
    }
  }
}
