/**
 * Zendesk OAuth connections whose access tokens expire, against the sandbox (real node-zendesk, a
 * token endpoint that rotates refresh tokens as Zendesk does): the connector refreshes ahead of the
 * stated expiry through a whole sync and write-back, parallel calls share one refresh, and through the
 * real sync runner on real PostgreSQL the rotated tokens are stored (encrypted) and keep the next runs
 * going, while a refresh token the account's admin revoked marks the connection needs_reauth and
 * Fieldcast stops calling Zendesk.
 */
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@fieldcast/common';
import type { ConnectionCredentials, ConnectorContext, WriteOp } from '@fieldcast/connector-sdk';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import { ZendeskConnector } from '@fieldcast/connector-zendesk';
import { ConnectionEntity, ModelArtifactEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createZendeskSandbox } from '@fieldcast/sandbox';
import { trainModel, type LabeledRecord } from '@fieldcast/scoring';
import { ConnectorRegistry, DatabaseModelProvider, decryptSecrets, encryptSecrets, SyncRunner } from '@fieldcast/sync-engine';
import type { ZendeskTestCredentials } from '../../../apps/sandbox/test/zendesk-sandbox.helpers';
import { syncAll, zendeskDemoTickets } from './zendesk-connector.helpers';

jest.setTimeout(90_000);

type OAuth = Extract<ConnectionCredentials, { kind: 'oauth2' }>;

/** Every access token the sandbox issues lives this long: several expire during one run. */
const TOKEN_TTL_SECONDS = 1;
const REFRESHED_WARNING = 'rejected the access token; retrying with a refreshed token';

/** A learnable toy history for escalation risk: enterprise and premium customers escalate more often. */
function trainedEscalationModel() {
  const odds: Record<string, number> = { tier_enterprise: 0.6, tier_premium: 0.4, tier_standard: 0.15, tier_free: 0.05 };
  const tiers = Object.keys(odds);
  const rows: LabeledRecord[] = Array.from({ length: 1200 }, (_, i) => {
    const tier = tiers[i % tiers.length]!;
    return { id: `h${i}`, fields: { customerTier: tier, channel: i % 3 ? 'email' : 'web' }, label: ((i * 7919) % 100) / 100 < odds[tier]! };
  });
  const result = trainModel('escalation-risk', rows, {
    fields: [
      { name: 'customerTier', type: 'categorical', label: 'Customer tier' },
      { name: 'channel', type: 'categorical', label: 'Channel' },
    ],
    version: 'zd-esc-test-1',
  });
  expect(result.autoWriteAllowed).toBe(true);
  return result.artifact;
}

