/**
 * The key that encrypts vendor credentials at rest: FIELDCAST_SECRET_KEY, or (single-machine mode
 * only) a key generated once into the data folder with a warning. Production requires the variable
 * (enforced by the config), because a key next to the data it protects protects little.
 *
 * Keys that only decrypt (a rotation in progress): FIELDCAST_SECRET_KEY_PREVIOUS, and in
 * single-machine mode a `secret.key.next` left by a `fieldcast keys rotate` that stopped between its
 * database commit and the key file swap — without it the re-encrypted rows would be unreadable.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SecretBox } from '@fieldcast/common';
import type { FieldcastConfig } from '@fieldcast/config';
import type { FieldcastLogger } from './logger';

export const SECRET_KEY_FILE = 'secret.key';
/** Written before a rotation commits, renamed over secret.key after: see `fieldcast keys rotate`. */
export const NEXT_SECRET_KEY_FILE = 'secret.key.next';

export interface SecretKeys {
  /** `env`: FIELDCAST_SECRET_KEY; `file`: the key file in the data folder (single-machine mode). */
  source: 'env' | 'file';
  /** Encrypts (and decrypts). */
  current: Buffer;
  /** Decrypt only: FIELDCAST_SECRET_KEY_PREVIOUS. */
  previous: Buffer[];
  /** File mode: the key of an interrupted rotation (decrypt only until the rotation is finished). */
  pendingNext?: Buffer;
  /** File mode: where the current and next key files are. */
  files?: { current: string; next: string };
}

export function secretKeyFiles(config: FieldcastConfig): { current: string; next: string } {
  const dataDir = path.resolve(config.FIELDCAST_DATA_DIR);
  return { current: path.join(dataDir, SECRET_KEY_FILE), next: path.join(dataDir, NEXT_SECRET_KEY_FILE) };
}

/** Decodes one base64 key, saying where it came from when it is not 32 bytes. */
export function decodeSecretKey(encoded: string, where: string): Buffer {
  const key = Buffer.from(encoded.trim(), 'base64');
  if (key.length !== 32)
    throw new Error(
      `${where} must be 32 random bytes, base64 encoded (got ${key.length} bytes); generate one with: fieldcast keys generate`,
    );
  return key;
}

/** Reads the configured keys; in file mode creates the key file on first use (`create`, the default). */
export function readSecretKeys(config: FieldcastConfig, log: FieldcastLogger, options: { create?: boolean } = {}): SecretKeys {
  const previous = (config.FIELDCAST_SECRET_KEY_PREVIOUS ?? []).map((k, i) =>
    decodeSecretKey(k, `FIELDCAST_SECRET_KEY_PREVIOUS (key ${i + 1})`),
  );
  if (config.FIELDCAST_SECRET_KEY) {
    return { source: 'env', current: decodeSecretKey(config.FIELDCAST_SECRET_KEY, 'FIELDCAST_SECRET_KEY'), previous };
  }
  const files = secretKeyFiles(config);
  if (!existsSync(files.current)) {
    if (options.create === false)
      throw new Error(`No key file at ${files.current} and FIELDCAST_SECRET_KEY is not set: nothing is encrypted yet.`);
    writeKeyFile(files.current, randomBytes(32));
    log.warn(
      { file: files.current },
      'FIELDCAST_SECRET_KEY is not set: generated a key into the data folder. Set FIELDCAST_SECRET_KEY (and keep it safe) before production use.',
    );
  }
  const current = decodeSecretKey(readFileSync(files.current, 'utf8'), files.current);
  let pendingNext: Buffer | undefined;
  if (existsSync(files.next)) {
    pendingNext = decodeSecretKey(readFileSync(files.next, 'utf8'), files.next);
    log.warn({ file: files.next }, 'a key rotation was interrupted: run `fieldcast keys rotate` again to finish it');
  }
  return { source: 'file', current, previous, pendingNext, files };
}

export function loadSecretBox(config: FieldcastConfig, log: FieldcastLogger): SecretBox {
  const keys = readSecretKeys(config, log);
  return new SecretBox([keys.current, ...keys.previous, ...(keys.pendingNext ? [keys.pendingNext] : [])]);
}

/**
 * Writes a key file durably (0600, fsync of the file and its folder): a rotation commits the database
 * only after the new key is on disk, so a crash can never leave rows under a key that was lost.
 */
export function writeKeyFile(file: string, key: Buffer): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${key.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDirectory(dir);
}

/** Atomically replaces `to` with `from` (same folder), durably. */
export function replaceKeyFile(from: string, to: string): void {
  renameSync(from, to);
  syncDirectory(path.dirname(to));
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
