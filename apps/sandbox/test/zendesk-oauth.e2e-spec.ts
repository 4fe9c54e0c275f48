/**
 * Zendesk sandbox, OAuth token lifecycle over HTTP (real node-zendesk where it has a call, plain
 * requests for /oauth/tokens, which node-zendesk does not cover), as Zendesk documents it since April
 * 2025: refresh tokens rotate (a refresh ends the old access AND refresh token), grants take
 * expires_in / refresh_token_expires_in within Zendesk's bounds, and the OAuth Tokens API revokes a
 * token together with its refresh token.
 */
import { startZendeskTestBed, type ZendeskTestBed } from './zendesk-sandbox.helpers';

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  refresh_token_expires_in?: number;
  error?: string;
  error_description?: string;
}

describe('Zendesk sandbox: OAuth refresh, expiry and revocation', () => {
  let bed: ZendeskTestBed;
  beforeAll(async () => {
    bed = await startZendeskTestBed();
  });
  afterAll(() => bed.sandbox.stop());
  beforeEach(() => bed.control('POST', 'reset'));

  const grant = async (body: Record<string, unknown>): Promise<{ status: number; body: TokenAnswer }> => {
    const response = await fetch(bed.credentials.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: bed.credentials.oauth.clientId, client_secret: bed.credentials.oauth.clientSecret, ...body }),
    });
    return { status: response.status, body: (await response.json()) as TokenAnswer };
  };
  const refresh = (refreshToken: string, extra: Record<string, unknown> = {}) =>
    grant({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });
  const api = async (method: string, path: string, auth: { bearer: string } | 'admin') => {
    const authorization =
      auth === 'admin'
        ? `Basic ${Buffer.from(`${bed.credentials.email}/token:${bed.credentials.apiToken}`).toString('base64')}`
        : `Bearer ${auth.bearer}`;
    const response = await fetch(`${bed.base}/api/v2/${path}`, { method, headers: { Authorization: authorization } });
    return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>) };
  };

  it('rotates on refresh: a new access and refresh token, and both old ones stop working', async () => {
    const first = await refresh(bed.credentials.oauth.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'bearer', scope: 'read write' });
    expect(first.body.refresh_token).not.toBe(bed.credentials.oauth.refreshToken);
    // Access tokens do not expire unless asked to; refresh tokens live 30 days by default.
    expect(first.body.expires_in).toBeUndefined();
    expect(first.body.refresh_token_expires_in).toBeGreaterThan(2_591_990);
    expect((await api('GET', 'users/me.json', { bearer: first.body.access_token! })).status).toBe(200);
    expect((await api('GET', 'users/me.json', { bearer: bed.credentials.oauth.accessToken })).status).toBe(401);
    // The old refresh token was used up: replaying it (a second worker refreshing too) is refused.
    const replay = await refresh(bed.credentials.oauth.refreshToken);
    expect(replay).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The refresh token is invalid, expired or was revoked.' },
    });
    // The new one works, once.
    const second = await refresh(first.body.refresh_token!);
    expect(second.status).toBe(200);
    expect((await api('GET', 'users/me.json', { bearer: first.body.access_token! })).status).toBe(401);
  });

  it('gives tokens the lifetimes a grant asks for, within the bounds Zendesk documents', async () => {
    const asked = await refresh(bed.credentials.oauth.refreshToken, { expires_in: 600, refresh_token_expires_in: 1_209_600 });
    expect(asked.status).toBe(200);
    expect(asked.body.expires_in).toBeGreaterThanOrEqual(599);
    expect(asked.body.expires_in).toBeLessThanOrEqual(600);
    expect(asked.body.refresh_token_expires_in).toBeGreaterThanOrEqual(1_209_599);
    const shown = await api('GET', 'oauth/tokens/current.json', { bearer: asked.body.access_token! });
    const expiresAt = Date.parse((shown.body!.token as { expires_at: string }).expires_at);
    expect(Math.abs(expiresAt - (Date.now() + 600_000))).toBeLessThan(5_000);

    for (const [extra, message] of [
      [{ expires_in: 120 }, 'expires_in must be more than 300 seconds and less than 172,800 seconds (2 days), got 120'],
      [{ expires_in: 172_800 }, 'expires_in must be more than 300 seconds and less than 172,800 seconds (2 days), got 172800'],
      [{ refresh_token_expires_in: 3600 }, 'refresh_token_expires_in must be more than 604,800 seconds (7 days)'],
      [{ expires_in: 'soon' }, 'expires_in must be a whole number of seconds, got "soon"'],
    ] as const) {
      const refused = await refresh(asked.body.refresh_token!, extra);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_request');
      expect(refused.body.error_description).toContain(message);
    }
    // A refused request consumed nothing: the refresh token still works.
    expect((await refresh(asked.body.refresh_token!)).status).toBe(200);
  });

  it('revokes a token through the OAuth Tokens API: its access token and its refresh token end', async () => {
    const issued = await refresh(bed.credentials.oauth.refreshToken);
    const bearer = issued.body.access_token!;
    const current = await api('GET', 'oauth/tokens/current.json', { bearer });
    const token = current.body!.token as { id: number; user_id: number; token: string; refresh_token: string; client_id: number };
    expect(token.user_id).toBe(bed.credentials.integrationUserId);
    // Shown shortened, as the real API does after issuing.
    expect(bearer.startsWith(token.token)).toBe(true);
    expect(token.token.length).toBeLessThan(bearer.length);
    // An admin sees it in the account's list and revokes it.
    const list = await api('GET', 'oauth/tokens.json', 'admin');
    expect((list.body!.tokens as Array<{ id: number }>).map((t) => t.id)).toContain(token.id);
    expect((await api('DELETE', `oauth/tokens/${token.id}.json`, 'admin')).status).toBe(204);
    expect((await api('GET', 'users/me.json', { bearer })).status).toBe(401);
    expect(await refresh(issued.body.refresh_token!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await api('DELETE', `oauth/tokens/${token.id}.json`, 'admin')).status).toBe(404);
  });

  it('lets a token revoke itself (DELETE current), and an agent sees only their own tokens', async () => {
    const issued = await refresh(bed.credentials.oauth.refreshToken);
    const bearer = issued.body.access_token!;
    expect((await api('DELETE', 'oauth/tokens/current.json', { bearer })).status).toBe(204);
    expect((await api('GET', 'users/me.json', { bearer })).status).toBe(401);
    expect((await refresh(issued.body.refresh_token!)).status).toBe(400);

    await bed.control('POST', 'reset');
    const agent = `Basic ${Buffer.from(`${bed.credentials.restrictedAgent.email}/token:${bed.credentials.apiToken}`).toString('base64')}`;
    const seen = await fetch(`${bed.base}/api/v2/oauth/tokens.json`, { headers: { Authorization: agent } });
    expect(((await seen.json()) as { tokens: unknown[] }).tokens).toEqual([]);
    const [integrationToken] = ((await api('GET', 'oauth/tokens.json', 'admin')).body!.tokens as Array<{ id: number }>)!;
    const denied = await fetch(`${bed.base}/api/v2/oauth/tokens/${integrationToken!.id}.json`, {
      method: 'DELETE',
      headers: { Authorization: agent },
    });
    expect(denied.status).toBe(404);
    expect((await api('GET', 'users/me.json', { bearer: bed.credentials.oauth.accessToken })).status).toBe(200);
  });

  it('POST /__sandbox/oauth/revoke ends every OAuth token of the account; API tokens keep working', async () => {
    const { body } = await bed.control<{ revoked: number }>('POST', 'oauth/revoke');
    expect(body.revoked).toBeGreaterThanOrEqual(1);
    expect((await api('GET', 'users/me.json', { bearer: bed.credentials.oauth.accessToken })).status).toBe(401);
    expect((await refresh(bed.credentials.oauth.refreshToken)).body.error).toBe('invalid_grant');
    expect((await api('GET', 'users/me.json', 'admin')).status).toBe(200);
    // A reset restores the sandbox's demo token (credentials read once stay valid).
    await bed.control('POST', 'reset');
    expect((await api('GET', 'users/me.json', { bearer: bed.credentials.oauth.accessToken })).status).toBe(200);
  });
});
