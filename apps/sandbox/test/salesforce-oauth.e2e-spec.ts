/** OAuth web-server flow, identity, token expiry → jsforce refresh → replay, limits: the real jsforce against the sandbox. */
import { createHmac } from 'node:crypto';
import { OAuth2 } from 'jsforce';
import { demoLeads, startSalesforceSandbox, type StartedSalesforceSandbox } from './salesforce-sandbox.helpers';

describe('Salesforce sandbox: OAuth and session', () => {
  let sf: StartedSalesforceSandbox;
  beforeAll(async () => {
    sf = await startSalesforceSandbox({ data: { leads: demoLeads(5), tickets: [] } });
  });
  afterAll(() => sf.sandbox.stop());
  beforeEach(() => sf.control('POST', 'reset'));

  it('runs the web-server flow: consent page, redirect with code and state, token exchange, identity', async () => {
    const creds = await sf.credentials();
    const redirectUri = 'http://127.0.0.1:9/oauth/callback';
    const oauth2 = new OAuth2({ loginUrl: sf.baseUrl, clientId: creds.clientId, clientSecret: creds.clientSecret, redirectUri });
    const page = await fetch(oauth2.getAuthorizationUrl({ state: 'xyz-123', scope: 'api refresh_token' }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="POST" action="/services/oauth2/authorize">');
    expect(html).toContain('value="xyz-123"');

    const form = new URLSearchParams({ client_id: creds.clientId, redirect_uri: redirectUri, state: 'xyz-123', decision: 'allow' });
    const consent = await fetch(`${sf.baseUrl}/services/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(consent.status).toBe(302);
    const location = new URL(consent.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz-123');
    const code = location.searchParams.get('code')!;

    const token = await oauth2.requestToken(code);
    expect(token.instance_url).toBe(sf.baseUrl);
    expect(token.id).toBe(`${sf.baseUrl}/id/${creds.organizationId}/${creds.integrationUserId}`);
    expect(token.token_type).toBe('Bearer');
    expect(token.refresh_token).toEqual(expect.any(String));
    expect(Number(token.issued_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(token.signature).toBe(
      createHmac('sha256', creds.clientSecret)
        .update(token.id + token.issued_at)
        .digest('base64'),
    );

    // A code is single-use.
    await expect(oauth2.requestToken(code)).rejects.toThrow(/invalid authorization code/);

    const { Connection } = await import('jsforce');
    const conn = new Connection({
      oauth2,
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      version: '62.0',
    });
    const identity = await conn.identity();
    expect(identity.user_id).toBe(creds.integrationUserId);
    expect(identity.organization_id).toBe(creds.organizationId);
  });

  it('redirects a denied consent back with error=access_denied and the state', async () => {
    const creds = await sf.credentials();
    const form = new URLSearchParams({ client_id: creds.clientId, redirect_uri: 'http://127.0.0.1:9/cb', state: 's1', decision: 'deny' });
    const res = await fetch(`${sf.baseUrl}/services/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.get('code')).toBeNull();
    const bad = await fetch(`${sf.baseUrl}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=http://x/cb`);
    expect(bad.status).toBe(400);
  });

  it('answers an expired token with 401 INVALID_SESSION_ID; jsforce refreshes once and replays the call', async () => {
    const conn = await sf.connect();
    const refreshed: string[] = [];
    conn.on('refresh', (accessToken: string) => refreshed.push(accessToken));
    const oldToken = conn.accessToken;
    const raw = await fetch(`${sf.baseUrl}/services/data/v62.0/query?q=SELECT+Id+FROM+Lead`, { headers: { Authorization: 'Bearer nope' } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

    await sf.control('POST', 'tokens/expire');
    const result = await conn.query<{ Id: string }>('SELECT Id FROM Lead');
    expect(result.totalSize).toBe(5);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).not.toBe(oldToken);
    expect(conn.instanceUrl).toBe(sf.baseUrl);
    const stats = (await sf.control<{ calls: Record<string, number> }>('GET', 'stats')).body;
    // The raw call with a bad token, the call that got 401, and its replay.
    expect(stats.calls['GET /services/data/:version/query']).toBe(3);
    expect(stats.calls['POST /services/oauth2/token']).toBe(1);
  });

  it('expires tokens after the configured TTL', async () => {
    await sf.control('POST', 'tokens', { ttlSeconds: 0.3 });
    await sf.control('POST', 'tokens/expire');
    const conn = await sf.connect();
    let refreshes = 0;
    conn.on('refresh', () => refreshes++);
    await conn.query('SELECT Id FROM Lead');
    expect(refreshes).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    await conn.query('SELECT Id FROM Lead');
    expect(refreshes).toBe(1);
    await sf.control('POST', 'tokens', { ttlSeconds: 7200 });
  });

  it('fails a refresh with an unknown refresh token the way jsforce reports it', async () => {
    const conn = await sf.connect({ refreshToken: 'revoked' });
    await sf.control('POST', 'tokens/expire');
    await expect(conn.query('SELECT Id FROM Lead')).rejects.toThrow('Unable to refresh session due to: expired access/refresh token');
  });

  it('sends Sforce-Limit-Info on every response and 403 REQUEST_LIMIT_EXCEEDED past the daily limit (not retried)', async () => {
    const conn = await sf.connect();
    await sf.control('POST', 'limits', { dailyApiLimit: 3, used: 0 });
    await conn.query('SELECT Id FROM Lead');
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 3 } });
    await conn.query('SELECT Id FROM Lead');
    await conn.query('SELECT Id FROM Lead');
    const before = (await sf.control<{ totalCalls: number }>('GET', 'stats')).body.totalCalls;
    await expect(conn.query('SELECT Id FROM Lead')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    expect((await sf.control<{ totalCalls: number }>('GET', 'stats')).body.totalCalls).toBe(before + 1);
    const raw = await fetch(`${sf.baseUrl}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken}` } });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    const notFound = await fetch(`${sf.baseUrl}/services/data/v62.0/nothing-here`);
    expect(notFound.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/3$/);
    expect(await notFound.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });

  it('answers injected 503s and limits in the vendor shape; jsforce retries the 503s on GET', async () => {
    const conn = await sf.connect();
    await sf.control('POST', 'faults', { serverErrorNext: 1 });
    const result = await conn.query('SELECT Id FROM Lead');
    expect(result.totalSize).toBe(5);
    // An injected limit is refused as Salesforce does: 403 REQUEST_LIMIT_EXCEEDED, no wait named.
    await sf.control('POST', 'faults', { rateLimitNext: 1 });
    const raw = await fetch(`${sf.baseUrl}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken}` } });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('retry-after')).toBeNull();
    expect(await raw.json()).toEqual([
      expect.objectContaining({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: expect.stringMatching(/Concurrent/) }),
    ]);
  });
});
