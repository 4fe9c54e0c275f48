import { randomBytes } from 'node:crypto';
import { SecretBox, sleep } from '@fieldcast/common';
import type { ConnectionCredentials } from '@fieldcast/connector-sdk';
import { ConnectionEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { buildConnectorContext, decryptSecrets, encryptSecrets } from './connection-context.factory';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const budget = { acquire: async () => undefined, recordCall: () => undefined, observe: () => undefined } as never;

describe('connector context credentials (real PostgreSQL)', () => {
  let db: TestDatabase;
  const secrets = SecretBox.fromBase64(randomBytes(32).toString('base64'));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function connection(credentials: ConnectionCredentials): Promise<ConnectionEntity> {
    const repo = db.dataSource.getRepository(ConnectionEntity);
    const row = await repo.save(repo.create({ name: `zendesk ${Math.random()}`, vendor: 'zendesk', authMode: 'oauth2', settings: {} }));
    row.secretsCiphertext = encryptSecrets(secrets, row.id, { credentials, webhookSigningSecret: 'whsec' });
    return repo.save(row);
  }

  const oauth = (accessToken: string, refreshToken: string): ConnectionCredentials => ({
    kind: 'oauth2',
    accessToken,
    refreshToken,
    expiresAt: Date.now() + 60_000,
    clientId: 'client',
    clientSecret: 'client-secret',
  });

  it('two processes refreshing at once: the second waits and starts from the first one’s rotated token', async () => {
    const row = await connection(oauth('a0', 'r0'));
    // Two contexts built from the same stored row, as two worker processes would.
    const first = buildConnectorContext({ dataSource: db.dataSource, secrets, connection: row, budget, log: silent });
    const second = buildConnectorContext({
      dataSource: db.dataSource,
      secrets,
      connection: { ...row } as ConnectionEntity,
      budget,
      log: silent,
    });
    const seen: string[] = [];
    let spent = 0;
    // A rotating vendor: each refresh token works once.
    const rotate = async (stored: ConnectionCredentials) => {
      const current = stored as Extract<ConnectionCredentials, { kind: 'oauth2' }>;
      seen.push(current.refreshToken!);
      await sleep(200);
      spent += 1;
      return oauth(`a${spent}`, `r${spent}`);
    };
    const [one, two] = await Promise.all([first.refreshCredentialsExclusively!(rotate), second.refreshCredentialsExclusively!(rotate)]);
    expect(seen).toEqual(['r0', 'r1']); // never r0 twice
    expect([one, two].map((c) => (c as { accessToken: string }).accessToken).sort()).toEqual(['a1', 'a2']);
    const saved = decryptSecrets(secrets, await db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: row.id }));
    expect(saved.credentials).toMatchObject({ accessToken: 'a2', refreshToken: 'r2' });
    expect(saved.webhookSigningSecret).toBe('whsec');
    // The contexts carry what they refreshed to.
    expect([first.credentials, second.credentials].map((c) => (c as { accessToken: string }).accessToken).sort()).toEqual(['a1', 'a2']);
  });

  it('a refresh that adopts the stored token writes nothing, and a failed refresh changes nothing', async () => {
    const row = await connection(oauth('a0', 'r0'));
    const ctx = buildConnectorContext({ dataSource: db.dataSource, secrets, connection: row, budget, log: silent });
    const before = (await db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: row.id })).secretsCiphertext;
    await ctx.refreshCredentialsExclusively!(async (stored) => stored);
    await expect(
      ctx.refreshCredentialsExclusively!(async () => {
        throw new Error('invalid_grant');
      }),
    ).rejects.toThrow('invalid_grant');
    const after = (await db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: row.id })).secretsCiphertext;
    expect(after).toBe(before);
  });

  it('a refreshed token is saved without reverting a webhook secret changed after the context was built', async () => {
    const row = await connection(oauth('a0', 'r0'));
    const ctx = buildConnectorContext({ dataSource: db.dataSource, secrets, connection: row, budget, log: silent });
    // An admin sets a new webhook secret while a sync (holding ctx) runs.
    const repo = db.dataSource.getRepository(ConnectionEntity);
    await repo.update(
      { id: row.id },
      { secretsCiphertext: encryptSecrets(secrets, row.id, { credentials: oauth('a0', 'r0'), webhookSigningSecret: 'rotated' }) },
    );
    await ctx.onCredentialsRefreshed(oauth('a1', 'r1'));
    const saved = decryptSecrets(secrets, await repo.findOneByOrFail({ id: row.id }));
    expect(saved).toMatchObject({ credentials: { accessToken: 'a1', refreshToken: 'r1' }, webhookSigningSecret: 'rotated' });
    expect(ctx.credentials).toMatchObject({ accessToken: 'a1' });
  });
});
