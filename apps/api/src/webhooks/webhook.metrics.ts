/**
 * Webhook ingress instruments on the process registry, created once per process (tests run several
 * apps in one process and prom-client refuses to register a name twice).
 */
import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '@fieldcast/runtime';

export type WebhookOutcome =
  'accepted' | 'duplicate' | 'unauthorized' | 'too_large' | 'unsupported_media_type' | 'invalid' | 'unavailable' | 'error';

export interface WebhookMetrics {
  requests: Counter<'provider' | 'outcome'>;
  ackSeconds: Histogram<'provider' | 'outcome'>;
  events: Counter<'provider' | 'result'>;
}

let instance: WebhookMetrics | undefined;

export function webhookMetrics(): WebhookMetrics {
  instance ??= {
    requests: new Counter({
      name: 'fieldcast_webhook_requests_total',
      help: 'Webhook requests by provider and outcome (accepted, duplicate, unauthorized, too_large, unsupported_media_type, invalid, unavailable, error)',
      labelNames: ['provider', 'outcome'],
      registers: [metricsRegistry],
    }),
    ackSeconds: new Histogram({
      name: 'fieldcast_webhook_ack_seconds',
      help: 'Time from request to answer (after the events are stored and enqueued), by provider and outcome',
      labelNames: ['provider', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metricsRegistry],
    }),
    events: new Counter({
      name: 'fieldcast_webhook_events_total',
      help: 'Webhook events by provider and result (stored, duplicate, dropped at parse time)',
      labelNames: ['provider', 'result'],
      registers: [metricsRegistry],
    }),
  };
  return instance;
}
