import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLogEntity } from '@fieldcast/database';
import type { QueueJob } from '@fieldcast/sync-engine';

export interface DiagnosticJobData {
  /** Who asked (`fieldcast workers ping`, a test). */
  requestedBy: string;
}

/**
 * Proves a worker is alive and pulling from the shared queue: records which process ran which job.
 * `fieldcast workers ping` uses it, and the multi-worker test counts that no job ran twice.
 */
@Injectable()
export class DiagnosticJob {
  constructor(private readonly dataSource: DataSource) {}

  async handle(job: QueueJob<DiagnosticJobData>): Promise<{ pid: number }> {
    await this.dataSource.getRepository(AuditLogEntity).insert({
      actorType: 'system',
      actorLabel: `worker pid ${process.pid}`,
      action: 'worker.diagnostic',
      targetType: 'job',
      targetId: job.id,
      details: { pid: process.pid, requestedBy: job.data.requestedBy },
    });
    return { pid: process.pid };
  }
}
