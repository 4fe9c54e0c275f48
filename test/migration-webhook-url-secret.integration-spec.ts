/**
 * Migration WebhookPathSecretEncrypted on a database in the state before it (Initial only) with
 * Salesforce connections whose outbound-message URL secret is in the clear-text column, run as an
 * operator runs it (the compiled `fieldcast migrate` in its own process): under a wrong key it
 * changes nothing and says which connection and what to do; under the right key the same secret
 * moves into the encrypted secrets (the URL pasted into Salesforce keeps working), the column is
 * gone, other rows are untouched, and no secret is printed. Then down (the secret back in the
 * column) and up again through runMigrations, which refuses to run without the key.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import { ConnectionEntity, runMigrations } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { decryptSecrets, encryptSecrets, type StoredSecrets } from '@fieldcast/sync-engine';
import { WEBHOOK_PROVIDERS } from '../apps/api/src/webhooks/webhook-providers';
import { provideMigrationSecrets } from '../libs/database/src/migration-secrets';
import { MIGRATIONS } from '../libs/database/src/migrations';
import { Initial1795831229928 } from '../migrations/1795831229928-Initial';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/apps/cli/src/main.js');
const MIGRATION = 'WebhookPathSecretEncrypted1795844021414';
/** Migrations added after this one: `fieldcast migrate` applies them too, and down passes them first. */
const LATER = MIGRATIONS.map((m) => m.name).slice(MIGRATIONS.map((m) => m.name).indexOf(MIGRATION) + 1);
const ORG = '00D5g000004XyZaEAK';

interface Row {
  id: string;
  vendor: string;
  secrets_ciphertext: string | null;
  webhook_path_secret?: string | null;
}

