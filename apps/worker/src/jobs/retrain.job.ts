import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ScoringTask } from '@fieldcast/connector-sdk';
import { AuditLogEntity } from '@fieldcast/database';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { ConnectorRegistry, retrainConnection, type QueueJob, type RetrainOutcome } from '@fieldcast/sync-engine';
import { PipelineRunner } from '../pipeline/pipeline.providers';

export interface RetrainJobData {
  connectionId: string;
  task: ScoringTask;
  requestedBy?: string;
}

/** Trains a connection's model from its history; promotes only a challenger that wins on held-out data. */
@Injectable()
export class RetrainJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: ConnectorRegistry,
    private readonly runner: PipelineRunner,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  async handle(job: QueueJob<RetrainJobData>): Promise<RetrainOutcome> {
    const outcome = await retrainConnection({ dataSource: this.dataSource, registry: this.registry }, job.data.connectionId, job.data.task);
    if (outcome.status === 'promoted') this.runner.models.invalidate();
    this.log.info({ ...job.data, ...outcome, metrics: undefined }, `retrain ${job.data.task}: ${outcome.status}`);
    await this.dataSource.getRepository(AuditLogEntity).insert({
      actorType: 'system',
      actorLabel: job.data.requestedBy ?? 'scheduler',
      action: `model.retrain.${outcome.status}`,
      targetType: 'connection',
      targetId: job.data.connectionId,
      details: {
        task: job.data.task,
        reason: outcome.reason,
        version: outcome.version ?? 'none',
        trainingRows: outcome.trainingRows ?? 0,
      },
    });
    return outcome;
  }
}
