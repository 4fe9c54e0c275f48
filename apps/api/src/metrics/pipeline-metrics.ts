/**
 * Pipeline gauges read from the database at scrape time (GET /metrics), so every API instance
 * reports the same shared truth no matter which worker did the work: queue depth and age, sync runs
 * and their durations, write-back outcomes (dead letters included), webhook lag, API budget used.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { metricsRegistry } from '@fieldcast/runtime';

type Row = Record<string, string | number | null>;

@Injectable()
export class PipelineMetrics implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    if (metricsRegistry.getSingleMetric('fieldcast_queue_jobs')) return; // several apps in one process (tests)
    const query = (sql: string) => this.dataSource.query(sql) as Promise<Row[]>;
    this.gauge('fieldcast_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async (g) => {
      for (const r of await query(
        `SELECT name AS queue, state, count(*)::int AS n FROM pgboss.job WHERE state IN ('created','retry','active') GROUP BY 1, 2`,
      )) {
        g.set({ queue: String(r.queue), state: String(r.state) }, Number(r.n));
      }
    });
    this.gauge('fieldcast_queue_oldest_job_age_seconds', 'Age of the oldest waiting job per queue', ['queue'], async (g) => {
      for (const r of await query(
        `SELECT name AS queue, extract(epoch FROM now() - min(created_on))::float AS age FROM pgboss.job WHERE state IN ('created','retry') GROUP BY 1`,
      )) {
        g.set({ queue: String(r.queue) }, Number(r.age));
      }
    });
    this.gauge('fieldcast_sync_runs_24h', 'Sync runs in the last 24 hours by status', ['status'], async (g) => {
      for (const r of await query(
        `SELECT status, count(*)::int AS n FROM sync_run WHERE created_at > now() - interval '24 hours' GROUP BY 1`,
      ))
        g.set({ status: String(r.status) }, Number(r.n));
    });
    this.gauge(
      'fieldcast_sync_last_run_duration_seconds',
      'Duration of the last finished run per connection and stream',
      ['connection', 'stream'],
      async (g) => {
        for (const r of await query(
          `SELECT DISTINCT ON (connection_id, stream) connection_id, stream, extract(epoch FROM finished_at - started_at)::float AS d
         FROM sync_run WHERE finished_at IS NOT NULL AND started_at IS NOT NULL ORDER BY connection_id, stream, finished_at DESC`,
        )) {
          g.set({ connection: String(r.connection_id), stream: String(r.stream) }, Number(r.d));
        }
      },
    );
    this.gauge('fieldcast_writeback_outbox', 'Write-back outbox rows by status (dead = dead letters)', ['status'], async (g) => {
      for (const r of await query(`SELECT status, count(*)::int AS n FROM writeback_outbox GROUP BY 1`))
        g.set({ status: String(r.status) }, Number(r.n));
    });
    this.gauge('fieldcast_webhook_lag_seconds', 'Age of the oldest webhook event not processed yet', [], async (g) => {
      const [r] = await query(
        `SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0)::float AS lag FROM webhook_inbox WHERE status = 'received'`,
      );
      g.set(Number(r?.lag ?? 0));
    });
    this.gauge(
      'fieldcast_vendor_api_calls_24h',
      'Vendor API calls made by sync runs in the last 24 hours per connection',
      ['connection'],
      async (g) => {
        for (const r of await query(
          `SELECT connection_id, sum(api_calls)::int AS n FROM sync_run WHERE created_at > now() - interval '24 hours' GROUP BY 1`,
        )) {
          g.set({ connection: String(r.connection_id) }, Number(r.n));
        }
      },
    );
  }

  private gauge(name: string, help: string, labelNames: string[], fill: (g: Gauge<string>) => Promise<void>): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        // A scrape must not fail because one query did (e.g. pg-boss schema not installed yet).
        await fill(this).catch(() => undefined);
      },
    });
  }
}
