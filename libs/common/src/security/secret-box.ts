/**
 * Secrets at rest: AES-256-GCM with a random 96-bit IV per value and a key id, so `fieldcast keys
 * rotate` can re-encrypt under a new key while old ciphertexts stay readable until then.
 * Format: `v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>`. Additional data binds a
 * ciphertext to its row (e.g. the connection id), so a value copied to another row does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** `keys[0]` encrypts; all decrypt (old keys stay during a rotation). Each key is 32 bytes. */
  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new SecretBoxError('at least one key is required');
    for (const key of keys) {
      if (key.length !== 32) throw new SecretBoxError(`a key must be 32 bytes, got ${key.length}`);
      this.keys.set(keyId(key), key);
    }
    this.currentKeyId = keyId(keys[0]!);
  }

  static fromBase64(...encoded: string[]): SecretBox {
    return new SecretBox(encoded.map((k) => Buffer.from(k, 'base64')));
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.currentKeyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  decrypt(envelope: string, associatedData: string): string {
    const parts = envelope.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new SecretBoxError('not a Fieldcast secret envelope');
    const [, id, iv, tag, ciphertext] = parts as [string, string, string, string, string];
    const key = this.keys.get(id);
    if (!key)
      throw new SecretBoxError(
        `secret was encrypted with key ${id}, which is not configured (was FIELDCAST_SECRET_KEY changed without a rotation?)`,
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('secret could not be decrypted: wrong key or tampered data');
    }
  }

  encryptJson(value: unknown, associatedData: string): string {
    return this.encrypt(JSON.stringify(value), associatedData);
  }

  decryptJson<T>(envelope: string, associatedData: string): T {
    return JSON.parse(this.decrypt(envelope, associatedData)) as T;
  }

  isCurrent(envelope: string): boolean {
    return SecretBox.envelopeKeyId(envelope) === this.currentKeyId;
  }

  /** The id of the key an envelope was encrypted with (not secret), or undefined for something else. */
  static envelopeKeyId(envelope: string): string | undefined {
    const parts = envelope.split('.');
    return parts.length === 5 && parts[0] === 'v1' ? parts[1] : undefined;
  }

  /** The id a key would have in envelopes, without building a box around it. */
  static keyIdOf(key: Buffer): string {
    return keyId(key);
  }
}

/** A short, non-secret fingerprint of a key (first 8 hex of SHA-256), stored with each ciphertext. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
