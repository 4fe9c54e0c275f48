/**
 * `fieldcast keys rotate` as an operator runs it (the compiled CLI in its own process) against a real
 * PostgreSQL: connections with OAuth tokens, API tokens and webhook secrets encrypted under the old
 * key → every envelope names the new key, decrypts with the new key alone and not with the old one;
 * a second run changes nothing; refusals (running processes, a secret under an unknown key) change
 * nothing; the rolling procedure (FIELDCAST_SECRET_KEY_PREVIOUS) and the single-machine key file,
 * including a crash between the database commit and the key file swap.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { SecretBox } from '@fieldcast/common';
import { loadConfig } from '@fieldcast/config';
import { AuditLogEntity, ConnectionEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createLogger, NEXT_SECRET_KEY_FILE, readSecretKeys, SECRET_KEY_FILE } from '@fieldcast/runtime';
import { decryptSecrets, encryptSecrets, type StoredSecrets } from '@fieldcast/sync-engine';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/apps/cli/src/main.js');

const key = () => randomBytes(32);
const b64 = (k: Buffer) => k.toString('base64');

/** Secrets of every kind a connection stores; each value unique so a leak is unambiguous. */
function secretsFor(i: number): StoredSecrets {
  const tag = randomBytes(6).toString('hex');
  if (i % 3 === 0)
    return {
      credentials: {
        kind: 'oauth2',
        accessToken: `at-${tag}`,
        refreshToken: `rt-${tag}`,
        expiresAt: Date.now() + 3_600_000,
        clientId: `cid-${tag}`,
        clientSecret: `cs-${tag}`,
      },
      webhookSigningSecret: `whs-${tag}`,
    } as StoredSecrets;
  if (i % 3 === 1)
    return {
      credentials: { kind: 'api_token', email: 'ops@example.com', token: `tok-${tag}` },
      webhookSigningSecret: `zd-${tag}`,
    } as StoredSecrets;
  return { credentials: { kind: 'api_token', email: 'ops@example.com', token: `tok-${tag}` } } as StoredSecrets;
}

function plaintexts(s: StoredSecrets): string[] {
  return JSON.stringify(s)
    .match(/"(at|rt|cid|cs|whs|tok|zd)-[0-9a-f]{12}"/g)!
    .map((v) => v.slice(1, -1));
}

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

