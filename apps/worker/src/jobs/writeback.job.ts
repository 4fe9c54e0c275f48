import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import { ConnectionEntity } from '@fieldcast/database';
import {
  buildConnectorContext,
  ConnectorRegistry,
  OutboxDrainer,
  promoteShadowWrites,
  streamConfig,
  type DrainResult,
  type QueueJob,
} from '@fieldcast/sync-engine';
import { PipelineRunner } from '../pipeline/pipeline.providers';

export interface WritebackJobData {
  connectionId: string;
  stream: string;
}

/** Drains the outbox of one connection and stream (retries that came due, replayed dead letters). */
@Injectable()
export class WritebackJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly registry: ConnectorRegistry,
    private readonly runner: PipelineRunner,
  ) {}

  async handle(job: QueueJob<WritebackJobData>): Promise<DrainResult | { skipped: string }> {
    const connection = await this.dataSource.getRepository(ConnectionEntity).findOneBy({ id: job.data.connectionId });
    if (!connection) return { skipped: 'connection does not exist' };
    if (connection.status !== 'active') return { skipped: `connection is ${connection.status}` };
    const connector = this.registry.get(connection.vendor);
    const stream = this.registry.stream(connection.vendor, job.data.stream);
    if (!streamConfig(connection, stream).shadowMode) await promoteShadowWrites(this.dataSource, connection.id, stream.name);
    const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    const ctx = buildConnectorContext({
      dataSource: this.dataSource,
      secrets: this.secrets,
      connection,
      budget: this.runner.budgetFor(connection.id),
      log: silent,
      signal: job.signal,
    });
    return new OutboxDrainer({ dataSource: this.dataSource, connector, ctx, stream }).drain();
  }
}
