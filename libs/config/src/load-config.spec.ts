import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.FIELDCAST_EMBEDDED_PG_PORT).toBe(54329);
    expect(config.FIELDCAST_MIGRATE_ON_START).toBe(true);
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('lists every problem with the variable, its value and what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '99999', DATABASE_URL: 'mysql://x', FIELDCAST_DEMO: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['DATABASE_URL', 'FIELDCAST_DEMO', 'PORT']);
    expect((error as Error).message).toContain('PORT="99999": expected a TCP port number between 1 and 65535');
    expect((error as Error).message).toContain('postgres://user:password@host:5432/database');
  });

  it('never prints secrets, including the password inside DATABASE_URL', () => {
    try {
      loadConfig({ DATABASE_URL: 'postgres://u:hunter2@', FIELDCAST_SECRET_KEY: 'short-secret' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
      expect((e as Error).message).not.toContain('short-secret');
    }
  });

  it('requires a secret key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/FIELDCAST_SECRET_KEY/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ NODE_ENV: 'production', FIELDCAST_SECRET_KEY: key }).NODE_ENV).toBe('production');
  });

  it('reads the keys being rotated out from FIELDCAST_SECRET_KEY_PREVIOUS, refusing anything that is not a 32-byte key', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64url');
    expect(loadConfig({ FIELDCAST_SECRET_KEY_PREVIOUS: ` ${a} , ${b}` }).FIELDCAST_SECRET_KEY_PREVIOUS).toEqual([a, b]);
    const short = Buffer.alloc(16, 3).toString('base64');
    let message = '';
    try {
      loadConfig({ FIELDCAST_SECRET_KEY_PREVIOUS: `${a},${short}` });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('FIELDCAST_SECRET_KEY_PREVIOUS="***": expected one or more keys of 32 random bytes');
    expect(message).not.toContain(a);
  });

  it('derives the public URL from HOST and PORT unless given', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ FIELDCAST_PUBLIC_URL: 'https://fc.example.com/' }).publicUrl).toBe('https://fc.example.com');
  });
});
