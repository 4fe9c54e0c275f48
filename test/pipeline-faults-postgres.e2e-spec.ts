/**
 * PostgreSQL restarts in the middle of a sync. The worker is a real process on its own embedded
 * PostgreSQL (started here on a temp folder and a free port, stopped and started again mid-run).
 * Nobody restarts or nudges the worker: once the database is back it must still be alive, take the
 * next sync, and the sandbox's write log must show every contact written exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, EmbeddedPostgres, runMigrations, SyncRunEntity } from '@fieldcast/database';
import type { TestDatabase } from '@fieldcast/database/testing';
import { waitFor, waitForRun } from '../bench/pipeline-bed';
import { createFaultBed, type FaultBed } from './support/pipeline-fault-bed';

const CONTACTS = 800;
const DOWN_MS = 4000;

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

describe('PostgreSQL restart during a sync', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fieldcast-pg-restart-'));
  let pg: EmbeddedPostgres;
  let db: TestDatabase;
  let bed: FaultBed;

  beforeAll(async () => {
    pg = new EmbeddedPostgres({ dataDir, port: await freePort() });
    const url = await pg.start();
    const dataSource = createDataSource({ url, poolSize: 4, applicationName: 'fieldcast-test' });
    await dataSource.initialize();
    await runMigrations(dataSource);
    db = {
      url,
      dataSource,
      drop: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
      },
    };
    bed = await createFaultBed({ db });
  }, 80_000);

  afterAll(async () => {
    await bed?.close();
    await db?.drop();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('the worker survives the restart without help, the next sync completes, every contact written exactly once', async () => {
    const { control, connection } = await bed.hubspot(CONTACTS, 'pg restart');
    await control.faults({ latencyMs: 10 });
    const first = await bed.startSync(connection.id, { outboxLeaseSeconds: 1 });
    await waitFor('the first writes', async () => (await control.writes('contacts')).length >= 100, 40_000, 20);
    await pg.stop();
    const writesWhileDown = (await control.writes('contacts')).length;
    await new Promise((r) => setTimeout(r, DOWN_MS));
    await pg.start();
    // Nobody touched the worker: it is still the same process.
    expect(bed.worker.running).toBe(true);
    // The interrupted run: the report says what became of it.
    const interrupted = await waitFor(
      'the interrupted run to end (or to be left behind)',
      async () => {
        const r = await db.dataSource
          .getRepository(SyncRunEntity)
          .findOneBy({ id: first })
          .catch(() => null);
        return r && r.status !== 'queued' && r.status !== 'running' ? r : undefined;
      },
      10_000,
      250,
    ).catch(() => undefined);
    const next = await bed.startSync(connection.id, { outboxLeaseSeconds: 1 });
    const run = await waitForRun(db.dataSource, next, 40_000);
    console.log(
      `postgres restart: ${writesWhileDown} writes before the stop; interrupted run ${interrupted ? `${interrupted.status} (${interrupted.error})` : 'still running 10 s later'}; next run ${run.status} ${JSON.stringify(run.counts)}; worker alive ${bed.worker.running}`,
    );
    expect(bed.worker.running).toBe(true);
    expect(run.status).toBe('succeeded');
    await bed.expectExactlyOnce(control, connection.id, CONTACTS);
  }, 85_000);
});
