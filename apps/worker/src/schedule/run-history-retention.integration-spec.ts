import { ConnectionEntity, SyncRunEntity, SyncRunLogEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { loadConfig } from '@fieldcast/config';
import { createLogger } from '@fieldcast/runtime';
import { RunHistoryRetention } from './run-history-retention';

describe('RunHistoryRetention (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('deletes finished runs (and their log lines) older than the configured days, never running ones', async () => {
    const conn = await db.dataSource.getRepository(ConnectionEntity).save({ name: 'c', vendor: 'hubspot', authMode: 'oauth2' });
    const runs = db.dataSource.getRepository(SyncRunEntity);
    const old = await runs.save({ connectionId: conn.id, stream: 'contacts', trigger: 'schedule', status: 'succeeded' });
    const oldRunning = await runs.save({ connectionId: conn.id, stream: 'tickets', trigger: 'schedule', status: 'running' });
    const recent = await runs.save({ connectionId: conn.id, stream: 'contacts', trigger: 'schedule', status: 'failed' });
    await db.dataSource.query(`UPDATE sync_run SET created_at = now() - interval '40 days' WHERE id IN ($1, $2)`, [old.id, oldRunning.id]);
    await db.dataSource.getRepository(SyncRunLogEntity).insert({ runId: old.id, level: 'info', message: 'x' });
    const retention = new RunHistoryRetention(
      db.dataSource,
      loadConfig({ FIELDCAST_RUN_HISTORY_DAYS: '30' }),
      createLogger({ level: 'silent' }),
    );
    expect(await retention.prune()).toBe(1);
    expect((await runs.find()).map((r) => r.id).sort()).toEqual([oldRunning.id, recent.id].sort());
    expect(await db.dataSource.getRepository(SyncRunLogEntity).count()).toBe(0);
  });
});
