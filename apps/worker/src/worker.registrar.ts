import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { CONFIG } from '@fieldcast/runtime';
import type { QueueJob } from '@fieldcast/sync-engine';
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
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  /** A failing job is retried by pg-boss with backoff; log why, so nobody has to dig in pgboss.job. */
  private logged<T extends object>(queue: string, handler: (job: QueueJob<T>) => Promise<unknown>) {
    return async (job: QueueJob<T>) => {
      try {
        return await handler(job);
      } catch (error) {
        this.log.error({ err: error, queue, jobId: job.id, attempt: job.retryCount + 1 }, `job failed: ${(error as Error).message}`);
        throw error;
      }
    };
  }

  async register(): Promise<string[]> {
    const concurrency = this.config.FIELDCAST_WORKER_CONCURRENCY;
    await this.queue.work<DiagnosticJobData>(
      QUEUE_NAMES.diagnostic,
      { concurrency, pollingIntervalSeconds: 0.5 },
      this.logged(QUEUE_NAMES.diagnostic, (job) => this.diagnostic.handle(job)),
    );
    await this.queue.work<SyncJobData>(
      QUEUE_NAMES.sync,
      { concurrency, pollingIntervalSeconds: 0.5 },
      this.logged(QUEUE_NAMES.sync, (job) => this.sync.handle(job)),
    );
    await this.queue.work<WritebackJobData>(
      QUEUE_NAMES.writeback,
      { concurrency, pollingIntervalSeconds: 1 },
      this.logged(QUEUE_NAMES.writeback, (job) => this.writeback.handle(job)),
    );
    await this.queue.work<WebhookJobData>(
      QUEUE_NAMES.webhook,
      { concurrency: concurrency * 2, pollingIntervalSeconds: 0.5 },
      this.logged(QUEUE_NAMES.webhook, (job) => this.webhook.handle(job)),
    );
    // Training is CPU-bound: one at a time per process keeps syncs and webhooks responsive.
    await this.queue.work<RetrainJobData>(
      QUEUE_NAMES.retrain,
      { concurrency: 1, pollingIntervalSeconds: 2 },
      this.logged(QUEUE_NAMES.retrain, (job) => this.retrain.handle(job)),
    );
    return [QUEUE_NAMES.sync, QUEUE_NAMES.writeback, QUEUE_NAMES.webhook, QUEUE_NAMES.retrain, QUEUE_NAMES.diagnostic];
  }
}
