/**
 * Health per connection, in one query for a page of connections: last successful sync, API calls of
 * the last finished run (the budget it used), the error rate of the last 20 runs, webhook lag
 * (received → processed over 24 h, and the oldest event still waiting) and the dead-letter count.
 */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ConnectionHealth {
  lastSuccessfulSyncAt: string | null;
  lastRunApiCalls: number | null;
  lastRunStatus: string | null;
  errorRate: number | null;
  runsCounted: number;
  webhookLagMs: number | null;
  webhookPending: number;
  oldestPendingWebhookMs: number | null;
  deadLetters: number;
  runningRunId: string | null;
}

interface HealthRow {
  id: string;
  last_success_at: Date | null;
  last_api_calls: number | null;
  last_status: string | null;
  error_rate: number | null;
  runs_counted: string;
  webhook_lag_ms: number | null;
  webhook_pending: string;
  oldest_pending_ms: number | null;
  dead_letters: string;
  running_run_id: string | null;
}

@Injectable()
export class ConnectionHealthService {
  constructor(private readonly dataSource: DataSource) {}

  async forConnections(ids: string[]): Promise<Map<string, ConnectionHealth>> {
    if (!ids.length) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT c.id,
         (SELECT max(r.finished_at) FROM sync_run r WHERE r.connection_id = c.id AND r.status = 'succeeded') AS last_success_at,
         last.api_calls AS last_api_calls, last.status AS last_status,
         recent.error_rate, recent.runs_counted,
         (SELECT (extract(epoch FROM avg(w.processed_at - w.received_at)) * 1000)::float FROM webhook_inbox w
            WHERE w.connection_id = c.id AND w.processed_at > now() - interval '24 hours') AS webhook_lag_ms,
         (SELECT count(*) FROM webhook_inbox w WHERE w.connection_id = c.id AND w.status = 'received') AS webhook_pending,
         (SELECT (extract(epoch FROM now() - min(w.received_at)) * 1000)::float FROM webhook_inbox w
            WHERE w.connection_id = c.id AND w.status = 'received') AS oldest_pending_ms,
         (SELECT count(*) FROM writeback_outbox o WHERE o.connection_id = c.id AND o.status = 'dead') AS dead_letters,
         (SELECT r.id FROM sync_run r WHERE r.connection_id = c.id AND r.status IN ('queued', 'running') ORDER BY r.created_at DESC LIMIT 1) AS running_run_id
       FROM connection c
       LEFT JOIN LATERAL (SELECT r.api_calls, r.status FROM sync_run r WHERE r.connection_id = c.id AND r.finished_at IS NOT NULL
                          ORDER BY r.created_at DESC LIMIT 1) last ON true
       LEFT JOIN LATERAL (SELECT (count(*) FILTER (WHERE x.status IN ('failed', 'partial')))::float / NULLIF(count(*), 0) AS error_rate,
                                 count(*) AS runs_counted
                          FROM (SELECT r.status FROM sync_run r WHERE r.connection_id = c.id AND r.finished_at IS NOT NULL
                                ORDER BY r.created_at DESC LIMIT 20) x) recent ON true
       WHERE c.id = ANY($1::uuid[])`,
      [ids],
    )) as HealthRow[];
    return new Map(
      rows.map((row) => [
        row.id,
        {
          lastSuccessfulSyncAt: row.last_success_at ? new Date(row.last_success_at).toISOString() : null,
          lastRunApiCalls: row.last_api_calls,
          lastRunStatus: row.last_status,
          errorRate: row.error_rate,
          runsCounted: Number(row.runs_counted ?? 0),
          webhookLagMs: row.webhook_lag_ms === null ? null : Math.round(row.webhook_lag_ms),
          webhookPending: Number(row.webhook_pending),
          oldestPendingWebhookMs: row.oldest_pending_ms === null ? null : Math.round(row.oldest_pending_ms),
          deadLetters: Number(row.dead_letters),
          runningRunId: row.running_run_id,
        },
      ]),
    );
  }
}
