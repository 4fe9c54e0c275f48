import { generateApiKey, hashApiKey } from './api-key-token';
import { hashPassword, passwordProblems, verifyPassword } from './password-hash';

describe('password hashing', () => {
  it('verifies the right password, rejects a wrong one, and salts every hash', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('explains what is wrong with a weak password', () => {
    expect(passwordProblems('short')).toEqual(['must be at least 12 characters long']);
    expect(passwordProblems('long enough password')).toEqual([]);
  });
});

describe('api keys', () => {
  it('are random, prefixed, and stored only as a hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^fck_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4));
    expect(a.prefix).toBe(a.key.slice(0, 12));
  });
});
