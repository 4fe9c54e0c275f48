/**
 * The secret key for the few migrations that move a value into (or out of) the encrypted columns.
 * Migrations are plain SQL otherwise and TypeORM builds them without arguments, so the process that
 * runs them hands its key over here (`runMigrations(dataSource, { secrets })`), keyed by the data
 * source. A provider function is only called when a migration really has rows to move: a fresh
 * database (every test database) never needs the key.
 */
import type { DataSource } from 'typeorm';

/** The part of SecretBox (@fieldcast/common) a migration uses; structural, so this lib needs no import. */
export interface MigrationSecretBox {
  encryptJson(value: unknown, associatedData: string): string;
  decryptJson<T>(envelope: string, associatedData: string): T;
}

export type MigrationSecretsSource = MigrationSecretBox | (() => MigrationSecretBox);

const sources = new WeakMap<DataSource, MigrationSecretsSource>();

export function provideMigrationSecrets(dataSource: DataSource, source: MigrationSecretsSource | undefined): void {
  if (source) sources.set(dataSource, source);
  else sources.delete(dataSource);
}

/**
 * The key for a migration that must encrypt or decrypt; throws, naming the migration and how to run
 * it, when the process running the migrations gave none.
 */
export function migrationSecrets(dataSource: DataSource, migration: string, why: string): MigrationSecretBox {
  const source = sources.get(dataSource);
  if (!source)
    throw new Error(
      `Migration ${migration} ${why} and needs the secret key, but was run without it. ` +
        'Run migrations with `fieldcast migrate` or by starting Fieldcast (both load FIELDCAST_SECRET_KEY or the key file).',
    );
  return typeof source === 'function' ? source() : source;
}
