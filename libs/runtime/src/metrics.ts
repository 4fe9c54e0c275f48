/**
 * One Prometheus registry per process (GET /metrics). Modules register their own instruments here;
 * default Node metrics (heap, event loop lag, GC) are always on.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
metricsRegistry.setDefaultLabels({ app: 'fieldcast' });
collectDefaultMetrics({ register: metricsRegistry, prefix: 'fieldcast_' });
