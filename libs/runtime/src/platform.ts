/**
 * What every Fieldcast process needs before its role starts: the configuration, a logger, the
 * database (embedded or DATABASE_URL) with migrations applied, and the job queue.
 * The launcher (apps/cli) starts one Platform per process and hands it to the api and worker roles.
 */
import type { DataSource } from 'typeorm';
import type { FieldcastConfig } from '@fieldcast/config';
import { createDataSource, EmbeddedPostgres, runMigrations } from '@fieldcast/database';
import { ConnectorRegistry, JobQueue } from '@fieldcast/sync-engine';
import type { Connector } from '@fieldcast/connector-sdk';
import path from 'node:path';
import type { SecretBox } from '@fieldcast/common';
import type { FieldcastLogger } from './logger';
import { loadSecretBox } from './secret-key';

export interface Platform {
  config: FieldcastConfig;
  log: FieldcastLogger;
  dataSource: DataSource;
  queue: JobQueue;
  /** The connectors this process can use (handed in by the launcher; libs never import connectors). */
  registry: ConnectorRegistry;
  /** Encrypts and decrypts vendor credentials at rest. */
  secrets: SecretBox;
  /** Where the database is, for the start-up banner (password removed). */
  databaseLabel: string;
  /** Stops the queue (gracefully), closes the pool and stops the embedded server, in that order. */
  shutdown(): Promise<void>;
}

export class PlatformStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformStartError';
  }
}

export async function startPlatform(options: {
  config: FieldcastConfig;
  log: FieldcastLogger;
  role: 'producer' | 'worker';
  migrate?: boolean;
  connectors?: Connector[];
}): Promise<Platform> {
  const { config, log } = options;
  const secrets = loadSecretBox(config, log);
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  let databaseLabel: string;
  if (url) {
    databaseLabel = redactUrl(url);
  } else {
    const dataDir = path.resolve(config.FIELDCAST_DATA_DIR);
    embedded = new EmbeddedPostgres({
      dataDir,
      port: config.FIELDCAST_EMBEDDED_PG_PORT,
      shareRunningServer: true,
      log: (line) => log.debug({ postgres: line }, 'embedded postgres'),
    });
    url = await embedded.start();
    databaseLabel = `embedded PostgreSQL in ${path.join(dataDir, 'pg')} (port ${config.FIELDCAST_EMBEDDED_PG_PORT})`;
  }
  const dataSource = createDataSource({ url, applicationName: `fieldcast-${options.role}` });
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    throw new PlatformStartError(
      `Cannot connect to the database at ${databaseLabel}: ${(error as Error).message}. Check DATABASE_URL (host, port, user, password, database name).`,
    );
  }
  if (options.migrate ?? config.FIELDCAST_MIGRATE_ON_START) {
    const ran = await runMigrations(dataSource, { secrets });
    if (ran.length) log.info({ migrations: ran }, `applied ${ran.length} database migration(s)`);
  }
  let queue: JobQueue;
  try {
    queue = await JobQueue.start({ url, role: options.role, onError: (error) => log.warn({ err: error }, 'job queue error') });
  } catch (error) {
    await dataSource.destroy();
    await embedded?.stop();
    throw new PlatformStartError(`Cannot start the job queue on ${databaseLabel}: ${(error as Error).message}`);
  }
  let stopped = false;
  return {
    config,
    log,
    dataSource,
    queue,
    registry: new ConnectorRegistry(options.connectors ?? []),
    secrets,
    databaseLabel,
    async shutdown() {
      if (stopped) return;
      stopped = true;
      await queue.stop().catch((error: Error) => log.warn({ err: error }, 'queue stop failed'));
      await dataSource.destroy().catch((error: Error) => log.warn({ err: error }, 'database pool close failed'));
      await embedded?.stop();
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
