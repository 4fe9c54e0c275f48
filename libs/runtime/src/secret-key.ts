/**
 * The key that encrypts vendor credentials at rest: FIELDCAST_SECRET_KEY, or (single-machine mode
 * only) a key generated once into the data folder with a warning. Production requires the variable
 * (enforced by the config), because a key next to the data it protects protects little.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SecretBox } from '@fieldcast/common';
import type { FieldcastConfig } from '@fieldcast/config';
import type { FieldcastLogger } from './logger';

export function loadSecretBox(config: FieldcastConfig, log: FieldcastLogger): SecretBox {
  if (config.FIELDCAST_SECRET_KEY) return SecretBox.fromBase64(config.FIELDCAST_SECRET_KEY);
  const dataDir = path.resolve(config.FIELDCAST_DATA_DIR);
  const file = path.join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    log.warn(
      { file },
      'FIELDCAST_SECRET_KEY is not set: generated a key into the data folder. Set FIELDCAST_SECRET_KEY (and keep it safe) before production use.',
    );
  }
  return SecretBox.fromBase64(readFileSync(file, 'utf8').trim());
}
