/**
 * Integration and e2e tests run on a real PostgreSQL: DATABASE_URL when set (CI uses the machine's
 * server), otherwise an embedded server started here in a throw-away folder on a free port.
 * Each test file then creates its own database (libs/database/src/testing), so files run in parallel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { EmbeddedPostgres } from '../libs/database/src/embedded-postgres.manager';

declare global {
  var __FIELDCAST_TEST_PG__: EmbeddedPostgres | undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup(): Promise<void> {
  if (process.env.FIELDCAST_TEST_SERVER_URL) return; // a second project in the same run: already set up
  if (process.env.DATABASE_URL) {
    process.env.FIELDCAST_TEST_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fieldcast-test-pg-'));
  const pg = new EmbeddedPostgres({ dataDir, port: await freePort() });
  process.env.FIELDCAST_TEST_SERVER_URL = await pg.start();
  globalThis.__FIELDCAST_TEST_PG__ = pg;
  console.log(`\n[test] no DATABASE_URL: started an embedded PostgreSQL in ${dataDir}`);
}
