export * from './entities';
export * from './data-source.factory';
export * from './embedded-postgres.manager';
export type { MigrationSecretBox, MigrationSecretsSource } from './migration-secrets';