describe('fieldcast keys rotate (real CLI, real PostgreSQL)', () => {
  let db: TestDatabase;
  const expected = new Map<string, StoredSecrets>();

  const cli = (args: string[], env: Record<string, string>): CliRun => {
    const run = spawnSync(process.execPath, [CLI, 'keys', ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, FIELDCAST_DEMO: 'false', LOG_LEVEL: 'warn', ...env },
      timeout: 60_000,
    });
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(run.stdout) as Record<string, unknown>;
    } catch {
      // human output or an error
    }
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, json };
  };
  const envelopes = async (): Promise<Map<string, string>> =>
    new Map(
      (await db.dataSource.getRepository(ConnectionEntity).find())
        .filter((c) => c.secretsCiphertext)
        .map((c) => [c.id, c.secretsCiphertext!]),
    );
  /** Every stored secret names `keyId`, decrypts with `box` to what was stored, and fails with `others`. */
  const expectAllUnder = async (k: Buffer, others: Buffer[] = []): Promise<void> => {
    const rows = await db.dataSource.getRepository(ConnectionEntity).find();
    const box = new SecretBox([k]);
    for (const row of rows.filter((r) => expected.has(r.id))) {
      expect(SecretBox.envelopeKeyId(row.secretsCiphertext!)).toBe(SecretBox.keyIdOf(k));
      expect(decryptSecrets(box, row)).toEqual(expected.get(row.id));
      for (const other of others)
        expect(() => decryptSecrets(new SecretBox([other]), row)).toThrow(/not configured|could not be decrypted/);
    }
  };
  const expectNoLeak = (run: CliRun, keys: Buffer[]): void => {
    const output = run.stdout + run.stderr;
    for (const k of keys) {
      expect(output).not.toContain(b64(k));
      expect(output).not.toContain(k.toString('base64url'));
      expect(output).not.toContain(k.toString('hex'));
    }
    for (const s of expected.values()) for (const p of plaintexts(s)) expect(output).not.toContain(p);
  };
  const seed = async (k: Buffer, n: number): Promise<void> => {
    const repo = db.dataSource.getRepository(ConnectionEntity);
    for (let i = 0; i < n; i++) {
      const row = await repo.save(
        repo.create({ name: `conn ${expected.size}-${i}`, vendor: ['hubspot', 'zendesk', 'salesforce'][i % 3]!, authMode: 'oauth2' }),
      );
      const secrets = secretsFor(i);
      await repo.update({ id: row.id }, { secretsCiphertext: encryptSecrets(new SecretBox([k]), row.id, secrets) });
      expected.set(row.id, secrets);
    }
  };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--quiet'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    db = await createTestDatabase();
    // A connection without credentials yet (pending OAuth) must simply be left alone.
    await db.dataSource.getRepository(ConnectionEntity).save({ name: 'no secrets', vendor: 'hubspot', authMode: 'oauth2' });
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('FIELDCAST_SECRET_KEY → a new key: dry run, refusal while processes run, rotation, re-run', async () => {
    const oldKey = key();
    const newKey = key();
    await seed(oldKey, 6);
    const env = { FIELDCAST_SECRET_KEY: b64(oldKey), FIELDCAST_SECRET_KEY_NEW: b64(newKey) };
    const before = await envelopes();

    const dry = cli(['rotate', '--dry-run', '--json'], env);
    expect(dry.status).toBe(0);
    expect(dry.json).toMatchObject({
      dryRun: true,
      toKeyId: SecretBox.keyIdOf(newKey),
      reencrypted: 6,
      tables: [
        {
          table: 'connection',
          column: 'secrets_ciphertext',
          rows: 6,
          reencrypted: 6,
          alreadyUnderNewKey: 0,
          byKeyId: { [SecretBox.keyIdOf(oldKey)]: 6 },
        },
      ],
    });
    expect(await envelopes()).toEqual(before);

    // A worker connected to the database holds the old key: rotating under it would break it.
    const worker = new Client({ connectionString: db.url, application_name: 'fieldcast-worker' });
    await worker.connect();
    try {
      const refused = cli(['rotate'], env);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('Fieldcast processes are connected');
      expect(refused.stderr).toContain('fieldcast-worker: 1');
      expect(await envelopes()).toEqual(before);
    } finally {
      await worker.end();
    }

    const rotated = cli(['rotate', '--json'], env);
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    expect(rotated.json).toMatchObject({
      dryRun: false,
      source: 'env',
      fromKeyIds: [SecretBox.keyIdOf(oldKey)],
      toKeyId: SecretBox.keyIdOf(newKey),
      reencrypted: 6,
    });
    await expectAllUnder(newKey, [oldKey]);
    expectNoLeak(rotated, [oldKey, newKey]);
    const audit = await db.dataSource.getRepository(AuditLogEntity).findBy({ action: 'secrets.rotate' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'cli', targetType: 'secret_key', targetId: SecretBox.keyIdOf(newKey) });
    expect(JSON.stringify(audit[0]!.details)).not.toContain(b64(newKey));

    // Safe to run again (after a crash, or by mistake): nothing changes, not even the ciphertexts.
    const after = await envelopes();
    const again = cli(['rotate', '--json'], { FIELDCAST_SECRET_KEY: b64(oldKey), FIELDCAST_SECRET_KEY_NEW: b64(newKey) });
    expect(again.status).toBe(0);
    expect(again.json).toMatchObject({ reencrypted: 0, tables: [{ rows: 6, alreadyUnderNewKey: 6, reencrypted: 0 }] });
    expect(await envelopes()).toEqual(after);
    // The processes now run with the new key alone.
    const human = cli(['rotate', '--dry-run'], { FIELDCAST_SECRET_KEY: b64(newKey), FIELDCAST_SECRET_KEY_NEW: b64(key()) });
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('Dry run: every stored secret decrypts; 6 would be re-encrypted');
  });

  it('refuses, changing nothing, when a secret is under a key it was not given; FIELDCAST_SECRET_KEY_PREVIOUS fixes it', async () => {
    const a = key();
    const b = key();
    const c = key();
    // A clean generation: everything under a, one row written by a process that already had b.
    const repo = db.dataSource.getRepository(ConnectionEntity);
    for (const [id, secrets] of expected) await repo.update({ id }, { secretsCiphertext: encryptSecrets(new SecretBox([a]), id, secrets) });
    const [straggler] = [...expected.keys()];
    await repo.update({ id: straggler! }, { secretsCiphertext: encryptSecrets(new SecretBox([b]), straggler!, expected.get(straggler!)!) });
    const before = await envelopes();
    const refused = cli(['rotate'], { FIELDCAST_SECRET_KEY: b64(a), FIELDCAST_SECRET_KEY_NEW: b64(c) });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Nothing was changed: 1 secret(s) cannot be rotated');
    expect(refused.stderr).toContain(`connection ${straggler} (key ${SecretBox.keyIdOf(b)})`);
    expect(refused.stderr).toContain('FIELDCAST_SECRET_KEY_PREVIOUS');
    expect(await envelopes()).toEqual(before);

    // Rolling: processes run with c (new) and a, b (previous); they keep running during the rotation.
    const worker = new Client({ connectionString: db.url, application_name: 'fieldcast-worker' });
    await worker.connect();
    try {
      const finished = cli(['rotate', '--json'], { FIELDCAST_SECRET_KEY: b64(c), FIELDCAST_SECRET_KEY_PREVIOUS: `${b64(a)},${b64(b)}` });
      expect(finished.stderr).toBe('');
      expect(finished.json).toMatchObject({
        toKeyId: SecretBox.keyIdOf(c),
        reencrypted: 6,
        otherProcesses: [{ application: 'fieldcast-worker', sessions: 1 }],
      });
      expect((finished.json['nextSteps'] as string[]).join(' ')).toContain('Remove FIELDCAST_SECRET_KEY_PREVIOUS');
      await expectAllUnder(c, [a, b]);
      expectNoLeak(finished, [a, b, c]);
    } finally {
      await worker.end();
    }
    // Without a new key and without previous keys there is nothing to rotate to: a clear error.
    const nothing = cli(['rotate'], { FIELDCAST_SECRET_KEY: b64(c) });
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toContain('FIELDCAST_SECRET_KEY is set, so Fieldcast cannot store a new key for you');
    const bad = cli(['rotate'], { FIELDCAST_SECRET_KEY: b64(c), FIELDCAST_SECRET_KEY_NEW: 'c2hvcnQ=' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('FIELDCAST_SECRET_KEY_NEW must be 32 random bytes');
  });

  it('single-machine key file: generates the new key, swaps the file only after the commit, and finishes an interrupted rotation', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fieldcast-keys-'));
    try {
      const file = path.join(dataDir, SECRET_KEY_FILE);
      const next = path.join(dataDir, NEXT_SECRET_KEY_FILE);
      // Start from the state the previous test left: everything under some key; put that generation in the file.
      const k1 = key();
      const repo = db.dataSource.getRepository(ConnectionEntity);
      for (const [id, secrets] of expected)
        await repo.update({ id }, { secretsCiphertext: encryptSecrets(new SecretBox([k1]), id, secrets) });
      writeFileSync(file, `${b64(k1)}\n`, { mode: 0o600 });
      const env = { FIELDCAST_DATA_DIR: dataDir };

      const rotated = cli(['rotate', '--json'], env);
      expect(rotated.stderr).toBe('');
      expect(rotated.json).toMatchObject({ source: 'file', newKeyGenerated: true, reencrypted: 6, resumed: false });
      const k2 = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
      expect(k2.length).toBe(32);
      expect(k2.equals(k1)).toBe(false);
      expect(existsSync(next)).toBe(false);
      await expectAllUnder(k2, [k1]);
      expectNoLeak(rotated, [k1, k2]);

      // A crash after the commit, before the swap: rows under k3, secret.key still k2, secret.key.next = k3.
      const k3 = key();
      const ids = [...expected.keys()];
      for (const id of ids.slice(0, 4))
        await repo.update({ id }, { secretsCiphertext: encryptSecrets(new SecretBox([k3]), id, expected.get(id)!) });
      writeFileSync(next, `${b64(k3)}\n`, { mode: 0o600 });
      // Processes started in this state still read everything (the pending key decrypts).
      const loaded = readSecretKeys(loadConfig({ FIELDCAST_DATA_DIR: dataDir }), createLogger({ level: 'silent' }));
      expect(loaded.pendingNext?.equals(k3)).toBe(true);
      // Another new key while a rotation is pending is refused: rows may already be under the pending one.
      const conflicting = cli(['rotate', '--new-key', b64(key())], env);
      expect(conflicting.status).toBe(1);
      expect(conflicting.stderr).toContain('An interrupted rotation');
      const resumed = cli(['rotate', '--json'], env);
      expect(resumed.stderr).toBe('');
      expect(resumed.json).toMatchObject({
        resumed: true,
        toKeyId: SecretBox.keyIdOf(k3),
        reencrypted: 2,
        tables: [{ alreadyUnderNewKey: 4 }],
      });
      expect(readFileSync(file, 'utf8').trim()).toBe(b64(k3));
      expect(existsSync(next)).toBe(false);
      await expectAllUnder(k3, [k1, k2]);
      const human = cli(['rotate', '--dry-run'], env);
      expect(human.stdout).toMatch(/Dry run: every stored secret decrypts; 6 would be re-encrypted under key [0-9a-f]{8}/);
      expect(readFileSync(file, 'utf8').trim()).toBe(b64(k3));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keys generate prints a usable key; --help documents the procedures', () => {
    const generated = cli(['generate', '--json'], {});
    expect(generated.status).toBe(0);
    const k = Buffer.from(String(generated.json['key']), 'base64');
    expect(k.length).toBe(32);
    expect(generated.json['keyId']).toBe(SecretBox.keyIdOf(k));
    const help = cli(['rotate', '--help'], {});
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('FIELDCAST_SECRET_KEY_PREVIOUS');
  });
});
