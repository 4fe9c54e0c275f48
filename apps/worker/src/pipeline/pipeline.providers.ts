import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import type { ScoringTask } from '@fieldcast/connector-sdk';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { ConnectorRegistry, DatabaseModelProvider, SyncRunner } from '@fieldcast/sync-engine';
import { shippedDefaultArtifact } from './shipped-models';

/** One SyncRunner per worker process: its rate budgets per connection are shared by all its jobs. */
@Injectable()
export class PipelineRunner extends SyncRunner {
  readonly models: DatabaseModelProvider;

  constructor(dataSource: DataSource, secrets: SecretBox, registry: ConnectorRegistry, @Inject(LOGGER) log: FieldcastLogger) {
    const models = new DatabaseModelProvider(dataSource, (task: ScoringTask) => shippedDefaultArtifact(task));
    super({
      dataSource,
      secrets,
      registry,
      models,
      log: {
        debug: (m, d) => log.debug(d ?? {}, m),
        info: (m, d) => log.info(d ?? {}, m),
        warn: (m, d) => log.warn(d ?? {}, m),
      },
    });
    this.models = models;
  }
}
