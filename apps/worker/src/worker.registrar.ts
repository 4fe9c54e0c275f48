import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@fieldcast/runtime';
import type { FieldcastConfig } from '@fieldcast/config';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';
import { DiagnosticJob, type DiagnosticJobData } from './jobs/diagnostic.job';
import { RetrainJob, type RetrainJobData } from './jobs/retrain.job';
import { SyncJob, type SyncJobData } from './jobs/sync.job';
import { WebhookJob, type WebhookJobData } from './jobs/webhook.job';
import { WritebackJob, type WritebackJobData } from './jobs/writeback.job';

/** Binds each queue to its handler with this process's concurrency. */
@Injectable()
export class WorkerRegistrar {
  constructor(
    private readonly queue: JobQueue,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
    private readonly diagnostic: DiagnosticJob,
    private readonly sync: SyncJob,
    private readonly writeback: WritebackJob,
    private readonly webhook: WebhookJob,
    private readonly retrain: RetrainJob,
  ) {}

  async register(): Promise<string[]> {
    const concurrency = this.config.FIELDCAST_WORKER_CONCURRENCY;
    await this.queue.work<DiagnosticJobData>(QUEUE_NAMES.diagnostic, { concurrency, pollingIntervalSeconds: 0.5 }, (job) =>
      this.diagnostic.handle(job),
    );
    await this.queue.work<SyncJobData>(QUEUE_NAMES.sync, { concurrency, pollingIntervalSeconds: 0.5 }, (job) => this.sync.handle(job));
    await this.queue.work<WritebackJobData>(QUEUE_NAMES.writeback, { concurrency, pollingIntervalSeconds: 1 }, (job) =>
      this.writeback.handle(job),
    );
    await this.queue.work<WebhookJobData>(QUEUE_NAMES.webhook, { concurrency: concurrency * 2, pollingIntervalSeconds: 0.5 }, (job) =>
      this.webhook.handle(job),
    );
    // Training is CPU-bound: one at a time per process keeps syncs and webhooks responsive.
    await this.queue.work<RetrainJobData>(QUEUE_NAMES.retrain, { concurrency: 1, pollingIntervalSeconds: 2 }, (job) =>
      this.retrain.handle(job),
    );
    return [QUEUE_NAMES.sync, QUEUE_NAMES.writeback, QUEUE_NAMES.webhook, QUEUE_NAMES.retrain, QUEUE_NAMES.diagnostic];
  }
}
