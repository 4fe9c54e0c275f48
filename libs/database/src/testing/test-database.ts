/**
 * A fresh, migrated database per test file on the test server (see test/global-setup.ts), so test
 * files can run in parallel and never see each other's rows. Dropped again by `drop()`.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../data-source.factory';

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = process.env.FIELDCAST_TEST_SERVER_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('No test PostgreSQL: run through `npm test` (its global setup starts one) or set DATABASE_URL');
  return url;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const server = new URL(testServerUrl());
  const name = `fc_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(server, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), poolSize: 5, applicationName: 'fieldcast-test' });
  await dataSource.initialize();
  if (options.migrate !== false) await runMigrations(dataSource);
  return {
    url: url.toString(),
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await withAdminClient(server, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(server: URL, fn: (client: Client) => Promise<T>): Promise<T> {
  const adminUrl = new URL(server);
  adminUrl.pathname = '/postgres';
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
