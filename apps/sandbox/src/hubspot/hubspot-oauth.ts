/**
 * HubSpot OAuth: the consent page, the token endpoint (authorization_code and refresh_token grants),
 * token introspection, and bearer authentication of API calls. HubSpot refresh tokens do not rotate,
 * access tokens live `expires_in` seconds (1800 by default), and an expired token gets a 401
 * EXPIRED_AUTHENTICATION. The SDK never refreshes by itself; clients refresh ahead of expiry.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse, SandboxRouter } from '../common/sandbox-http';
import { hubSpotError } from './hubspot-errors';

export interface HubSpotAppIdentity {
  clientId: string;
  clientSecret: string;
  appId: number;
  portalId: number;
  userId: number;
  userEmail: string;
  hubDomain: string;
  scopes: string[];
  /** A private-app token: never expires, gets the Daily rate-limit headers. */
  privateAppToken: string;
  /** The private app's id (writes made with its token carry it as sourceId). */
  privateAppId: number;
}

export const HUBSPOT_DEMO_APP: HubSpotAppIdentity = {
  clientId: '5f0c6ad2-3a9b-4a44-9c7e-1b2d3c4e5f60',
  clientSecret: 'b1f3c0de-7e2a-4c19-8d55-0a1b2c3d4e5f',
  appId: 1160452,
  portalId: 62515,
  userId: 2001,
  userEmail: 'integration@fieldcast.example',
  hubDomain: 'fieldcast-demo.hubspot.example',
  scopes: [
    'oauth',
    'crm.objects.contacts.read',
    'crm.objects.contacts.write',
    'tickets',
    'crm.objects.deals.read',
    'crm.objects.deals.write',
    'crm.schemas.contacts.write',
  ],
  privateAppToken: 'pat-na1-7c1e0f3a-5d2b-4b8e-9f60-3a2d1c0b9e87',
  privateAppId: 3300123,
};

export type HubSpotCaller = { kind: 'oauth'; token: string } | { kind: 'private'; token: string };

interface AccessTokenEntry {
  expiresAt: number;
  refreshToken: string;
}

const AUTH_CODE_TTL_MS = 10 * 60_000;

export class HubSpotTokenStore {
  ttlSeconds: number;
  /** Scopes granted to the app in this portal (all tokens); the control API can take some away. */
  scopes: string[];
  private accessTokens = new Map<string, AccessTokenEntry>();
  private refreshTokens = new Set<string>();
  private codes = new Map<string, { redirectUri: string; expiresAt: number }>();
  private demo?: { accessToken: string; refreshToken: string };

  constructor(
    readonly app: HubSpotAppIdentity,
    private readonly defaultTtlSeconds: number,
  ) {
    this.ttlSeconds = defaultTtlSeconds;
    this.scopes = [...app.scopes];
  }

  /** Restores the default lifetime and scopes; issued tokens stay valid so running clients keep working. */
  reset(): void {
    this.ttlSeconds = this.defaultTtlSeconds;
    this.scopes = [...this.app.scopes];
  }

  issue(refreshToken?: string): { access_token: string; refresh_token: string; expires_in: number } {
    const refresh = refreshToken ?? `na1-${randomUUID()}`;
    this.refreshTokens.add(refresh);
    const access = `CN${randomBytes(36).toString('base64url')}`;
    this.accessTokens.set(access, { expiresAt: Date.now() + this.ttlSeconds * 1000, refreshToken: refresh });
    return { access_token: access, refresh_token: refresh, expires_in: this.ttlSeconds };
  }

  /** The pair GET /__sandbox/credentials hands out: re-issued when the current one expired. */
  demoTokens(): { accessToken: string; refreshToken: string; expiresIn: number; expiresAt: number } {
    const current = this.demo && this.accessTokens.get(this.demo.accessToken);
    if (!this.demo || !current || current.expiresAt <= Date.now() + 1000) {
      const issued = this.issue(this.demo?.refreshToken);
      this.demo = { accessToken: issued.access_token, refreshToken: issued.refresh_token };
    }
    const entry = this.accessTokens.get(this.demo.accessToken)!;
    return { ...this.demo, expiresIn: Math.max(0, Math.floor((entry.expiresAt - Date.now()) / 1000)), expiresAt: entry.expiresAt };
  }

