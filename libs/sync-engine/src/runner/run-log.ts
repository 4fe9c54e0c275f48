import type { DataSource, QueryDeepPartialEntity } from 'typeorm';
import type { ConnectorLogger } from '@fieldcast/connector-sdk';
import { SyncRunLogEntity } from '@fieldcast/database';

/** A connector logger that also keeps the run's log lines (shown on the run's detail page). */
export function runLogger(dataSource: DataSource, runId: string, echo?: ConnectorLogger): ConnectorLogger & { flush(): Promise<void> } {
  let pending: Array<QueryDeepPartialEntity<SyncRunLogEntity>> = [];
  const add = (level: string, message: string, details?: Record<string, unknown>) => {
    pending.push({
      runId,
      level,
      message,
      details: (details ?? null) as QueryDeepPartialEntity<SyncRunLogEntity>['details'],
      at: new Date(),
    });
    if (pending.length >= 50) void flush();
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await dataSource
      .getRepository(SyncRunLogEntity)
      .insert(batch)
      .catch(() => undefined);
  };
  return {
    debug: (m, d) => echo?.debug(m, d),
    info: (m, d) => {
      add('info', m, d);
      echo?.info(m, d);
    },
    warn: (m, d) => {
      add('warn', m, d);
      echo?.warn(m, d);
    },
    flush,
  };
}
