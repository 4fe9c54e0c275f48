import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  it('round-trips, never shows the plaintext, and uses a fresh IV each time', () => {
    const box = new SecretBox([keyA]);
    const a = box.encryptJson({ accessToken: 'tok-123' }, 'conn-1');
    const b = box.encryptJson({ accessToken: 'tok-123' }, 'conn-1');
    expect(a).not.toContain('tok-123');
    expect(a).not.toBe(b);
    expect(box.decryptJson(a, 'conn-1')).toEqual({ accessToken: 'tok-123' });
  });

  it('refuses tampered data and ciphertext moved to another row', () => {
    const box = new SecretBox([keyA]);
    const envelope = box.encrypt('secret', 'conn-1');
    expect(() => box.decrypt(envelope, 'conn-2')).toThrow(SecretBoxError);
    const parts = envelope.split('.');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'conn-1')).toThrow(/tampered/);
  });

  it('decrypts old values after a rotation and says which key is missing otherwise', () => {
    const old = new SecretBox([keyA]).encrypt('secret', 'x');
    const rotated = new SecretBox([keyB, keyA]);
    expect(rotated.decrypt(old, 'x')).toBe('secret');
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.isCurrent(rotated.encrypt('secret', 'x'))).toBe(true);
    expect(() => new SecretBox([keyB]).decrypt(old, 'x')).toThrow(/not configured/);
  });

  it('rejects keys of the wrong size', () => {
    expect(() => new SecretBox([randomBytes(16)])).toThrow(/32 bytes/);
  });
});
