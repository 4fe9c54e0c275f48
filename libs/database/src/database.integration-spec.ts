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

  it('matches the entities: the migrations leave nothing for TypeORM to change', async () => {
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('moves outbox rows to one row per record write, keeping history, and back', async () => {
    const connection = await db.dataSource.getRepository(ConnectionEntity).save({ name: 'm', vendor: 'hubspot', authMode: 'oauth2' });
    const perRecord = MIGRATIONS.findIndex((m) => m.name === 'OutboxRowPerRecord1795912000000');
    for (let i = MIGRATIONS.length; i > perRecord; i--) await db.dataSource.undoLastMigration();
    await db.dataSource.query(
      `INSERT INTO writeback_outbox (idempotency_key, connection_id, stream, object, external_id, field, value, model_version, status, attempts, last_error)
       VALUES ('old-1', $1, 'contacts', 'contacts', '7', 'fieldcast_lead_score', '87', 'v1', 'dead', 6, 'PROPERTY_DOESNT_EXIST')`,
      [connection.id],
    );
    await db.dataSource.runMigrations();
    const outbox = db.dataSource.getRepository(WritebackOutboxEntity);
    expect(await outbox.findOneByOrFail({ idempotencyKey: 'old-1' })).toMatchObject({
      fields: { fieldcast_lead_score: 87 },
      status: 'dead',
      attempts: 6,
      lastError: 'PROPERTY_DOESNT_EXIST',
    });
    await outbox.insert({
      connectionId: connection.id,
      stream: 'contacts',
      object: 'contacts',
      externalId: '8',
      fields: { fieldcast_lead_score: 40, fieldcast_lead_tier: 'C' },
      modelVersion: 'v2',
      idempotencyKey: 'new-1',
    });
    await db.dataSource.undoLastMigration();
    const split = (await db.dataSource.query(
      `SELECT idempotency_key, field, value FROM writeback_outbox WHERE external_id IN ('7', '8') ORDER BY idempotency_key`,
    )) as Array<{ idempotency_key: string; field: string; value: unknown }>;
    expect(split).toEqual([
      { idempotency_key: 'new-1', field: 'fieldcast_lead_score', value: 40 },
      { idempotency_key: 'new-1|fieldcast_lead_tier', field: 'fieldcast_lead_tier', value: 'C' },
      { idempotency_key: 'old-1', field: 'fieldcast_lead_score', value: 87 },
    ]);
    await db.dataSource.runMigrations();
    expect(await outbox.countBy({ connectionId: connection.id })).toBe(3);
  });

  it('enforces one outbox row per idempotency key, one inbox row per provider event, one cursor per stream', async () => {
    const connection = await db.dataSource.getRepository(ConnectionEntity).save({ name: 'c', vendor: 'hubspot', authMode: 'oauth2' });
    const outbox = db.dataSource.getRepository(WritebackOutboxEntity);
    const row = {
      connectionId: connection.id,
      stream: 'contacts',
      object: 'contacts',
      externalId: '1',
      fields: { fieldcast_lead_score: 87 },
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
