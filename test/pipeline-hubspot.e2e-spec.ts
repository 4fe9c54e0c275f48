/**
 * The product's main loop against the HubSpot sandbox, with the real SDK over HTTP and real
 * PostgreSQL: sync → score → outbox → batched write-back; a field that does not exist yet dead-letters
 * with HubSpot's own error and is replayed after provisioning; a re-sync writes nothing; every changed
 * record is written exactly once according to the sandbox's own write log.
 */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@fieldcast/common';
import { createHubSpotConnector } from '@fieldcast/connector-hubspot';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import { ConnectionEntity, ModelArtifactEntity, WritebackOutboxEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createHubSpotSandbox, generateDemoData } from '@fieldcast/sandbox';
import { trainModel, type LabeledRecord } from '@fieldcast/scoring';
import {
  buildConnectorContext,
  ConnectorRegistry,
  DatabaseModelProvider,
  encryptSecrets,
  OutboxDrainer,
  SyncRunner,
} from '@fieldcast/sync-engine';

const CONTACTS = 300;

function trainedLeadModel() {
  // A learnable toy history: referrals and webinars convert, cold calls do not.
  const sources = ['REFERRALS', 'OFFLINE', 'PAID_SEARCH', 'ORGANIC_SEARCH', 'DIRECT_TRAFFIC'];
  const rows: LabeledRecord[] = [];
  for (let i = 0; i < 1200; i++) {
    const source = sources[i % sources.length]!;
    const p = source === 'REFERRALS' ? 0.7 : source === 'ORGANIC_SEARCH' ? 0.35 : 0.08;
    rows.push({
      id: `h${i}`,
      fields: { hs_analytics_source: source, jobtitle: i % 3 ? 'VP Sales' : 'Intern' },
      label: ((i * 7919) % 100) / 100 < p,
    });
  }
  const result = trainModel('lead-score', rows, {
    fields: [
      { name: 'hs_analytics_source', type: 'categorical', label: 'Source' },
      { name: 'jobtitle', type: 'text', label: 'Job title' },
    ],
    version: 'test-1',
  });
  expect(result.autoWriteAllowed).toBe(true);
  return result.artifact;
}

describe('pipeline: HubSpot contacts → lead score → written back', () => {
  let db: TestDatabase;
  const sandbox = createHubSpotSandbox({
    data: generateDemoData({ leads: CONTACTS, tickets: 0, seed: 7 }),
    rateLimit: { searchPerSecond: 0, maxPerWindow: 100_000 },
  });
  let baseUrl = '';
  const secrets = new SecretBox([randomBytes(32)]);
  const registry = new ConnectorRegistry([createHubSpotConnector()]);
  let runner: SyncRunner;
  let connection: ConnectionEntity;

  beforeAll(async () => {
    baseUrl = await sandbox.start(0);
    db = await createTestDatabase();
    const creds = sandbox.credentials() as Record<string, string | number>;
    const repo = db.dataSource.getRepository(ConnectionEntity);
    connection = await repo.save(
      repo.create({
        name: 'hubspot test',
        vendor: 'hubspot',
        authMode: 'oauth2',
        status: 'active',
        settings: { baseUrl, options: { appId: String(creds.appId), searchMinIntervalMs: 0 } },
      }),
    );
    connection.secretsCiphertext = encryptSecrets(secrets, connection.id, {
      credentials: {
        kind: 'oauth2',
        accessToken: String(creds.accessToken),
        refreshToken: String(creds.refreshToken),
        expiresAt: Date.now() + 1_800_000,
        clientId: String(creds.clientId),
        clientSecret: String(creds.clientSecret),
      },
    });
    await repo.save(connection);
    await db.dataSource
      .getRepository(ModelArtifactEntity)
      .save({
        connectionId: connection.id,
        task: 'lead-score',
        version: 1,
        status: 'champion',
        artifact: trainedLeadModel() as unknown as Record<string, unknown>,
        trainedAt: new Date(),
      });
    runner = new SyncRunner({
      dataSource: db.dataSource,
      secrets,
      registry,
      models: new DatabaseModelProvider(db.dataSource, () => undefined),
    });
  }, 60_000);

  afterAll(async () => {
    await sandbox.stop();
    await db?.drop();
  });

  const writes = async () =>
    ((await (await fetch(`${baseUrl}/__sandbox/writes`)).json()) as { writes?: Array<{ id: string; fields: Record<string, unknown> }> })
      .writes ?? [];

  it('dead-letters writes to fields that do not exist, with HubSpot’s own error', async () => {
    const outcome = await runner.run({ connectionId: connection.id, stream: 'contacts', mode: 'full', trigger: 'test' });
    expect(outcome).toMatchObject({ status: 'partial', counts: { fetched: CONTACTS, scored: CONTACTS, written: 0 } });
    const dead = await db.dataSource.getRepository(WritebackOutboxEntity).findBy({ connectionId: connection.id, status: 'dead' });
    expect(dead.length).toBeGreaterThan(0);
    expect(dead[0]!.lastError).toMatch(/propert/i);
    expect(await writes()).toHaveLength(0);
  }, 60_000);

  it('after provisioning the fields, replaying the dead letters writes every contact exactly once', async () => {
    const connector = registry.get('hubspot');
    const budget = new CountingRateBudget();
    const ctx = buildConnectorContext({
      dataSource: db.dataSource,
      secrets,
      connection,
      budget,
      log: { debug() {}, info() {}, warn() {} },
    });
    const stream = registry.stream('hubspot', 'contacts');
    const provisioned = await connector.ensureFields(ctx, 'contacts', stream.defaultFields);
    expect(provisioned.fields.every((f) => f.status !== 'failed')).toBe(true);
    await db.dataSource
      .getRepository(WritebackOutboxEntity)
      .update({ connectionId: connection.id, status: 'dead' }, { status: 'pending', attempts: 0, nextAttemptAt: new Date(0) });
    const drained = await new OutboxDrainer({ dataSource: db.dataSource, connector, ctx, stream }).drain();
    expect(drained.deadLettered).toBe(0);
    expect(drained.batches).toBe(Math.ceil(CONTACTS / 100));
    const log = await writes();
    const ids = log.map((w) => w.id);
    expect(new Set(ids).size).toBe(CONTACTS);
    expect(ids).toHaveLength(CONTACTS);
    const score = Number(log[0]!.fields['fieldcast_lead_score']);
    expect(score).toBeGreaterThanOrEqual(1);
    expect(score).toBeLessThanOrEqual(99);
    // Batched at HubSpot's maximum: 3 batch/update calls for 300 contacts.
    expect(budget.snapshot().callsByEndpoint).toMatchObject({ 'POST /crm/v3/objects/contacts/batch/update': 3 });
  }, 60_000);

  it('a re-sync where nothing changed writes nothing (our own writes do not echo back as changes)', async () => {
    const before = (await writes()).length;
    const outcome = await runner.run({ connectionId: connection.id, stream: 'contacts', mode: 'incremental', trigger: 'test' });
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'skipped') expect(outcome.counts.written).toBe(0);
    expect((await writes()).length).toBe(before);
  }, 60_000);
});
