/**
 * Scoring API instruments on the process registry. Created once per process: tests start several
 * apps in one process and prom-client refuses to register a name twice.
 */
import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '@fieldcast/runtime';

export interface ScoringApiMetrics {
  requests: Counter<'task' | 'status'>;
  latency: Histogram<'task'>;
  cacheLookups: Counter<'task' | 'result'>;
}

let instance: ScoringApiMetrics | undefined;

export function scoringApiMetrics(): ScoringApiMetrics {
  instance ??= {
    requests: new Counter({
      name: 'fieldcast_scoring_api_requests_total',
      help: 'Scoring API requests by task and HTTP status',
      labelNames: ['task', 'status'],
      registers: [metricsRegistry],
    }),
    latency: new Histogram({
      name: 'fieldcast_scoring_api_duration_seconds',
      help: 'Scoring API request duration (authenticated requests) by task',
      labelNames: ['task'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [metricsRegistry],
    }),
    cacheLookups: new Counter({
      name: 'fieldcast_scoring_api_cache_lookups_total',
      help: 'Per-record prediction cache lookups by task and result (hit or miss)',
      labelNames: ['task', 'result'],
      registers: [metricsRegistry],
    }),
  };
  return instance;
}
