/**
 * The database for `fieldcast keys`: a pool of its own under the application name `fieldcast-keys`
 * (so it can tell its own connections from running API and worker processes in pg_stat_activity),
 * no job queue and no migrations. Without DATABASE_URL it uses the embedded server of the data folder,
 * sharing it when a Fieldcast process already runs it.
 */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { FieldcastConfig } from '@fieldcast/config';
import { createDataSource, EmbeddedPostgres } from '@fieldcast/database';
import { redactUrl } from '@fieldcast/runtime';
import { CliError } from '../cli-output';

export const KEYS_APPLICATION_NAME = 'fieldcast-keys';
/** The application names startPlatform gives the API's and the workers' pools (and pg-boss's). */
const RUNNING_PROCESS_NAMES = ['fieldcast-producer', 'fieldcast-worker'];

export interface KeysDatabase {
  dataSource: DataSource;
  label: string;
  close(): Promise<void>;
}

export async function openKeysDatabase(config: FieldcastConfig): Promise<KeysDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  let label: string;
  if (url) {
    label = redactUrl(url);
  } else {
    const dataDir = path.resolve(config.FIELDCAST_DATA_DIR);
    embedded = new EmbeddedPostgres({ dataDir, port: config.FIELDCAST_EMBEDDED_PG_PORT, shareRunningServer: true });
    url = await embedded.start();
    label = `embedded PostgreSQL in ${path.join(dataDir, 'pg')}`;
  }
  const dataSource = createDataSource({ url, applicationName: KEYS_APPLICATION_NAME, poolSize: 2 });
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    throw new CliError(`Cannot connect to the database at ${label}: ${(error as Error).message}. Check DATABASE_URL.`);
  }
  const [{ ok }] = (await dataSource.query(`SELECT to_regclass('connection') IS NOT NULL AS ok`)) as Array<{ ok: boolean }>;
  if (!ok) {
    await dataSource.destroy();
    await embedded?.stop();
    throw new CliError(`The database at ${label} has no Fieldcast tables: run fieldcast migrate (or start Fieldcast once) first.`);
  }
  return {
    dataSource,
    label,
    async close() {
      await dataSource.destroy().catch(() => undefined);
      await embedded?.stop();
    },
  };
}

/**
 * Other Fieldcast processes connected to this database, by application name (fieldcast-producer for
 * the API, fieldcast-worker for workers). Best effort: an idle process may have closed its pooled
 * connections, so "none" is not a proof; the command says so.
 */
export async function otherFieldcastSessions(dataSource: DataSource): Promise<Array<{ application: string; sessions: number }>> {
  const rows = (await dataSource.query(
    `SELECT application_name AS application, count(*)::int AS sessions FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ANY($1::text[])
      GROUP BY application_name ORDER BY application_name`,
    [RUNNING_PROCESS_NAMES],
  )) as Array<{ application: string; sessions: number }>;
  return rows;
}
