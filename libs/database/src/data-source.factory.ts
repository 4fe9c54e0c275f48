import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { provideMigrationSecrets, type MigrationSecretsSource } from './migration-secrets';

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

/**
 * Applies pending migrations; returns the names of those that ran. `secrets` is the process's secret
 * key (or a function that loads it), for migrations that move values into the encrypted columns.
 */
export async function runMigrations(dataSource: DataSource, options: { secrets?: MigrationSecretsSource } = {}): Promise<string[]> {
  provideMigrationSecrets(dataSource, options.secrets);
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    provideMigrationSecrets(dataSource, undefined);
  }
}

export async function pendingMigrations(dataSource: DataSource): Promise<boolean> {
  return dataSource.showMigrations();
}
