/**
 * Admin authentication over real HTTP and a real database: first-run setup, anonymous and viewer
 * callers refused, CSRF, session rotation (no fixation), lockout, sign-out, API keys shown once, and
 * an audit log with who / what / where and no secrets.
 */
import { createHash } from 'node:crypto';
import { hashPassword } from '@fieldcast/common';
import { AdminSessionEntity, AdminUserEntity, ApiKeyEntity, AuditLogEntity } from '@fieldcast/database';
import { ADMIN_EMAIL, ADMIN_PASSWORD, AdminClient, startAdminBed, type AdminBed } from './admin-bed.e2e-helpers';

const VIEWER_EMAIL = 'viewer@fieldcast.test';
const VIEWER_PASSWORD = 'viewer password 123';
const CONNECTION = '00000000-0000-4000-8000-000000000001';

/** Every admin route (method, path, body): all must refuse anonymous callers. */
const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/admin/api/vendors'],
  ['GET', '/admin/api/connections'],
  ['POST', '/admin/api/connections', { vendor: 'zendesk', name: 'x' }],
  ['GET', `/admin/api/connections/${CONNECTION}`],
  ['POST', `/admin/api/connections/${CONNECTION}/test`],
  ['POST', `/admin/api/connections/${CONNECTION}/pause`],
  ['POST', `/admin/api/connections/${CONNECTION}/resume`],
  ['PUT', `/admin/api/connections/${CONNECTION}/credentials`, {}],
  ['DELETE', `/admin/api/connections/${CONNECTION}?confirm=x`],
  ['PUT', `/admin/api/connections/${CONNECTION}/streams/contacts`, {}],
  ['POST', `/admin/api/connections/${CONNECTION}/streams/contacts/fields`],
  ['GET', `/admin/api/connections/${CONNECTION}/streams/contacts/shadow-preview`],
  ['PUT', `/admin/api/connections/${CONNECTION}/schedule`, { kind: 'interval', minutes: 5 }],
  ['POST', `/admin/api/connections/${CONNECTION}/sync`, {}],
  ['GET', `/admin/api/connections/${CONNECTION}/runs`],
  ['GET', `/admin/api/runs/${CONNECTION}`],
  ['GET', `/admin/api/connections/${CONNECTION}/dead-letters`],
  ['POST', `/admin/api/connections/${CONNECTION}/dead-letters/replay`],
  ['POST', `/admin/api/connections/${CONNECTION}/dead-letters/${CONNECTION}/replay`],
  ['GET', `/admin/api/connections/${CONNECTION}/models`],
  ['POST', `/admin/api/connections/${CONNECTION}/models/lead-score/retrain`],
  ['POST', `/admin/api/connections/${CONNECTION}/models/lead-score/rollback`],
  ['POST', `/admin/api/connections/${CONNECTION}/models/versions/${CONNECTION}/promote`],
  ['GET', '/admin/api/api-keys'],
  ['POST', '/admin/api/api-keys', { name: 'k', scopes: ['lead-score'] }],
  ['POST', `/admin/api/api-keys/${CONNECTION}/revoke`],
  ['GET', '/admin/api/audit-log'],
  ['POST', '/admin/api/auth/logout'],
  ['GET', '/admin/api/connections/oauth/hubspot/start?name=x'],
  ['GET', `/admin/api/connections/${CONNECTION}/oauth/reauthenticate`],
  ['GET', '/admin/api/oauth/callback?code=x&state=y'],
];

jest.setTimeout(30_000);

