import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { SecretBox } from '@fieldcast/common';
import { loadConfig } from '@fieldcast/config';
import { createLogger, decodeSecretKey, readSecretKeys, replaceKeyFile, writeKeyFile, type SecretKeys } from '@fieldcast/runtime';
import { CliError, print, table } from '../cli-output';
import { openKeysDatabase, otherFieldcastSessions } from '../keys/keys-database';
import { rotateSecrets, RotationError, type RotationReport } from '../keys/secret-rotation';

/**
 * `fieldcast keys`: the key that encrypts secrets at rest. Key ids (8 hex of the key's SHA-256) are
 * printed; keys never are, except by `keys generate`, whose whole point is to print a new one.
 */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('The key that encrypts vendor credentials and webhook secrets at rest');
  keys
    .command('generate')
    .description('Print a new random key (32 bytes, base64) for FIELDCAST_SECRET_KEY or FIELDCAST_SECRET_KEY_NEW; stores nothing')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) => {
      const key = randomBytes(32);
      const encoded = key.toString('base64');
      // The key alone on stdout, so `FIELDCAST_SECRET_KEY_NEW=$(fieldcast keys generate)` works; the note goes to stderr.
      print(options, { key: encoded, keyId: SecretBox.keyIdOf(key) }, () => encoded);
      if (!options.json) process.stderr.write(`(key id ${SecretBox.keyIdOf(key)}; keep it secret: it is not stored anywhere)\n`);
    });
  keys
    .command('rotate')
    .description('Re-encrypt every stored secret under a new key, in one transaction, verifying each value')
    .option('--new-key <base64>', 'the new key (default: FIELDCAST_SECRET_KEY_NEW; in single-machine mode a key is generated)')
    .option('--dry-run', 'check that every secret decrypts and show what would be re-encrypted, per table; change nothing')
    .option('--force', 'rotate even though API or worker processes are connected (they keep the old key until restarted)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Single machine (key file in the data folder): stop Fieldcast, run \`fieldcast keys rotate\`, start it.
The new key is written to <data>/secret.key.next before the database commits and renamed over
secret.key after, so a crash at any point loses nothing: run the command again to finish.

FIELDCAST_SECRET_KEY, all processes stopped:
  FIELDCAST_SECRET_KEY_NEW=$(fieldcast keys generate) fieldcast keys rotate
  then set FIELDCAST_SECRET_KEY to that new key everywhere and start Fieldcast.

FIELDCAST_SECRET_KEY, rolling restart (no downtime):
  1. every process: FIELDCAST_SECRET_KEY=<new>, FIELDCAST_SECRET_KEY_PREVIOUS=<old>; restart one by one
  2. fieldcast keys rotate        (with the same two variables: re-encrypts what is left under <old>)
  3. remove FIELDCAST_SECRET_KEY_PREVIOUS everywhere and restart.

Safe to run again: rows already under the new key are checked and skipped.`,
    )
    .action(async (options: { newKey?: string; dryRun?: boolean; force?: boolean; json?: boolean }) => {
      await rotateCommand(options);
    });
}

interface Plan {
  keys: SecretKeys;
  target: Buffer;
  /** The processes already encrypt with the target (rolling rotation, step 2). */
  targetIsCurrent: boolean;
  /** File mode: an interrupted rotation is being finished. */
  resumed: boolean;
}

function plan(keys: SecretKeys, newKeyOption: string | undefined): Plan {
  // A secret for this command only, like FIELDCAST_ADMIN_PASSWORD: read here, never configuration.
  const given = newKeyOption ?? process.env.FIELDCAST_SECRET_KEY_NEW;
  const where = newKeyOption ? '--new-key' : 'FIELDCAST_SECRET_KEY_NEW';
  const decoded = given ? decodeSecretKey(given, where) : undefined;
  if (keys.source === 'file') {
    if (keys.pendingNext) {
      if (decoded && !decoded.equals(keys.pendingNext))
        throw new CliError(
          `An interrupted rotation to key ${SecretBox.keyIdOf(keys.pendingNext)} is pending (${keys.files!.next}); ` +
            'some secrets may already be under it. Run `fieldcast keys rotate` without a new key to finish it first.',
        );
      return { keys, target: keys.pendingNext, targetIsCurrent: false, resumed: true };
    }
    const target = decoded ?? randomBytes(32);
    if (target.equals(keys.current)) throw new CliError(`${where} is the key already in use; give a different key.`);
    return { keys, target, targetIsCurrent: false, resumed: false };
  }
  if (decoded) return { keys, target: decoded, targetIsCurrent: decoded.equals(keys.current), resumed: false };
  if (keys.previous.length) return { keys, target: keys.current, targetIsCurrent: true, resumed: false };
  throw new CliError(
    'FIELDCAST_SECRET_KEY is set, so Fieldcast cannot store a new key for you. Either give the new key ' +
      '(FIELDCAST_SECRET_KEY_NEW=$(fieldcast keys generate) fieldcast keys rotate), or, for a rolling restart, ' +
      'run the processes with FIELDCAST_SECRET_KEY=<new> and FIELDCAST_SECRET_KEY_PREVIOUS=<old> and run this command with the same variables.',
  );
}

async function rotateCommand(options: { newKey?: string; dryRun?: boolean; force?: boolean; json?: boolean }): Promise<void> {
  const config = loadConfig();
  // Silent: what the key loader would warn about (an interrupted rotation) is this command's own report,
  // and logs would go to stdout, where --json output must stay clean.
  const log = createLogger({ level: 'silent', name: 'fieldcast-keys' });
  let keys: SecretKeys;
  try {
    keys = readSecretKeys(config, log, { create: false });
  } catch (error) {
    throw new CliError(
      `${(error as Error).message} If your Fieldcast processes run with FIELDCAST_SECRET_KEY, set it (and FIELDCAST_DATA_DIR / DATABASE_URL) for this command too.`,
    );
  }
  const p = plan(keys, options.newKey);
  const from = new SecretBox([keys.current, ...keys.previous, ...(keys.pendingNext ? [keys.pendingNext] : []), p.target]);
  const to = new SecretBox([p.target]);
  const fromKeyIds = [
    ...new Set([keys.current, ...keys.previous, ...(keys.pendingNext ? [keys.pendingNext] : [])].map((k) => SecretBox.keyIdOf(k))),
  ];
  const db = await openKeysDatabase(config);
  let report: RotationReport;
  let others: Array<{ application: string; sessions: number }>;
  try {
    others = await otherFieldcastSessions(db.dataSource);
    // Processes that do not know the target key cannot read what this writes: stop them first.
    if (!p.targetIsCurrent && others.length && !options.dryRun && !options.force)
      throw new CliError(
        `Fieldcast processes are connected to ${db.label} (${others.map((o) => `${o.application}: ${o.sessions}`).join(', ')}). ` +
          'They hold the old key and could not read the re-encrypted secrets (and a token refresh would write under the old key). ' +
          'Stop them first, use the rolling procedure (fieldcast keys rotate --help), or pass --force and restart them right after.',
      );
    if (keys.source === 'file' && !options.dryRun && !p.resumed) writeKeyFile(keys.files!.next, p.target);
    try {
      report = await rotateSecrets(db.dataSource, {
        from,
        to,
        dryRun: !!options.dryRun,
        audit: {
          actorLabel: 'fieldcast keys rotate',
          details: { fromKeyIds, toKeyId: to.currentKeyId, source: keys.source, resumed: p.resumed },
        },
      });
    } catch (error) {
      if (error instanceof RotationError) {
        // Found before any write, so the transaction rolled back: the new key file protects nothing.
        if (keys.source === 'file' && !p.resumed && !options.dryRun) rmSync(keys.files!.next, { force: true });
        throw new CliError(error.message);
      }
      // Anything else may have happened at commit: keep secret.key.next, so a re-run can finish.
      throw error;
    }
  } finally {
    await db.close();
  }
  // Only now is the new key the one on disk: until the rename, secret.key.next keeps everything readable.
  if (keys.source === 'file' && !options.dryRun && existsSync(keys.files!.next)) replaceKeyFile(keys.files!.next, keys.files!.current);
  const nextSteps = options.dryRun ? [] : steps(keys, p, to.currentKeyId, fromKeyIds);
  const result = {
    dryRun: report.dryRun,
    source: keys.source,
    fromKeyIds,
    toKeyId: report.toKeyId,
    newKeyGenerated: keys.source === 'file' && !p.resumed && !options.newKey && !process.env.FIELDCAST_SECRET_KEY_NEW,
    resumed: p.resumed,
    tables: report.tables,
    reencrypted: report.tables.reduce((n, t) => n + t.reencrypted, 0),
    otherProcesses: others,
    nextSteps,
  };
  print(options, result, () => human(result));
}

function steps(keys: SecretKeys, p: Plan, toKeyId: string, fromKeyIds: string[]): string[] {
  const old = fromKeyIds.filter((id) => id !== toKeyId).join(', ');
  if (keys.source === 'file')
    return [
      `The new key (id ${toKeyId}) is now ${keys.files!.current}; the old key is gone from disk.`,
      'Restart every Fieldcast process on this machine: running ones still hold the old key.',
      `Database backups made before now can only be read with the old key${old ? ` (id ${old})` : ''}.`,
    ];
  if (p.targetIsCurrent)
    return [
      `Every secret is under FIELDCAST_SECRET_KEY (id ${toKeyId}).`,
      'Remove FIELDCAST_SECRET_KEY_PREVIOUS from every Fieldcast process and restart them.',
      `Database backups made before now can only be read with the old key${old ? ` (id ${old})` : ''}.`,
    ];
  return [
    `Set FIELDCAST_SECRET_KEY to the new key (id ${toKeyId}, the value you passed) on every Fieldcast process, then start or restart them.`,
    `If some processes keep running meanwhile, also give them FIELDCAST_SECRET_KEY_PREVIOUS=<old key> until they restart, then run fieldcast keys rotate once more.`,
    `The old key${old ? ` (id ${old})` : ''} decrypts nothing in the database any more; keep it only for backups made before now.`,
  ];
}

function human(r: {
  dryRun: boolean;
  fromKeyIds: string[];
  toKeyId: string;
  resumed: boolean;
  tables: RotationReport['tables'];
  reencrypted: number;
  otherProcesses: Array<{ application: string; sessions: number }>;
  nextSteps: string[];
}): string {
  const rows = r.tables.map((t) => ({
    table: t.table,
    column: t.column,
    secrets: t.rows,
    [r.dryRun ? 'to re-encrypt' : 're-encrypted']: t.reencrypted,
    'already under new key': t.alreadyUnderNewKey,
    'by key id': Object.entries(t.byKeyId)
      .map(([id, n]) => `${id}: ${n}`)
      .join(', '),
  }));
  const lines = [
    r.dryRun
      ? `Dry run: every stored secret decrypts; ${r.reencrypted} would be re-encrypted under key ${r.toKeyId}. Nothing was changed.`
      : `${r.resumed ? 'Finished an interrupted rotation: re-encrypted' : 'Re-encrypted'} ${r.reencrypted} secret(s) under key ${r.toKeyId} in one transaction; every value checked to decrypt with the new key alone.`,
    '',
    table(rows, Object.keys(rows[0] ?? {})),
  ];
  if (r.dryRun && r.otherProcesses.length)
    lines.push('', `Connected Fieldcast processes: ${r.otherProcesses.map((o) => `${o.application} (${o.sessions})`).join(', ')}.`);
  if (r.nextSteps.length) lines.push('', 'Next:', ...r.nextSteps.map((s) => `  - ${s}`));
  return lines.join('\n');
}