describe('migration: Salesforce URL secret from clear text into the encrypted secrets', () => {
  let db: TestDatabase;
  const key = randomBytes(32);
  const box = new SecretBox([key]);
  const pathSecret = randomBytes(24).toString('base64url');
  const orphanSecret = randomBytes(24).toString('base64url');
  const salesforceSecrets: StoredSecrets = {
    credentials: {
      kind: 'oauth2',
      accessToken: `at-${randomBytes(8).toString('hex')}`,
      refreshToken: `rt-${randomBytes(8).toString('hex')}`,
      clientId: 'cid',
      clientSecret: `cs-${randomBytes(8).toString('hex')}`,
    },
  } as StoredSecrets;
  const ids: Record<'salesforce' | 'orphan' | 'hubspot', string> = { salesforce: '', orphan: '', hubspot: '' };
  let hubspotEnvelope = '';

  const rows = async (): Promise<Map<string, Row>> =>
    new Map(((await db.dataSource.query(`SELECT *, id::text AS id FROM connection`)) as Row[]).map((r) => [r.id, r]));
  const hasColumn = async (): Promise<boolean> =>
    (
      (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'connection' AND column_name = 'webhook_path_secret'`,
      )) as Array<{ n: number }>
    )[0]!.n === 1;
  const applied = async (): Promise<string[]> =>
    ((await db.dataSource.query(`SELECT name FROM fieldcast_migrations ORDER BY id`)) as Array<{ name: string }>).map((r) => r.name);
  const migrate = (secretKey: Buffer) => {
    const run = spawnSync(process.execPath, [CLI, 'migrate', '--json'], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: db.url,
        FIELDCAST_SECRET_KEY: secretKey.toString('base64'),
        FIELDCAST_DEMO: 'false',
        LOG_LEVEL: 'warn',
      },
      timeout: 60_000,
    });
    const output = run.stdout + run.stderr;
    // Whatever happens, no secret is printed.
    for (const secret of [
      pathSecret,
      orphanSecret,
      salesforceSecrets.credentials.kind === 'oauth2' ? salesforceSecrets.credentials.accessToken : '',
    ])
      expect(output).not.toContain(secret);
    return run;
  };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--quiet'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    db = await createTestDatabase({ migrate: false });
    // The schema as it was before this migration: only Initial applied (and recorded).
    const before = new DataSource({ ...db.dataSource.options, migrations: [Initial1795831229928] } as typeof db.dataSource.options);
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.destroy();
    const insert = async (vendor: string, secret: string | null, settings: Record<string, unknown> = {}): Promise<string> =>
      (
        (await db.dataSource.query(
          `INSERT INTO connection (name, vendor, auth_mode, settings, webhook_path_secret) VALUES ($1, $2, 'oauth2', $3::jsonb, $4) RETURNING id::text AS id`,
          [`${vendor} ${randomBytes(3).toString('hex')}`, vendor, JSON.stringify(settings), secret],
        )) as Array<{ id: string }>
      )[0]!.id;
    ids.salesforce = await insert('salesforce', pathSecret, { organizationId: ORG });
    await db.dataSource.query(`UPDATE connection SET secrets_ciphertext = $2 WHERE id = $1`, [
      ids.salesforce,
      encryptSecrets(box, ids.salesforce, salesforceSecrets),
    ]);
    // Connected never (no credentials): nothing to encrypt into.
    ids.orphan = await insert('salesforce', orphanSecret);
    ids.hubspot = await insert('hubspot', null);
    hubspotEnvelope = encryptSecrets(box, ids.hubspot, { ...salesforceSecrets, webhookSigningSecret: 'hubspot-client-secret' });
    await db.dataSource.query(`UPDATE connection SET secrets_ciphertext = $2 WHERE id = $1`, [ids.hubspot, hubspotEnvelope]);
  }, 180_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('changes nothing under a key that cannot open the secrets, and says which connection and what to do', async () => {
    const before = await rows();
    const run = migrate(randomBytes(32));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`Migration ${MIGRATION} changed nothing`);
    expect(run.stderr).toContain(ids.salesforce);
    expect(run.stderr).toContain('FIELDCAST_SECRET_KEY_PREVIOUS');
    expect(run.stderr).toContain(`UPDATE connection SET secrets_ciphertext = NULL WHERE id IN ('${ids.salesforce}')`);
    expect(await hasColumn()).toBe(true);
    expect(await applied()).toEqual(['Initial1795831229928']);
    expect(await rows()).toEqual(before);
  });

  it('moves the same secret into the encrypted secrets and drops the clear-text column (fieldcast migrate)', async () => {
    const run = migrate(key);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ applied: [MIGRATION, ...LATER] });
    expect(await hasColumn()).toBe(false);
    expect(await applied()).toEqual(['Initial1795831229928', MIGRATION, ...LATER]);
    const after = await rows();
    const migrated = await db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: ids.salesforce });
    expect(migrated.secretsCiphertext).not.toContain(pathSecret);
    const stored = decryptSecrets(box, migrated);
    expect(stored).toEqual({ ...salesforceSecrets, webhookSigningSecret: pathSecret });
    // The ingress checks the old URL against the moved secret: Salesforce needs no change.
    expect(WEBHOOK_PROVIDERS.salesforce.secrets(migrated, stored, 'https://fc.example.com')).toEqual({
      signingSecret: pathSecret,
      organizationId: ORG,
    });
    expect(after.get(ids.orphan)!.secrets_ciphertext).toBeNull();
    expect(after.get(ids.hubspot)!.secrets_ciphertext).toBe(hubspotEnvelope);
    expect(JSON.stringify([...after.values()])).not.toContain(orphanSecret);
  });

  it('reverts (down) with the key, and runMigrations will not move secrets without one', async () => {
    provideMigrationSecrets(db.dataSource, box);
    try {
      for (let i = 0; i <= LATER.length; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
    } finally {
      provideMigrationSecrets(db.dataSource, undefined);
    }
    expect(await hasColumn()).toBe(true);
    const reverted = await rows();
    expect(reverted.get(ids.salesforce)!.webhook_path_secret).toBe(pathSecret);
    expect(reverted.get(ids.orphan)!.webhook_path_secret).toBeNull();

    await expect(runMigrations(db.dataSource)).rejects.toThrow(
      new RegExp(`Migration ${MIGRATION} moves 1 Salesforce .* needs the secret key`),
    );
    expect(await hasColumn()).toBe(true);
    expect(await runMigrations(db.dataSource, { secrets: () => box })).toEqual([MIGRATION, ...LATER]);
    expect(await hasColumn()).toBe(false);
    const again = await db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: ids.salesforce });
    expect(decryptSecrets(box, again).webhookSigningSecret).toBe(pathSecret);
  });
});