describe('admin authentication', () => {
  let bed: AdminBed;
  let admin: AdminClient;
  let createdKey = '';

  beforeAll(async () => {
    bed = await startAdminBed();
    admin = new AdminClient(bed.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
  }, 60_000);

  it('asks for first-run setup, creates the first admin once, then answers 409', async () => {
    const before = await admin.request('GET', '/admin/api/auth/session');
    expect(before.body).toMatchObject({ needsSetup: true, user: null });

    const weak = await admin.request('POST', '/admin/api/setup', { email: ADMIN_EMAIL, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.headers.get('content-type')).toContain('application/problem+json');
    expect(weak.body['errors']).toEqual([expect.objectContaining({ pointer: '/password' })]);
    expect(await bed.platform.dataSource.getRepository(AdminUserEntity).count()).toBe(0);

    const setup = await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD, '/admin/api/setup');
    expect(setup.status).toBe(201);
    expect(setup.body).toMatchObject({ user: { email: ADMIN_EMAIL, role: 'admin' } });
    const cookie = setup.headers.getSetCookie().find((c) => c.startsWith('fieldcast_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // http://127.0.0.1 in tests; Secure when FIELDCAST_PUBLIC_URL is https

    const again = await new AdminClient(bed.baseUrl).request('POST', '/admin/api/setup', {
      email: 'other@fieldcast.test',
      password: 'another long password',
    });
    expect(again.status).toBe(409);
    expect(await bed.platform.dataSource.getRepository(AdminUserEntity).count()).toBe(1);

    const stored = await bed.platform.dataSource.getRepository(AdminUserEntity).findOneByOrFail({ email: ADMIN_EMAIL });
    expect(stored.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    const session = await bed.platform.dataSource.getRepository(AdminSessionEntity).findOneByOrFail({ userId: stored.id });
    expect(session.tokenHash).toBe(createHash('sha256').update(admin.cookies.get('fieldcast_session')!).digest('hex'));
  });

  it('refuses form-encoded sign-in (login CSRF from a cross-site form)', async () => {
    const response = await fetch(`${bed.baseUrl}/admin/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).toString(),
    });
    expect(response.status).toBe(415);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('refuses anonymous callers on every admin endpoint', async () => {
    const anonymous = new AdminClient(bed.baseUrl);
    for (const [method, path, body] of ROUTES) {
      const result = await anonymous.request(method, path, body);
      expect({ method, path, status: result.status }).toEqual({ method, path, status: 401 });
      expect(result.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses state-changing calls without the CSRF token or with a wrong one, and changes nothing', async () => {
    const missing = await admin.request('POST', '/admin/api/api-keys', { name: 'no csrf', scopes: ['lead-score'] }, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body['type']).toBe('https://fieldcast.dev/problems/csrf');
    const wrong = await admin.request(
      'POST',
      '/admin/api/api-keys',
      { name: 'wrong csrf', scopes: ['lead-score'] },
      { csrf: 'x'.repeat(43) },
    );
    expect(wrong.status).toBe(403);
    expect(await bed.platform.dataSource.getRepository(ApiKeyEntity).count()).toBe(0);
  });

  it('creates an API key that is shown once and stored only as a hash', async () => {
    const invalid = await admin.request('POST', '/admin/api/api-keys', { name: '', scopes: ['nope'] });
    expect(invalid.status).toBe(400);
    expect((invalid.body['errors'] as Array<{ pointer: string }>).map((e) => e.pointer).sort()).toEqual(['/name', '/scopes/0']);

    const created = await admin.request('POST', '/admin/api/api-keys', { name: 'website form', scopes: ['lead-score'] });
    expect(created.status).toBe(201);
    const key = created.body['key'] as string;
    createdKey = key;
    expect(key).toMatch(/^fck_/);
    const row = await bed.platform.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: created.body['id'] as string });
    expect(row.keyHash).toBe(createHash('sha256').update(key).digest('hex'));
    const list = await admin.request<{ items: Array<Record<string, unknown>>; total: number }>('GET', '/admin/api/api-keys');
    expect(list.body.total).toBe(1);
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.items[0]).toMatchObject({ name: 'website form', prefix: key.slice(0, 12), lastUsedAt: null, revokedAt: null });

    const revoked = await admin.request('POST', `/admin/api/api-keys/${row.id}/revoke`);
    expect(revoked.status).toBe(201);
    expect(revoked.body['revokedAt']).toEqual(expect.any(String));
    expect((await admin.request('POST', `/admin/api/api-keys/${row.id}/revoke`)).status).toBe(409);
  });

  it('lets a viewer read but not change anything, even with a valid CSRF token', async () => {
    await bed.platform.dataSource
      .getRepository(AdminUserEntity)
      .save({ email: VIEWER_EMAIL, role: 'viewer', passwordHash: await hashPassword(VIEWER_PASSWORD) });
    const viewer = new AdminClient(bed.baseUrl);
    expect((await viewer.signIn(VIEWER_EMAIL, VIEWER_PASSWORD)).status).toBe(200);
    expect((await viewer.request('GET', '/admin/api/api-keys')).status).toBe(200);
    expect((await viewer.request('GET', '/admin/api/audit-log')).status).toBe(200);
    const write = await viewer.request('POST', '/admin/api/api-keys', { name: 'viewer key', scopes: ['lead-score'] });
    expect(write.status).toBe(403);
    expect(String(write.body['detail'])).toContain('viewer');
    const oauth = await viewer.request('GET', '/admin/api/connections/oauth/hubspot/start?name=x');
    expect(oauth.status).toBe(403);
    expect(await bed.platform.dataSource.getRepository(ApiKeyEntity).countBy({ name: 'viewer key' })).toBe(0);
    // Viewers may still sign themselves out (with the CSRF token, like every write).
    expect((await viewer.request('POST', '/admin/api/auth/logout', undefined, { csrf: false })).status).toBe(403);
    expect((await viewer.request('POST', '/admin/api/auth/logout')).status).toBe(204);
  });

  it('rotates the session on sign-in: a planted or earlier token is worthless afterwards', async () => {
    const victim = new AdminClient(bed.baseUrl);
    victim.cookies.set('fieldcast_session', 'attacker-chosen-token-value');
    expect((await victim.request('GET', '/admin/api/connections')).status).toBe(401);
    await victim.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const first = victim.cookies.get('fieldcast_session')!;
    expect(first).not.toBe('attacker-chosen-token-value');
    expect((await victim.request('GET', '/admin/api/connections')).status).toBe(200);

    // An attacker who learned the first token before the next sign-in gains nothing from it.
    const attacker = new AdminClient(bed.baseUrl);
    attacker.cookies.set('fieldcast_session', first);
    await victim.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(victim.cookies.get('fieldcast_session')).not.toBe(first);
    expect((await attacker.request('GET', '/admin/api/connections')).status).toBe(401);
    expect((await victim.request('GET', '/admin/api/connections')).status).toBe(200);

    expect((await victim.request('POST', '/admin/api/auth/logout')).status).toBe(204);
    expect(victim.cookies.has('fieldcast_session')).toBe(false);
    victim.cookies.set('fieldcast_session', first);
    expect((await victim.request('GET', '/admin/api/connections')).status).toBe(401);
  });

  it('marks the session cookie Secure when the public URL is https', async () => {
    const original = bed.platform.config.publicUrl;
    bed.platform.config.publicUrl = 'https://fieldcast.example.com';
    try {
      const result = await new AdminClient(bed.baseUrl).signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      const cookies = result.headers.getSetCookie();
      expect(cookies.find((c) => c.startsWith('fieldcast_session='))).toMatch(/;\s*Secure/i);
      expect(cookies.find((c) => c.startsWith('fieldcast_csrf='))).toMatch(/;\s*Secure/i);
    } finally {
      bed.platform.config.publicUrl = original;
    }
  });

  it('locks an account for 15 minutes after 5 wrong passwords, even for the right one', async () => {
    const email = 'locked@fieldcast.test';
    await bed.platform.dataSource
      .getRepository(AdminUserEntity)
      .save({ email, role: 'admin', passwordHash: await hashPassword('the right password!') });
    const client = new AdminClient(bed.baseUrl);
    for (let i = 0; i < 5; i++) {
      const result = await client.signIn(email, `wrong password ${i}`);
      expect(result.status).toBe(401);
      expect(result.body['detail']).toBe('The email or password is wrong.');
    }
    const locked = await client.signIn(email, 'the right password!');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(client.cookies.has('fieldcast_session')).toBe(false);
    const user = await bed.platform.dataSource.getRepository(AdminUserEntity).findOneByOrFail({ email });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    // Unknown emails get the same answer as wrong passwords.
    expect((await client.signIn('nobody@fieldcast.test', 'whatever')).body['detail']).toBe('The email or password is wrong.');
  });

  it('audits admin actions with who, what, where, and never a secret', async () => {
    const log = await admin.request<{ items: Array<Record<string, unknown>>; total: number }>('GET', '/admin/api/audit-log?pageSize=100');
    expect(log.status).toBe(200);
    const actions = log.body.items.map((e) => e['action']);
    expect(actions).toEqual(
      expect.arrayContaining([
        'admin.setup',
        'admin.login',
        'admin.logout',
        'api_key.create',
        'api_key.revoke',
        'admin.locked',
        'admin.login_refused_locked',
      ]),
    );
    const create = log.body.items.find((e) => e['action'] === 'api_key.create')!;
    expect(create).toMatchObject({ actor: ADMIN_EMAIL, ip: expect.stringContaining('127.0.0.1'), userAgent: expect.any(String) });
    const rows = await bed.platform.dataSource.getRepository(AuditLogEntity).find();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(ADMIN_PASSWORD);
    expect(createdKey).toMatch(/^fck_.{40}/);
    expect(dump).not.toContain(createdKey);
    expect(dump).not.toContain(createdKey.slice(12));
    expect(dump).not.toContain(admin.cookies.get('fieldcast_session')!);
    const paged = await admin.request<{ items: unknown[]; total: number; page: number; pageSize: number }>(
      'GET',
      '/admin/api/audit-log?page=2&pageSize=3',
    );
    expect(paged.body).toMatchObject({ page: 2, pageSize: 3, total: rows.length });
    expect(paged.body.items).toHaveLength(3);
    const bad = await admin.request('GET', '/admin/api/audit-log?pageSize=1000');
    expect(bad.status).toBe(400);
    expect(bad.body['errors']).toEqual([expect.objectContaining({ pointer: '/pageSize' })]);
  });
});
