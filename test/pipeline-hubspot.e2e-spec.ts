/**
 * The product's main loop against the HubSpot sandbox, with the real SDK over HTTP and real
 * PostgreSQL: the first sync provisions the fields, then sync → score → outbox → batched write-back,
 * every changed record written exactly once according to the sandbox's own write log; a write HubSpot
 * rejects dead-letters with its error and is replayed once fixed; a re-sync writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@fieldcast/common';
import { createHubSpotConnector } from '@fieldcast/connector-hubspot';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import { ConnectionEntity, ModelArtifactEntity, WritebackOutboxEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createHubSpotSandbox, generateDemoData } from '@fieldcast/sandbox';
import { trainedLeadArtifact } from '../bench/pipeline-bed';
import {
  buildConnectorContext,
  ConnectorRegistry,
  DatabaseModelProvider,
  encryptSecrets,
  OutboxDrainer,
  SyncRunner,
} from '@fieldcast/sync-engine';

const CONTACTS = 300;

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
        settings: { baseUrl, options: { appId: String(creds.appId), searchMinIntervalMs: 0, searchSettleMs: 0 } },
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
    await db.dataSource.getRepository(ModelArtifactEntity).save({
      connectionId: connection.id,
      task: 'lead-score',
      version: 1,
      status: 'champion',
      artifact: trainedLeadArtifact('test-1'),
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

  it('first sync provisions the fields and writes every contact exactly once, in full batches', async () => {
    const budgetBefore = runner.budgetFor(connection.id).snapshot().callsByEndpoint;
    const outcome = await runner.run({ connectionId: connection.id, stream: 'contacts', mode: 'full', trigger: 'test' });
    expect(outcome).toMatchObject({
      status: 'succeeded',
      // Contacts written back on earlier pages come round again with a newer stamp: re-read, not rescored.
      counts: { scored: CONTACTS, failed: 0 },
    });
    if (outcome.status !== 'skipped') {
      expect(outcome.counts.written).toBeGreaterThanOrEqual(CONTACTS * 3);
      expect(outcome.counts.fetched - outcome.counts.skippedUnchanged).toBe(CONTACTS);
    }
    const log = await writes();
    const ids = log.map((w) => w.id);
    expect(new Set(ids).size).toBe(CONTACTS);
    expect(ids).toHaveLength(CONTACTS);
    const score = Number(log[0]!.fields['fieldcast_lead_score']);
    expect(score).toBeGreaterThanOrEqual(1);
    expect(score).toBeLessThanOrEqual(99);
    // Batched at HubSpot's maximum: 300 contacts in 3 batch/update calls, plus one when the connector
    // splits a batch by property set (records whose reasons were already empty carry one field fewer).
    const after = runner.budgetFor(connection.id).snapshot().callsByEndpoint;
    const batchCalls = Object.entries(after)
      .filter(([endpoint]) => /batch\/update/.test(endpoint))
      .reduce((n, [endpoint, count]) => n + count - (budgetBefore[endpoint] ?? 0), 0);
    expect(batchCalls).toBeGreaterThanOrEqual(3);
    expect(batchCalls).toBeLessThanOrEqual(4);
  }, 60_000);

  it('a write HubSpot rejects is dead-lettered with its error and replayed once fixed', async () => {
    // The admin renames the score field to one that does not exist yet, and a CRM user edits a contact.
    connection.settings = { ...connection.settings, fieldNames: { lead_score: 'fieldcast_lead_score_v2' } };
    await db.dataSource.getRepository(ConnectionEntity).save(connection);
    const contactId = (await writes())[0]!.id;
    const edited = await fetch(`${baseUrl}/__sandbox/records/contacts/${contactId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { jobtitle: 'Chief Revenue Officer' } }),
    });
    expect(edited.status).toBe(200);
    const outcome = await runner.run({ connectionId: connection.id, stream: 'contacts', mode: 'incremental', trigger: 'test' });
    // Only the edited contact changed. The run may also re-read contacts whose modstamp our own writes
    // bumped (the sync reads a page ahead of its writes); those come back unchanged and are skipped.
    expect(outcome).toMatchObject({ status: 'partial', counts: { scored: 1 } });
    if (outcome.status !== 'skipped') expect(outcome.counts.fetched - outcome.counts.skippedUnchanged).toBe(1);
    const dead = await db.dataSource.getRepository(WritebackOutboxEntity).findBy({ connectionId: connection.id, status: 'dead' });
    expect(dead.map((d) => d.externalId)).toEqual([contactId, contactId, contactId, contactId].slice(0, dead.length));
    expect(dead[0]!.lastError).toMatch(/propert/i);
    expect(dead[0]!.vendorErrorCode ?? dead[0]!.errorCode).toBeTruthy();

    const connector = registry.get('hubspot');
    const ctx = buildConnectorContext({
      dataSource: db.dataSource,
      secrets,
      connection,
      budget: new CountingRateBudget(),
      log: { debug() {}, info() {}, warn() {} },
    });
    const stream = registry.stream('hubspot', 'contacts');
    const spec = stream.defaultFields.find((f) => f.key === 'lead_score')!;
    await connector.ensureFields(ctx, 'contacts', [{ ...spec, name: 'fieldcast_lead_score_v2' }]);
    await db.dataSource
      .getRepository(WritebackOutboxEntity)
      .update({ connectionId: connection.id, status: 'dead' }, { status: 'pending', attempts: 0, nextAttemptAt: new Date(0) });
    const before = (await writes()).length;
    const drained = await new OutboxDrainer({ dataSource: db.dataSource, connector, ctx, stream }).drain();
    expect(drained).toMatchObject({ deadLettered: 0 });
    const after = await writes();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ id: contactId });
    expect(Number(after.at(-1)!.fields['fieldcast_lead_score_v2'])).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('shadow mode previews without writing; turning it off writes the previewed values', async () => {
    connection.streams = {
      contacts: { enabled: true, tasks: ['lead-score'], fields: {}, writePolicy: 'overwrite', autoWriteThreshold: 0, shadowMode: true },
    };
    await db.dataSource.getRepository(ConnectionEntity).save(connection);
    const contactId = (await writes())[1]!.id;
    await fetch(`${baseUrl}/__sandbox/records/contacts/${contactId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { jobtitle: 'Head of Partnerships' } }),
    });
    const before = (await writes()).length;
    const shadowRun = await runner.run({ connectionId: connection.id, stream: 'contacts', mode: 'incremental', trigger: 'test' });
    expect(shadowRun).toMatchObject({ counts: { scored: 1, written: 0 } });
    expect((await writes()).length).toBe(before);
    const previews = await db.dataSource.getRepository(WritebackOutboxEntity).findBy({ connectionId: connection.id, status: 'shadow' });
    expect(previews.length).toBeGreaterThan(0);
    expect(new Set(previews.map((p) => p.externalId))).toEqual(new Set([contactId]));

    connection.streams = { contacts: { ...connection.streams['contacts']!, shadowMode: false } };
    await db.dataSource.getRepository(ConnectionEntity).save(connection);
    await runner.run({ connectionId: connection.id, stream: 'contacts', mode: 'incremental', trigger: 'test' });
    const after = await writes();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ id: contactId });
  }, 60_000);

  it('a re-sync where nothing changed writes nothing (our own writes do not echo back as changes)', async () => {
    const before = (await writes()).length;
    const outcome = await runner.run({ connectionId: connection.id, stream: 'contacts', mode: 'incremental', trigger: 'test' });
    expect(outcome.status).toBe('succeeded');
    if (outcome.status !== 'skipped') expect(outcome.counts.written).toBe(0);
    expect((await writes()).length).toBe(before);
  }, 60_000);
});
