import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SyncMode } from '@fieldcast/connector-sdk';
import { SyncRunEntity } from '@fieldcast/database';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { ConnectorRegistry, JobQueue, QUEUE_NAMES, type QueueJob, type SyncOutcome } from '@fieldcast/sync-engine';
import { ConnectionEntity } from '@fieldcast/database';
import { PipelineRunner } from '../pipeline/pipeline.providers';

export interface SyncJobData {
  connectionId: string;
  stream: string;
  mode: SyncMode;
  trigger: string;
  /** A queued sync_run row created by whoever asked (CLI, UI), so they can follow its progress. */
  runId?: string;
}

@Injectable()
export class SyncJob {
  constructor(
    private readonly runner: PipelineRunner,
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly registry: ConnectorRegistry,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  async handle(job: QueueJob<SyncJobData>): Promise<SyncOutcome> {
    const outcome = await this.runner.run(job.data, job.signal);
    if (outcome.status === 'skipped') {
      this.log.info({ ...job.data, reason: outcome.reason }, 'sync skipped');
      if (job.data.runId)
        await this.dataSource
          .getRepository(SyncRunEntity)
          .update(
            { id: job.data.runId, status: 'queued' },
            { status: 'cancelled', error: `skipped: ${outcome.reason}`, finishedAt: new Date() },
          );
    } else {
      this.log.info({ ...job.data, status: outcome.status, counts: outcome.counts, apiCalls: outcome.apiCalls }, 'sync finished');
      // A completed backfill is new history: train the connection's own models from it.
      if (job.data.mode === 'full' && outcome.status !== 'failed') await this.enqueueRetrain(job.data);
    }
    return outcome;
  }

  private async enqueueRetrain(data: SyncJobData): Promise<void> {
    const connection = await this.dataSource.getRepository(ConnectionEntity).findOneBy({ id: data.connectionId });
    if (!connection) return;
    for (const task of this.registry.stream(connection.vendor, data.stream).tasks) {
      await this.queue.send(
        QUEUE_NAMES.retrain,
        { connectionId: data.connectionId, task, requestedBy: 'backfill' },
        { singletonKey: `retrain:${data.connectionId}:${task}` },
      );
    }
  }
}
