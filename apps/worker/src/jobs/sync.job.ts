import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SyncMode } from '@fieldcast/connector-sdk';
import { SyncRunEntity } from '@fieldcast/database';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import type { QueueJob, SyncOutcome } from '@fieldcast/sync-engine';
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
    }
    return outcome;
  }
}
