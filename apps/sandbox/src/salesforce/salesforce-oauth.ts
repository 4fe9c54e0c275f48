/**
 * OAuth 2.0 web-server flow of a connected app, as login.salesforce.com serves it: the authorize page
 * (consent form → redirect with code and state), the token endpoint (authorization_code and
 * refresh_token grants), revoke, and the identity URL (`id`) that jsforce parses after every token.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 * https://help.salesforce.com/s/articleView?id=remoteaccess_oauth_refresh_token_flow.htm
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SandboxRequest, SandboxResponse, SandboxRouter } from '../common/sandbox-http';

export interface SalesforceOrgIdentity {
  organizationId: string;
  integrationUserId: string;
  username: string;
  displayName: string;
  email: string;
  clientId: string;
  clientSecret: string;
}

interface AccessToken {
  userId: string;
  expiresAt: number;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

const CODE_TTL_MS = 15 * 60 * 1000;

export class SalesforceTokenStore {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly codes = new Map<string, AuthorizationCode>();

  constructor(
    private readonly org: SalesforceOrgIdentity,
    public ttlSeconds: number,
  ) {}

  issueAccessToken(userId = this.org.integrationUserId): string {
    // Real access tokens are `<org id 15>!<opaque>`; connectors must not depend on the shape, but logs look familiar.
    const token = `${this.org.organizationId.slice(0, 15)}!AQ${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { userId, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    return token;
  }

  issueRefreshToken(userId = this.org.integrationUserId): string {
    const token = `5Aep${randomBytes(30).toString('base64url')}`;
    this.refreshTokens.set(token, userId);
    return token;
  }

  /** The user a bearer token belongs to, or undefined when it is unknown or expired. */
  userFor(token: string | undefined): string | undefined {
    if (!token) return undefined;
    const entry = this.accessTokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.accessTokens.delete(token);
      return undefined;
    }
    return entry.userId;
  }

  /** A currently valid token for GET /__sandbox/credentials (reused while it lives). */
  currentAccessToken(): string {
    const now = Date.now();
    for (const [token, entry] of this.accessTokens) if (entry.expiresAt - now > 5_000) return token;
    return this.issueAccessToken();
  }

  currentRefreshToken(): string {
    for (const token of this.refreshTokens.keys()) return token;
    return this.issueRefreshToken();
  }

  expireAll(): number {
    const n = this.accessTokens.size;
    this.accessTokens.clear();
    return n;
  }

  revoke(token: string): boolean {
    return this.accessTokens.delete(token) || this.refreshTokens.delete(token);
  }

  issueCode(clientId: string, redirectUri: string): string {
    const code = `aPrx${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, { clientId, redirectUri, expiresAt: Date.now() + CODE_TTL_MS });
    return code;
  }

  /** Codes are single-use: redeeming removes them whether or not the rest of the request is valid. */
  redeemCode(code: string): AuthorizationCode | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  }

  refreshUser(refreshToken: string): string | undefined {
    return this.refreshTokens.get(refreshToken);
  }
}

export function bearerToken(request: SandboxRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header);
    if (m) return m[1].trim();
  }
  return request.query.get('oauth_token') ?? undefined;
}

function oauthError(error: string, description: string, status = 400): SandboxResponse {
  return { status, body: { error, error_description: description } };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function validRedirect(uri: string | null): uri is string {
  if (!uri) return false;
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Adds /services/oauth2/{authorize,token,revoke} and the identity URL /id/<org>/<user>. */
export function mountSalesforceOAuth(router: SandboxRouter, org: SalesforceOrgIdentity, tokens: SalesforceTokenStore): void {
  const tokenResponse = (request: SandboxRequest, userId: string, refreshToken?: string): SandboxResponse => {
    const issuedAt = String(Date.now());
    const id = `${request.baseUrl}/id/${org.organizationId}/${userId}`;
    return {
      status: 200,
      body: {
        access_token: tokens.issueAccessToken(userId),
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        signature: createHmac('sha256', org.clientSecret)
          .update(id + issuedAt)
          .digest('base64'),
        scope: 'api refresh_token',
        instance_url: request.baseUrl,
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
      },
    };
  };

  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
  router.add('GET', '/services/oauth2/authorize', (request) => {
    const q = request.query;
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri');
    if (clientId !== org.clientId) return htmlPage(400, 'error=invalid_client_id', 'client identifier invalid');
    if (!validRedirect(redirectUri)) return htmlPage(400, 'error=redirect_uri_mismatch', 'redirect_uri must match configuration');
    if (q.get('response_type') !== 'code') {
      const target = new URL(redirectUri);
      target.searchParams.set('error', 'unsupported_response_type');
      target.searchParams.set('error_description', 'response type not supported');
      if (q.get('state')) target.searchParams.set('state', q.get('state')!);
      return { status: 302, headers: { Location: target.href } };
    }
    const hidden = ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge']
      .filter((k) => q.get(k) !== null)
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k)!)}">`)
      .join('');
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
      body: `<!doctype html><html><head><title>Allow Access?</title></head><body>
<h1>Allow Access?</h1>
<p><b>Fieldcast</b> is asking to access your Salesforce data as <b>${escapeHtml(org.username)}</b>:</p>
<ul><li>Manage user data via APIs (api)</li><li>Perform requests at any time (refresh_token, offline_access)</li></ul>
<form method="POST" action="/services/oauth2/authorize">${hidden}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form></body></html>`,
    };
  });

  router.add('POST', '/services/oauth2/authorize', (request) => {
    const form = new URLSearchParams(request.rawBody.toString('utf8'));
    const redirectUri = form.get('redirect_uri');
    if (form.get('client_id') !== org.clientId) return htmlPage(400, 'error=invalid_client_id', 'client identifier invalid');
    if (!validRedirect(redirectUri)) return htmlPage(400, 'error=redirect_uri_mismatch', 'redirect_uri must match configuration');
    const target = new URL(redirectUri);
    if (form.get('decision') === 'allow') {
      target.searchParams.set('code', tokens.issueCode(org.clientId, redirectUri));
    } else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'end-user denied authorization');
    }
    if (form.get('state') !== null) target.searchParams.set('state', form.get('state')!);
    return { status: 302, headers: { Location: target.href } };
  });

  router.add('POST', '/services/oauth2/token', (request) => {
    const form = new URLSearchParams(request.rawBody.toString('utf8'));
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
    if (basic) [clientId, clientSecret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    if (clientId !== org.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') {
      if (clientSecret !== null && clientSecret !== org.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
      const userId = tokens.refreshUser(form.get('refresh_token') ?? '');
      if (!userId) return oauthError('invalid_grant', 'expired access/refresh token');
      return tokenResponse(request, userId);
    }
    if (grant === 'authorization_code') {
      if (clientSecret !== org.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
      const code = tokens.redeemCode(form.get('code') ?? '');
      if (!code) return oauthError('invalid_grant', 'invalid authorization code');
      if (code.redirectUri !== form.get('redirect_uri'))
        return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
      return tokenResponse(request, org.integrationUserId, tokens.issueRefreshToken());
    }
    return oauthError('unsupported_grant_type', 'grant type not supported');
  });

  router.add('POST', '/services/oauth2/revoke', (request) => {
    const token = new URLSearchParams(request.rawBody.toString('utf8')).get('token') ?? request.query.get('token') ?? '';
    return tokens.revoke(token) ? { status: 200 } : oauthError('invalid_token', 'invalid token');
  });

  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm (identity URL)
  router.add('GET', '/id/:orgId/:userId', (request) => {
    const userId = tokens.userFor(bearerToken(request));
    if (!userId) return { status: 403, body: 'Bad_OAuth_Token', headers: { 'Content-Type': 'text/plain' } };
    if (request.params.orgId !== org.organizationId || request.params.userId !== userId) {
      return { status: 404, body: 'Bad_Id', headers: { 'Content-Type': 'text/plain' } };
    }
    const base = request.baseUrl;
    const url = (path: string) => `${base}/services/${path}/{version}/`;
    return {
      status: 200,
      body: {
        id: `${base}/id/${org.organizationId}/${userId}`,
        asserted_user: true,
        user_id: userId,
        organization_id: org.organizationId,
        username: org.username,
        nick_name: org.username.split('@')[0],
        display_name: org.displayName,
        email: org.email,
        email_verified: true,
        first_name: org.displayName.split(' ')[0],
        last_name: org.displayName.split(' ').slice(1).join(' '),
        timezone: 'GMT',
        active: true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: 0,
        urls: {
          enterprise: `${base}/services/Soap/c/{version}/${org.organizationId.slice(0, 15)}`,
          partner: `${base}/services/Soap/u/{version}/${org.organizationId.slice(0, 15)}`,
          rest: url('data'),
          sobjects: `${url('data')}sobjects/`,
          query: `${url('data')}query/`,
          tooling_rest: `${url('data')}tooling/`,
        },
      },
    };
  });
}

function htmlPage(status: number, title: string, message: string): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html><title>${escapeHtml(title)}</title><p>${escapeHtml(title)}&amp;error_description=${escapeHtml(message)}</p>`,
  };
}
