import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  url: string;
  /** Pool size per process; workers and the API each hold one pool. */
  poolSize?: number;
  applicationName?: string;
}

/** The one way to build a TypeORM DataSource: entities and migrations registered, never synchronize. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'fieldcast_migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL >= 13; no superuser-only extension needed.
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    // Query errors are thrown to the caller, which logs them with context; no duplicate console output.
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'fieldcast',
      connectionTimeoutMillis: 10_000,
    },
  });
}

/** Applies pending migrations; returns the names of those that ran. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}

export async function pendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}