describe('Zendesk OAuth connection with expiring access tokens', () => {
  const sandbox = createZendeskSandbox({ tokenTtlSeconds: TOKEN_TTL_SECONDS });
  let base = '';
  let creds: ZendeskTestCredentials;
  const connector = new ZendeskConnector({ retryBaseMs: 50, write: { pollIntervalMs: 30 } });

  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> =>
    (await (await fetch(`${base}/__sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as T;
  const tokenCalls = async () => (await control<{ calls: Record<string, number> }>('GET', 'stats')).calls['POST /oauth/tokens'] ?? 0;
  /** The account's current OAuth credentials: reset re-issues the demo token with a fresh lifetime. */
  const oauthCredentials = async (): Promise<OAuth> => {
    const c = await control<ZendeskTestCredentials & { oauth: { expiresAt: string } }>('GET', 'credentials');
    return {
      kind: 'oauth2',
      accessToken: c.oauth.accessToken,
      refreshToken: c.oauth.refreshToken,
      expiresAt: Date.parse(c.oauth.expiresAt),
      clientId: c.oauth.clientId,
      clientSecret: c.oauth.clientSecret,
    };
  };
  const context = (credentials: ConnectionCredentials) => {
    const refreshed: OAuth[] = [];
    const warnings: string[] = [];
    const ctx: ConnectorContext = {
      connectionId: `conn-zd-oauth-${Math.random().toString(36).slice(2)}`,
      credentials,
      settings: { baseUrl: base, integrationUserId: String(creds.integrationUserId) },
      budget: new CountingRateBudget(),
      log: { debug: () => undefined, info: () => undefined, warn: (m, d) => warnings.push(`${m} ${String(d?.error ?? '')}`) },
      onCredentialsRefreshed: async (next) => void refreshed.push(next as OAuth),
    };
    return { ctx, refreshed, warnings };
  };

  beforeAll(async () => {
    base = await sandbox.start(0);
    creds = sandbox.credentials() as unknown as ZendeskTestCredentials;
  });
  afterAll(() => sandbox.stop());
  beforeEach(async () => {
    await control('POST', 'reset');
    await control('POST', 'settings', { exportBufferSeconds: 0, exportRequestsPerMinute: 1000, jobStepMs: 5 });
  });

  it('refreshes ahead of the stated expiry through a whole sync and write-back: every new pair stored first, never a 401', async () => {
    sandbox.seed({ leads: [], tickets: zendeskDemoTickets(600) });
    // Latency so that the run outlives several 1-second tokens.
    await control('POST', 'faults', { latencyMs: 60 });
    const { ctx, refreshed, warnings } = context(await oauthCredentials());
    const run = await syncAll(connector, ctx, null, { pageSize: 50 });
    expect(run.records).toHaveLength(600);
    // Closed tickets refuse updates (as on Zendesk): write to open ones only.
    const ops: WriteOp[] = run.records
      .filter((r) => r.fields.status !== 'closed')
      .slice(0, 300)
      .map((r) => ({
        opId: `op-${r.externalId}`,
        externalId: r.externalId,
        fields: { 'Fieldcast Escalation Risk': 42 },
      }));
    await connector.ensureFields(
      ctx,
      'tickets',
      connector.fieldSpecs(ctx).filter((f) => f.name === 'Fieldcast Escalation Risk'),
    );
    const results = await connector.writeBatch(ctx, { stream: 'tickets', ops });
    expect(results.filter((r) => r.status !== 'written')).toEqual([]);
    await control('POST', 'faults', { latencyMs: 0 });

    expect(refreshed.length).toBeGreaterThanOrEqual(2);
    expect(await tokenCalls()).toBe(refreshed.length);
    expect(warnings.filter((w) => w.includes(REFRESHED_WARNING))).toEqual([]);
    // Rotation: each stored refresh token is new, and only the last stored pair is still alive.
    const refreshTokens = refreshed.map((c) => c.refreshToken);
    expect(new Set(refreshTokens).size).toBe(refreshTokens.length);
    expect(refreshTokens).not.toContain(creds.oauth.refreshToken);
    const writes = await control<{ writes: Array<{ by: string }> }>('GET', 'writes?object=tickets');
    expect(writes.writes.filter((w) => w.by === String(creds.integrationUserId))).toHaveLength(300);
  });

  it('parallel calls that all meet an expired token share one refresh (a second one would be refused: the refresh token rotates)', async () => {
    sandbox.seed({ leads: [], tickets: zendeskDemoTickets(40) });
    // A token with no stated lifetime is used until Zendesk rejects it.
    const { ctx, refreshed, warnings } = context({ ...(await oauthCredentials()), expiresAt: undefined });
    await connector.fetchByIds(ctx, 'tickets', ['1']);
    await control('POST', 'oauth/expire');
    const batches = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        connector.fetchByIds(
          ctx,
          'tickets',
          Array.from({ length: 5 }, (_, j) => String(i * 5 + j + 1)),
        ),
      ),
    );
    expect(batches.flat()).toHaveLength(30);
    expect(refreshed).toHaveLength(1);
    expect(await tokenCalls()).toBe(1);
    expect(warnings.filter((w) => w.includes(REFRESHED_WARNING)).length).toBeGreaterThanOrEqual(1);
  });

  describe('through the sync runner on PostgreSQL', () => {
    let db: TestDatabase;
    const secrets = new SecretBox([randomBytes(32)]);
    const warnings: string[] = [];
    let runner: SyncRunner;
    let connection: ConnectionEntity;
    const stored = async () =>
      decryptSecrets(secrets, await db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: connection.id }))
        .credentials as OAuth;

    beforeAll(async () => {
      db = await createTestDatabase();
      runner = new SyncRunner({
        dataSource: db.dataSource,
        secrets,
        registry: new ConnectorRegistry([connector]),
        // The connection's own escalation model only (the shipped defaults are not cleared for automatic writes).
        models: new DatabaseModelProvider(db.dataSource, () => undefined),
        log: { debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m) },
      });
    });
    afterAll(() => db?.drop());

    it('keeps syncing and writing while tokens expire; the rotated pair is stored encrypted and carries the next run; a revoked refresh token marks the connection needs_reauth', async () => {
      // Closed tickets refuse updates (as on Zendesk), which is not under test here.
      const open = zendeskDemoTickets(400).map((t) => (t.status === 'closed' ? { ...t, status: 'solved' } : t));
      sandbox.seed({ leads: [], tickets: open });
      await control('POST', 'faults', { latencyMs: 40 });
      const repo = db.dataSource.getRepository(ConnectionEntity);
      connection = await repo.save(
        repo.create({
          name: 'zendesk oauth',
          vendor: 'zendesk',
          authMode: 'oauth2',
          status: 'active',
          settings: { baseUrl: base, integrationUserId: String(creds.integrationUserId) },
        }),
      );
      await db.dataSource.getRepository(ModelArtifactEntity).save({
        connectionId: connection.id,
        task: 'escalation-risk',
        version: 1,
        status: 'champion',
        artifact: trainedEscalationModel() as unknown as Record<string, unknown>,
        trainedAt: new Date(),
      });
      const initial = await oauthCredentials();
      connection.secretsCiphertext = encryptSecrets(secrets, connection.id, { credentials: initial });
      await repo.save(connection);

      const first = await runner.run({ connectionId: connection.id, stream: 'tickets', mode: 'full', trigger: 'test', pageSize: 100 });
      expect(first).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
      if (first.status === 'skipped') throw new Error(first.reason);
      expect(first.counts.fetched).toBeGreaterThanOrEqual(400);
      // Every ticket got its escalation risk written, by the integration user, across several token lifetimes.
      const writes = await control<{ writes: Array<{ id: string; by: string }> }>('GET', 'writes?object=tickets');
      const ours = writes.writes.filter((w) => w.by === String(creds.integrationUserId));
      expect(new Set(ours.map((w) => w.id)).size).toBe(400);
      const afterFirst = await stored();
      expect(await tokenCalls()).toBeGreaterThanOrEqual(2);
      expect(afterFirst.refreshToken).not.toBe(initial.refreshToken);
      expect(afterFirst.accessToken).not.toBe(initial.accessToken);
      expect(afterFirst.expiresAt).toBeGreaterThan(Date.now() - 60_000);
      // Stored encrypted: the row holds no token in clear.
      const row = await repo.findOneByOrFail({ id: connection.id });
      expect(row.secretsCiphertext).not.toContain(afterFirst.refreshToken!);
      expect(row.secretsCiphertext).not.toContain(afterFirst.accessToken);

      // The next run starts from what was stored (its access token long expired): it refreshes with the stored, rotated refresh token.
      await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_SECONDS * 1000 + 100));
      await control('POST', 'tickets/touch', { first: 20, changes: { priority: 'urgent' } });
      const second = await runner.run({ connectionId: connection.id, stream: 'tickets', mode: 'incremental', trigger: 'test' });
      expect(second).toMatchObject({ status: 'succeeded' });
      expect((await stored()).refreshToken).not.toBe(afterFirst.refreshToken);
      await control('POST', 'faults', { latencyMs: 0 });

      // The account's admin revokes Fieldcast's tokens through the OAuth Tokens API.
      const admin = { Authorization: `Basic ${Buffer.from(`${creds.email}/token:${creds.apiToken}`).toString('base64')}` };
      const { tokens } = (await (await fetch(`${base}/api/v2/oauth/tokens.json`, { headers: admin })).json()) as {
        tokens: Array<{ id: number }>;
      };
      expect(tokens.length).toBeGreaterThan(0);
      for (const t of tokens)
        expect((await fetch(`${base}/api/v2/oauth/tokens/${t.id}.json`, { method: 'DELETE', headers: admin })).status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_SECONDS * 1000 + 100));
      const callsBefore = (await control<{ totalCalls: number }>('GET', 'stats')).totalCalls;
      const revoked = await runner.run({ connectionId: connection.id, stream: 'tickets', mode: 'incremental', trigger: 'test' });
      expect(revoked).toMatchObject({ status: 'failed' });
      const after = await repo.findOneByOrFail({ id: connection.id });
      expect(after.status).toBe('needs_reauth');
      expect(after.lastError).toContain('Zendesk refused the saved refresh token');
      expect(after.lastError).toContain('reconnect Zendesk');
      // One refused refresh, no retry of it, no API call with a dead token.
      expect((await control<{ totalCalls: number }>('GET', 'stats')).totalCalls - callsBefore).toBe(1);
      // Until someone reconnects, Fieldcast does not call Zendesk for this connection.
      expect(await runner.run({ connectionId: connection.id, stream: 'tickets', mode: 'incremental', trigger: 'test' })).toMatchObject({
        status: 'skipped',
        reason: 'connection is needs_reauth',
      });
      expect((await control<{ totalCalls: number }>('GET', 'stats')).totalCalls - callsBefore).toBe(1);
    });
  });
});
