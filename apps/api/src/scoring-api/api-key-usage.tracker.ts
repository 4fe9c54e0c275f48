/**
 * api_key.last_used_at without a write per request: uses are collected in memory and written in one
 * statement every flush interval (and on shutdown). An admin sees "last used" to within that interval.
 */
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';

export const API_KEY_USAGE_FLUSH_MS = Symbol('API_KEY_USAGE_FLUSH_MS');

@Injectable()
export class ApiKeyUsageTracker implements OnModuleDestroy {
  private pending = new Map<string, Date>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
    @Inject(API_KEY_USAGE_FLUSH_MS) flushMs: number,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  touch(keyId: string, at = new Date()): void {
    this.pending.set(keyId, at);
  }

  /** Writes the collected uses; never makes a last-used time go backwards. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.dataSource.query(
          `UPDATE api_key AS k SET last_used_at = GREATEST(k.last_used_at, u.at)
             FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`,
          [[...batch.keys()], [...batch.values()].map((d) => d.toISOString())],
        );
      } catch (error) {
        // Put the uses back (newer ones win) so a database blip loses nothing.
        for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
        this.log.warn({ err: error }, 'could not record API key last-used times; will retry');
      }
    });
    return this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    if (this.dataSource.isInitialized) await this.flush();
  }
}