  /** Ends every access token now (tests of expiry mid-sync); refresh tokens keep working. */
  expireAll(): number {
    const now = Date.now();
    for (const entry of this.accessTokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now - 1);
    return this.accessTokens.size;
  }

  createCode(redirectUri: string): string {
    const code = randomUUID();
    this.codes.set(code, { redirectUri, expiresAt: Date.now() + AUTH_CODE_TTL_MS });
    return code;
  }

  /** Authenticates an API call from its Authorization header; returns the 401 to send otherwise. */
  authenticate(request: SandboxRequest): HubSpotCaller | SandboxResponse {
    const header = request.headers['authorization'] ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (token && token === this.app.privateAppToken) return { kind: 'private', token };
    const entry = token ? this.accessTokens.get(token) : undefined;
    if (!token || !entry) {
      return hubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    const now = Date.now();
    if (entry.expiresAt <= now) {
      const minutes = Math.floor((now - entry.expiresAt) / 60_000);
      return hubSpotError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutes} minute(s) ago.`, {
        context: { 'expire time': [new Date(entry.expiresAt).toString()] },
      });
    }
    return { kind: 'oauth', token };
  }

  accessTokenInfo(token: string): { expiresAt: number } | undefined {
    return this.accessTokens.get(token);
  }

  hasRefreshToken(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  revokeRefreshToken(token: string): boolean {
    if (!this.refreshTokens.delete(token)) return false;
    for (const [access, entry] of this.accessTokens) if (entry.refreshToken === token) this.accessTokens.delete(access);
    return true;
  }

  consumeCode(code: string, redirectUri: string): 'ok' | 'unknown' | 'redirect-mismatch' {
    const entry = this.codes.get(code);
    if (!entry || entry.expiresAt < Date.now()) return 'unknown';
    this.codes.delete(code);
    return entry.redirectUri === redirectUri ? 'ok' : 'redirect-mismatch';
  }
}

function oauthError(status: string, message: string): SandboxResponse {
  return { status: 400, body: { status, message, correlationId: randomUUID(), requestId: randomUUID().replace(/-/g, '') } };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function htmlPage(status: number, title: string, body: string): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;color:#33475b}button{padding:.6rem 1.2rem;margin-right:.5rem;border-radius:3px;border:1px solid #ff7a59}button.primary{background:#ff7a59;color:#fff}code{background:#f5f8fa;padding:0 .2rem}</style>
</head><body>${body}</body></html>`,
  };
}

export function mountHubSpotOAuth(router: SandboxRouter, tokens: HubSpotTokenStore): void {
  const app = tokens.app;

  // https://developers.hubspot.com/docs/api/oauth-quickstart-guide (install URL: /oauth/authorize)
  router.add('GET', '/oauth/authorize', (req) => {
    const clientId = req.query.get('client_id') ?? '';
    const redirectUri = req.query.get('redirect_uri') ?? '';
    const scope = req.query.get('scope') ?? '';
    const state = req.query.get('state') ?? '';
    if (clientId !== app.clientId) {
      return htmlPage(
        400,
        'Authorization failed',
        `<h1>Authorization failed</h1><p>Unknown <code>client_id</code> ${escapeHtml(JSON.stringify(clientId))}. Use the client id from <code>GET /__sandbox/credentials</code>.</p>`,
      );
    }
    if (!/^https?:\/\//.test(redirectUri)) {
      return htmlPage(
        400,
        'Authorization failed',
        '<h1>Authorization failed</h1><p><code>redirect_uri</code> is missing or not an http(s) URL.</p>',
      );
    }
    const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const scopes = scope.split(/[ +]/).filter(Boolean);
    return htmlPage(
      200,
      'Connect app to HubSpot',
      `<h1>Connect to HubSpot portal ${app.portalId}</h1>
<p>The app <strong>Fieldcast</strong> (app id ${app.appId}) is requesting access to <code>${escapeHtml(app.hubDomain)}</code>:</p>
<ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('') || '<li>(no scopes requested)</li>'}</ul>
<form method="get" action="/oauth/authorize/decision">${hidden('redirect_uri', redirectUri)}${hidden('state', state)}
<button class="primary" name="decision" value="approve" type="submit">Connect app</button>
<button name="decision" value="deny" type="submit">Cancel</button></form>`,
    );
  });

  router.add('GET', '/oauth/authorize/decision', (req) => {
    const redirectUri = req.query.get('redirect_uri') ?? '';
    const state = req.query.get('state');
    if (!/^https?:\/\//.test(redirectUri))
      return htmlPage(400, 'Authorization failed', '<h1>Authorization failed</h1><p>Missing redirect_uri.</p>');
    const target = new URL(redirectUri);
    if (req.query.get('decision') === 'approve') target.searchParams.set('code', tokens.createCode(redirectUri));
    else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user cancelled the app installation.');
    }
    if (state !== null && state !== '') target.searchParams.set('state', state);
    return { status: 302, headers: { Location: target.toString() } };
  });

  // https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/tokens/post-oauth-v1-token
  router.add('POST', '/oauth/v1/token', (req) => {
    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    const grantType = form.get('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return oauthError('BAD_GRANT_TYPE', `grant_type must be authorization_code or refresh_token, got ${JSON.stringify(grantType)}`);
    }
    if (form.get('client_id') !== app.clientId) return oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (form.get('client_secret') !== app.clientSecret) return oauthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    let issued: { access_token: string; refresh_token: string; expires_in: number };
    if (grantType === 'authorization_code') {
      const outcome = tokens.consumeCode(form.get('code') ?? '', form.get('redirect_uri') ?? '');
      if (outcome === 'unknown') return oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      if (outcome === 'redirect-mismatch')
        return oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match the one used to get the code');
      issued = tokens.issue();
    } else {
      const refreshToken = form.get('refresh_token') ?? '';
      if (!tokens.hasRefreshToken(refreshToken)) return oauthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      issued = tokens.issue(refreshToken);
    }
    return {
      status: 200,
      body: {
        token_type: 'bearer',
        refresh_token: issued.refresh_token,
        access_token: issued.access_token,
        expires_in: issued.expires_in,
        token_use: 'access_token',
        hub_id: app.portalId,
        user_id: app.userId,
        scopes: tokens.scopes,
      },
    };
  });

  // https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/access-tokens/get-oauth-v1-access-tokens-token
  router.add('GET', '/oauth/v1/access-tokens/:token', (req) => {
    const info = tokens.accessTokenInfo(req.params.token!);
    if (!info || info.expiresAt <= Date.now()) return hubSpotError(404, 'OBJECT_NOT_FOUND', 'The access token is unknown or expired.');
    return {
      status: 200,
      body: {
        token: req.params.token,
        user: app.userEmail,
        hub_domain: app.hubDomain,
        scopes: tokens.scopes,
        signed_access_token: { expiresAt: info.expiresAt, scopes: 'AAAA', hubId: app.portalId, userId: app.userId, appId: app.appId },
        hub_id: app.portalId,
        app_id: app.appId,
        expires_in: Math.floor((info.expiresAt - Date.now()) / 1000),
        user_id: app.userId,
        token_type: 'access',
      },
    };
  });

  // https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/refresh-tokens/get-oauth-v1-refresh-tokens-token
  router.add('GET', '/oauth/v1/refresh-tokens/:token', (req) => {
    if (!tokens.hasRefreshToken(req.params.token!))
      return hubSpotError(404, 'OBJECT_NOT_FOUND', 'The refresh token is unknown or revoked.');
    return {
      status: 200,
      body: {
        token: req.params.token,
        user: app.userEmail,
        hub_domain: app.hubDomain,
        scopes: tokens.scopes,
        hub_id: app.portalId,
        client_id: app.clientId,
        user_id: app.userId,
        token_type: 'refresh',
      },
    };
  });

  router.add('DELETE', '/oauth/v1/refresh-tokens/:token', (req) =>
    tokens.revokeRefreshToken(req.params.token!)
      ? { status: 204 }
      : hubSpotError(404, 'OBJECT_NOT_FOUND', 'The refresh token is unknown or already revoked.'),
  );
}
