import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { FieldcastConfig } from '@fieldcast/config';
import { CONFIG, LOGGER, type FieldcastLogger } from '@fieldcast/runtime';

/** Keeps sync run history (runs and their log lines) for FIELDCAST_RUN_HISTORY_DAYS, then deletes it. */
@Injectable()
export class RunHistoryRetention {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  @Interval('fieldcast-run-history-retention', 3_600_000)
  async prune(): Promise<number> {
    const days = this.config.FIELDCAST_RUN_HISTORY_DAYS;
    try {
      // Several workers may prune at once: both statements are idempotent.
      await this.dataSource.query(
        `DELETE FROM sync_run_log WHERE run_id IN (SELECT id FROM sync_run WHERE created_at < now() - make_interval(days => $1) AND status NOT IN ('queued', 'running'))`,
        [days],
      );
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM sync_run WHERE created_at < now() - make_interval(days => $1) AND status NOT IN ('queued', 'running')`,
        [days],
      )) as [unknown, number];
      if (deleted) this.log.info({ deleted, days }, 'pruned old sync run history');
      return deleted ?? 0;
    } catch (error) {
      this.log.warn({ err: error }, 'pruning sync run history failed');
      return 0;
    }
  }
}
