/**
 * Schedules only enqueue. Every 20 s each worker looks for streams that are due (first backfill,
 * interval or cron elapsed since the last run) and sends a sync job; pg-boss's singleton key and the
 * runner's advisory lock make the many workers that do this agree on one run.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { ConnectionEntity, SyncRunEntity, SyncStateEntity } from '@fieldcast/database';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { ConnectorRegistry, JobQueue, QUEUE_NAMES, streamConfig } from '@fieldcast/sync-engine';
import { cronIsDue } from './cron-due';

@Injectable()
export class SyncScheduler {
  private ticking = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly registry: ConnectorRegistry,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  @Interval('fieldcast-sync-scheduler', 20_000)
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const syncs = await this.enqueueDue(new Date());
      return syncs + (await this.enqueueDueWriteBacks());
    } catch (error) {
      this.log.warn({ err: error }, 'sync scheduler tick failed');
      return 0;
    } finally {
      this.ticking = false;
    }
  }

  async enqueueDue(now: Date): Promise<number> {
    const connections = await this.dataSource.getRepository(ConnectionEntity).findBy({ status: 'active' });
    let sent = 0;
    for (const connection of connections) {
      if (!this.registry.has(connection.vendor)) continue;
      for (const stream of this.registry.get(connection.vendor).describe().streams) {
        if (!streamConfig(connection, stream).enabled) continue;
        const state = await this.dataSource.getRepository(SyncStateEntity).findOneBy({ connectionId: connection.id, stream: stream.name });
        const last = await this.dataSource
          .getRepository(SyncRunEntity)
          .findOne({ where: { connectionId: connection.id, stream: stream.name }, order: { createdAt: 'DESC' } });
        const firstBackfill = !state?.lastSuccessAt && !last;
        const due = firstBackfill || this.isDue(connection, last?.createdAt ?? null, now);
        // A running sync keeps its advisory lock, so a job sent meanwhile ends at once as "skipped";
        // a run that only looks running (its worker was killed) is closed by the next run.
        const waitingInQueue = last?.status === 'queued' && now.getTime() - last.createdAt.getTime() < 10 * 60_000;
        if (!due || waitingInQueue || last?.status === 'running') {
          if (!(last?.status === 'running' && now.getTime() - (last.startedAt ?? last.createdAt).getTime() > 15 * 60_000)) continue;
        }
        const id = await this.queue.send(
          QUEUE_NAMES.sync,
          {
            connectionId: connection.id,
            stream: stream.name,
            mode: firstBackfill ? 'full' : 'incremental',
            trigger: firstBackfill ? 'backfill' : 'schedule',
          },
          { singletonKey: `sync:${connection.id}:${stream.name}` },
        );
        if (id) sent += 1;
      }
    }
    return sent;
  }

  /** Retries that came due and replayed dead letters are written without waiting for the next sync. */
  async enqueueDueWriteBacks(): Promise<number> {
    const due = (await this.dataSource.query(
      `SELECT DISTINCT o.connection_id, o.stream FROM writeback_outbox o JOIN connection c ON c.id = o.connection_id
       WHERE o.status = 'pending' AND o.next_attempt_at <= now() AND c.status = 'active'`,
    )) as Array<{ connection_id: string; stream: string }>;
    let sent = 0;
    for (const row of due) {
      const id = await this.queue.send(
        QUEUE_NAMES.writeback,
        { connectionId: row.connection_id, stream: row.stream },
        { singletonKey: `writeback:${row.connection_id}:${row.stream}` },
      );
      if (id) sent += 1;
    }
    return sent;
  }

  private isDue(connection: ConnectionEntity, lastRunAt: Date | null, now: Date): boolean {
    if (!lastRunAt) return true;
    const schedule = connection.schedule;
    if (schedule.kind === 'cron') return cronIsDue(schedule.expression, lastRunAt, now);
    return now.getTime() - lastRunAt.getTime() >= Math.max(1, schedule.minutes) * 60_000;
  }
}
