/**
 * OAuth (consent page, code exchange, refresh, expiry → 401), rate limits (TEN_SECONDLY_ROLLING and
 * the search SECONDLY policy, the X-HubSpot-RateLimit-* headers, Daily headers only for private apps)
 * and injected faults, all through the real @hubspot/api-client as it really behaves.
 */
import { Client } from '@hubspot/api-client';
import { generateDemoData } from '../src/data/demo-data.generator';
import { hubSpotFailure, startHubSpotTestBed, type HubSpotTestBed } from './hubspot-sandbox.fixtures';

interface Credentials {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  privateAppToken: string;
  basePath: string;
  portalId: number;
  appId: number;
  webhookSigningSecret: string;
}

describe('HubSpot sandbox: OAuth, rate limits and faults (real SDK)', () => {
  let bed: HubSpotTestBed;
  let creds: Credentials;
  // The SDK logs every retry with console.error; keep the test output readable.
  let errorSpy: jest.SpyInstance;

  beforeAll(async () => {
    bed = await startHubSpotTestBed({ data: generateDemoData({ leads: 30, tickets: 10, seed: 1 }) });
    creds = (await bed.control<Credentials>('GET', '/credentials')).body;
    errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    errorSpy.mockRestore();
    await bed.sandbox.stop();
  });
  beforeEach(async () => {
    await bed.control('POST', '/reset');
    creds = (await bed.control<Credentials>('GET', '/credentials')).body;
  });

  describe('OAuth', () => {
    const redirectUri = 'http://127.0.0.1:9/oauth/callback';

    it('serves the credentials the SDK needs', () => {
      expect(creds).toMatchObject({ basePath: bed.baseUrl, portalId: expect.any(Number), appId: expect.any(Number) });
      expect(creds.webhookSigningSecret).toBe(creds.clientSecret);
      expect(creds.basePath.endsWith('/')).toBe(false);
    });

    it('consent page → redirect with code and state → code exchange with the SDK → working token', async () => {
      const authorize = `${bed.baseUrl}/oauth/authorize?client_id=${creds.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=crm.objects.contacts.read%20tickets&state=xyz`;
      const page = await fetch(authorize);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('crm.objects.contacts.read');
      expect(html).toContain('action="/oauth/authorize/decision"');

      const decision = await fetch(
        `${bed.baseUrl}/oauth/authorize/decision?decision=approve&redirect_uri=${encodeURIComponent(redirectUri)}&state=xyz`,
        { redirect: 'manual' },
      );
      expect(decision.status).toBe(302);
      const location = new URL(decision.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(redirectUri);
      expect(location.searchParams.get('state')).toBe('xyz');
      const code = location.searchParams.get('code')!;

      const oauthClient = new Client({ basePath: bed.baseUrl });
      const tokens = await oauthClient.oauth.tokensApi.create('authorization_code', code, redirectUri, creds.clientId, creds.clientSecret);
      expect(tokens.expiresIn).toBe(1800);
      expect(tokens.tokenType).toBe('bearer');
      const page1 = await bed.client({ accessToken: tokens.accessToken }).crm.contacts.basicApi.getPage(5);
      expect(page1.results).toHaveLength(5);

      const info = await oauthClient.oauth.accessTokensApi.get(tokens.accessToken);
      expect(info).toMatchObject({ hubId: creds.portalId, appId: creds.appId });
      expect(info.expiresIn).toBeGreaterThan(1700);

      const reused = await hubSpotFailure(
        oauthClient.oauth.tokensApi.create('authorization_code', code, redirectUri, creds.clientId, creds.clientSecret),
      );
      expect(reused.code).toBe(400);
      expect(reused.body.status).toBe('BAD_AUTH_CODE');
    });

    it('a denied consent redirects with error=access_denied; an unknown client gets a 400 page', async () => {
      const denied = await fetch(
        `${bed.baseUrl}/oauth/authorize/decision?decision=deny&redirect_uri=${encodeURIComponent(redirectUri)}&state=s`,
        { redirect: 'manual' },
      );
      expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
      const unknown = await fetch(`${bed.baseUrl}/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(redirectUri)}`);
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain('Unknown <code>client_id</code>');
    });

    it('an expired access token gets 401 EXPIRED_AUTHENTICATION; a refresh (same refresh token) restores access', async () => {
      const hubspot = bed.client({ accessToken: creds.accessToken });
      await hubspot.crm.contacts.basicApi.getPage(1);
      expect((await bed.control('POST', '/tokens', { expireAll: true })).status).toBe(200);
      const expired = await hubSpotFailure(hubspot.crm.contacts.basicApi.getPage(1));
      expect(expired.code).toBe(401);
      expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
      expect(String(expired.body.message)).toContain('expired');

      const oauthClient = new Client({ basePath: bed.baseUrl });
      const refreshed = await oauthClient.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        creds.clientId,
        creds.clientSecret,
        creds.refreshToken,
      );
      expect(refreshed.refreshToken).toBe(creds.refreshToken);
      hubspot.setAccessToken(refreshed.accessToken);
      expect((await hubspot.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);

      const badRefresh = await hubSpotFailure(
        oauthClient.oauth.tokensApi.create('refresh_token', undefined, undefined, creds.clientId, creds.clientSecret, 'na1-nope'),
      );
      expect(badRefresh.body.status).toBe('BAD_REFRESH_TOKEN');
      const badSecret = await hubSpotFailure(
        oauthClient.oauth.tokensApi.create('refresh_token', undefined, undefined, creds.clientId, 'wrong', creds.refreshToken),
      );
      expect(badSecret.body.status).toBe('BAD_CLIENT_SECRET');
    });

    it('tokens expire by themselves after expires_in (ttl set through the control API)', async () => {
      await bed.control('POST', '/tokens', { ttlSeconds: 1 });
      const oauthClient = new Client({ basePath: bed.baseUrl });
      const short = await oauthClient.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        creds.clientId,
        creds.clientSecret,
        creds.refreshToken,
      );
      expect(short.expiresIn).toBe(1);
      const hubspot = bed.client({ accessToken: short.accessToken });
      await hubspot.crm.contacts.basicApi.getPage(1);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await hubSpotFailure(hubspot.crm.contacts.basicApi.getPage(1))).code).toBe(401);
      const missing = await hubSpotFailure(bed.client({ accessToken: 'not-a-token' }).crm.contacts.basicApi.getPage(1));
      expect(missing.body.category).toBe('INVALID_AUTHENTICATION');
      expect((await bed.control('POST', '/tokens', { ttlSeconds: 0 })).status).toBe(400);
    });
  });

  describe('scopes', () => {
    it('answers 403 MISSING_SCOPES naming the scope when the app was installed without it; reads still work', async () => {
      const reduced = ['oauth', 'crm.objects.contacts.read', 'tickets'];
      const set = await bed.control<{ scopes: string[] }>('POST', '/tokens', { scopes: reduced });
      expect(set.body.scopes).toEqual(reduced);
      const hubspot = bed.client();
      const [contact] = (await hubspot.crm.contacts.basicApi.getPage(1)).results;
      const write = await hubSpotFailure(
        hubspot.crm.contacts.batchApi.update({ inputs: [{ id: contact!.id, properties: { jobtitle: 'x' } }] }),
      );
      expect(write.code).toBe(403);
      expect(write.body.category).toBe('MISSING_SCOPES');
      expect(JSON.stringify(write.body.errors)).toContain('crm.objects.contacts.write');
      const schema = await hubSpotFailure(hubspot.crm.properties.groupsApi.create('contacts', { name: 'fieldcast', label: 'Fieldcast' }));
      expect(JSON.stringify(schema.body.errors)).toContain('crm.schemas.contacts.write');
      expect((await hubspot.crm.tickets.basicApi.getPage(1)).results).toHaveLength(1);
      const info = await new Client({ basePath: bed.baseUrl }).oauth.accessTokensApi.get(creds.accessToken);
      expect(info.scopes).toEqual(reduced);
      expect((await bed.control('POST', '/tokens', { scopes: 'all' })).status).toBe(400);
    });
  });

  describe('rate limits', () => {
    it('sends X-HubSpot-RateLimit-* headers; Daily ones only to private-app callers', async () => {
      const oauthCall = await bed.client().crm.contacts.basicApi.getPageWithHttpInfo(1);
      expect(oauthCall.headers['x-hubspot-ratelimit-max']).toBe('100');
      expect(oauthCall.headers['x-hubspot-ratelimit-remaining']).toBe('99');
      expect(oauthCall.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
      expect(oauthCall.headers['x-hubspot-ratelimit-secondly']).toBe('10');
      expect(oauthCall.headers['x-hubspot-ratelimit-daily']).toBeUndefined();
      const privateCall = await bed.client({ accessToken: creds.privateAppToken }).crm.contacts.basicApi.getPageWithHttpInfo(1);
      expect(privateCall.headers['x-hubspot-ratelimit-daily']).toBe('250000');
      expect(privateCall.headers['x-hubspot-ratelimit-daily-remaining']).toBe('249999');
      expect(privateCall.headers['x-hubspot-ratelimit-remaining']).toBe('98');
    });

    it('sends no X-HubSpot-RateLimit-* headers while limits are off (they would describe a limit nobody enforces)', async () => {
      await bed.control('POST', '/rate-limit', { enabled: false });
      try {
        const call = await bed.client().crm.contacts.basicApi.getPageWithHttpInfo(1);
        expect(Object.keys(call.headers).filter((h) => h.startsWith('x-hubspot-ratelimit'))).toEqual([]);
      } finally {
        await bed.control('POST', '/rate-limit', { enabled: true });
      }
      const limited = await bed.client().crm.contacts.basicApi.getPageWithHttpInfo(1);
      expect(limited.headers['x-hubspot-ratelimit-max']).toBe('100');
    });

    it('answers 429 TEN_SECONDLY_ROLLING with Retry-After once the rolling window is full, and recovers when it rolls', async () => {
      await bed.control('POST', '/rate-limit', { maxPerWindow: 3, windowMs: 600 });
      const hubspot = bed.client();
      for (let i = 0; i < 3; i++) await hubspot.crm.contacts.basicApi.getPage(1);
      const raw = await fetch(`${bed.baseUrl}/crm/v3/objects/contacts?limit=1`, {
        headers: { Authorization: `Bearer ${creds.accessToken}` },
      });
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(raw.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      expect(await raw.json()).toEqual({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: expect.any(String),
        policyName: 'TEN_SECONDLY_ROLLING',
        requestId: expect.any(String),
      });
      const failure = await hubSpotFailure(hubspot.crm.contacts.basicApi.getPage(1));
      expect(failure.code).toBe(429);
      await new Promise((r) => setTimeout(r, 650));
      expect((await hubspot.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
      const stats = await bed.control<{ rateLimitHits: number }>('GET', '/stats');
      expect(stats.body.rateLimitHits).toBe(2);
      expect((await bed.control('POST', '/rate-limit', { maxPerWindow: 0 })).status).toBe(400);
    });

    it('without numberOfApiCallRetries the SDK throws the 429 at once; with it, the SDK waits 10 s (ignoring Retry-After) and retries', async () => {
      await bed.control('POST', '/rate-limit', { maxPerWindow: 1, windowMs: 2000 });
      await bed.client().crm.contacts.basicApi.getPage(1);
      const failure = await hubSpotFailure(bed.client().crm.contacts.basicApi.getPage(1));
      expect(failure.code).toBe(429);
      expect(failure.body.policyName).toBe('TEN_SECONDLY_ROLLING');
      expect(failure.headers['retry-after']).toBe('2');

      const retrying = bed.client({ numberOfApiCallRetries: 2 });
      const started = Date.now();
      const page = await retrying.crm.contacts.basicApi.getPage(1);
      const waited = Date.now() - started;
      expect(page.results).toHaveLength(1);
      // The window freed up after 2 s (Retry-After: 2), but the SDK's TEN_SECONDLY_ROLLING wait is a fixed 10 s per attempt.
      expect(waited).toBeGreaterThanOrEqual(10_000);
      expect(waited).toBeLessThan(13_000);
      const stats = await bed.control<{ calls: Record<string, number> }>('GET', '/stats');
      expect(stats.body.calls['GET /crm/v3/objects/:type']).toBe(4);
    }, 20_000);

    it('search has a per-second policy whose message the SDK retries after 1 s, but only when numberOfApiCallRetries is set', async () => {
      await bed.control('POST', '/rate-limit', { searchPerSecond: 1 });
      const plain = bed.client();
      await plain.crm.contacts.searchApi.doSearch({ limit: 1 });
      const failure = await hubSpotFailure(plain.crm.contacts.searchApi.doSearch({ limit: 1 }));
      expect(failure.code).toBe(429);
      expect(failure.body.message).toBe('You have reached your secondly limit.');

      const retrying = bed.client({ numberOfApiCallRetries: 2 });
      const started = Date.now();
      const result = await retrying.crm.contacts.searchApi.doSearch({ limit: 1 });
      expect(result.results).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });
  });

  describe('injected faults', () => {
    it('5xx in the HubSpot error shape: thrown without retries, retried after 200 ms with numberOfApiCallRetries', async () => {
      await bed.control('POST', '/faults', { serverErrorNext: 1, serverErrorStatus: 502 });
      const failure = await hubSpotFailure(bed.client().crm.contacts.basicApi.getPage(1));
      expect(failure.code).toBe(502);
      expect(failure.body.message).toBe('internal error');
      await bed.control('POST', '/faults', { serverErrorNext: 1 });
      expect((await bed.client({ numberOfApiCallRetries: 2 }).crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
    });

    it('injected 429 storms carry the vendor body and Retry-After', async () => {
      await bed.control('POST', '/faults', { rateLimitNext: 2, retryAfterSeconds: 7 });
      const failure = await hubSpotFailure(bed.client().crm.tickets.basicApi.getPage(1));
      expect(failure.code).toBe(429);
      expect(failure.headers['retry-after']).toBe('7');
      const search = await hubSpotFailure(bed.client().crm.tickets.searchApi.doSearch({ limit: 1 }));
      expect(search.body.message).toBe('You have reached your secondly limit.');
    });
  });
});
