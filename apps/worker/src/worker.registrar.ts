import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@fieldcast/runtime';
import type { FieldcastConfig } from '@fieldcast/config';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';
import { DiagnosticJob, type DiagnosticJobData } from './jobs/diagnostic.job';

/** Binds each queue to its handler with this process's concurrency. */
@Injectable()
export class WorkerRegistrar {
  constructor(
    private readonly queue: JobQueue,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
    private readonly diagnostic: DiagnosticJob,
  ) {}

  async register(): Promise<string[]> {
    await this.queue.work<DiagnosticJobData>(
      QUEUE_NAMES.diagnostic,
      { concurrency: this.config.FIELDCAST_WORKER_CONCURRENCY, pollingIntervalSeconds: 0.5 },
      (job) => this.diagnostic.handle(job),
    );
    return [QUEUE_NAMES.diagnostic];
  }
}
