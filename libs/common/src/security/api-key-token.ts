/**
 * Scoring API keys: `fck_` + 32 random bytes (base64url). Only a SHA-256 of the key is stored: the
 * key has 256 bits of entropy, so a fast hash is safe here (unlike passwords) and lookups stay O(1).
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'fck_';

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
