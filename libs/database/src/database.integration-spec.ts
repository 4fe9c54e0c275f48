import { QueryFailedError } from 'typeorm';
import { ConnectionEntity, SyncStateEntity, WebhookInboxEntity, WritebackOutboxEntity } from './entities';
import { MIGRATIONS } from './migrations';
import { createTestDatabase, type TestDatabase } from './testing';

describe('database schema (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('migrates up and down cleanly, and up again', async () => {
    const tables = async () =>
      (await db.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map(
        (r: { table_name: string }) => r.table_name,
      );
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'connection',
        'sync_state',
        'synced_record',
        'prediction',
        'writeback_outbox',
        'webhook_inbox',
        'model_artifact',
        'sync_run',
        'audit_log',
        'admin_user',
        'api_key',
      ]),
    );
    // Every migration down, newest first (an empty database has nothing to move, so no key is needed).
    for (let i = 0; i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration();
    expect(await tables()).toEqual(['fieldcast_migrations']);
    await db.dataSource.runMigrations();
    expect((await tables()).length).toBeGreaterThan(10);
  });

  it('enforces one outbox row per idempotency key, one inbox row per provider event, one cursor per stream', async () => {
    const connection = await db.dataSource.getRepository(ConnectionEntity).save({ name: 'c', vendor: 'hubspot', authMode: 'oauth2' });
    const outbox = db.dataSource.getRepository(WritebackOutboxEntity);
    const row = {
      connectionId: connection.id,
      stream: 'contacts',
      object: 'contacts',
      externalId: '1',
      field: 'fieldcast_lead_score',
      value: 87,
      modelVersion: 'v1',
      idempotencyKey: 'k1',
    };
    await outbox.insert(row);
    await expect(outbox.insert(row)).rejects.toBeInstanceOf(QueryFailedError);
    const inbox = db.dataSource.getRepository(WebhookInboxEntity);
    const event = { provider: 'hubspot', connectionId: connection.id, eventId: 'e1', rawBody: Buffer.from('[]') };
    await inbox.insert(event);
    await expect(inbox.insert(event)).rejects.toBeInstanceOf(QueryFailedError);
    const stored = await inbox.findOneByOrFail({ eventId: 'e1' });
    expect(stored.rawBody.toString()).toBe('[]');
    const states = db.dataSource.getRepository(SyncStateEntity);
    await states.insert({ connectionId: connection.id, stream: 'contacts', cursor: 'a' });
    await expect(states.insert({ connectionId: connection.id, stream: 'contacts', cursor: 'b' })).rejects.toBeInstanceOf(QueryFailedError);
  });
});
