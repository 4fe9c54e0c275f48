/**
 * Who is calling: API token (`Basic base64("email/token:TOKEN")`) or OAuth bearer token. Tokens,
 * OAuth clients, authorization codes and refresh tokens live here; the OAuth pages are in
 * zendesk-oauth.routes.ts, the OAuth Tokens API (list, revoke) in zendesk-oauth-tokens.routes.ts.
 * As on Zendesk since April 2025: access tokens may expire (never, unless a lifetime is asked for or
 * the sandbox's `tokenTtlSeconds` is set), refresh tokens expire (30 days unless asked otherwise) and
 * rotate, and revoking a token ends its access token and its refresh token.
 * https://developer.zendesk.com/api-reference/introduction/security-and-auth/
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
 */
import { randomBytes } from 'node:crypto';
import type { SandboxResponse } from '../common/sandbox-http';
import { zendeskInvalidToken, zendeskUnauthorized } from './zendesk-errors';
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskUser } from './zendesk.types';

export interface ZendeskOAuthClient {
  id: number;
  identifier: string;
  secret: string;
  name: string;
}

export interface ZendeskAccessToken {
  /** The OAuth Tokens API's resource id. */
  id: number;
  token: string;
  userId: number;
  clientIdentifier: string;
  scopes: string[];
  /** Epoch ms, or null for tokens that never expire (Zendesk's default). */
  expiresAt: number | null;
  refreshToken: string | null;
  /** Epoch ms after which the refresh token is refused. */
  refreshExpiresAt: number | null;
  createdAt: number;
  usedAt: number | null;
}

/** Lifetimes asked for in a grant request (seconds); the sandbox's defaults otherwise. */
export interface ZendeskTokenLifetimes {
  expiresInSeconds?: number;
  refreshExpiresInSeconds?: number;
}

/** A refresh token lives 30 days unless the grant asks otherwise (Zendesk's default). */
export const ZENDESK_REFRESH_TOKEN_TTL_SECONDS = 2_592_000;

export interface ZendeskCaller {
  user: ZendeskUser;
  method: 'api_token' | 'oauth';
  clientIdentifier?: string;
  /** The OAuth token the call was made with. */
  token?: ZendeskAccessToken;
}

export type ZendeskAuthResult = { ok: true; caller: ZendeskCaller } | { ok: false; response: SandboxResponse };

export class ZendeskAuth {
  /** API token → the agent it belongs to (Zendesk tokens are account-wide; the email picks the user). */
  readonly apiTokens = new Map<string, number>();
  readonly clients = new Map<string, ZendeskOAuthClient>();
  readonly accessTokens = new Map<string, ZendeskAccessToken>();
  readonly refreshTokens = new Map<string, ZendeskAccessToken>();
  private nextTokenId = 1;
  readonly codes = new Map<
    string,
    { clientIdentifier: string; userId: number; redirectUri: string; scopes: string[]; expiresAt: number }
  >();

  constructor(
    private readonly store: ZendeskStore,
    private readonly tokenTtlSeconds: number | undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  static secret(prefix: string): string {
    return `${prefix}${randomBytes(18).toString('base64url')}`;
  }

  addApiToken(token: string, userId: number): void {
    this.apiTokens.set(token, userId);
  }

  addClient(client: ZendeskOAuthClient): void {
    this.clients.set(client.identifier, client);
  }

  issueToken(
    userId: number,
    clientIdentifier: string,
    scopes: string[],
    withRefresh: boolean,
    fixed?: { token: string; refreshToken: string | null },
    lifetimes: ZendeskTokenLifetimes = {},
  ): ZendeskAccessToken {
    const now = this.clock();
    const ttlSeconds = lifetimes.expiresInSeconds ?? this.tokenTtlSeconds;
    const refreshToken = fixed ? fixed.refreshToken : withRefresh ? ZendeskAuth.secret('zdr_') : null;
    const token: ZendeskAccessToken = {
      id: this.nextTokenId++,
      token: fixed?.token ?? ZendeskAuth.secret('zdo_'),
      userId,
      clientIdentifier,
      scopes,
      expiresAt: ttlSeconds ? now + ttlSeconds * 1000 : null,
      refreshToken,
      refreshExpiresAt: refreshToken ? now + (lifetimes.refreshExpiresInSeconds ?? ZENDESK_REFRESH_TOKEN_TTL_SECONDS) * 1000 : null,
      createdAt: now,
      usedAt: null,
    };
    this.accessTokens.set(token.token, token);
    if (token.refreshToken) this.refreshTokens.set(token.refreshToken, token);
    return token;
  }

  /** The live token a refresh token belongs to, or undefined when it is unknown, revoked, rotated away or expired. */
  refreshable(refreshToken: string): ZendeskAccessToken | undefined {
    const token = this.refreshTokens.get(refreshToken);
    if (!token) return undefined;
    if (token.refreshExpiresAt !== null && token.refreshExpiresAt <= this.clock()) {
      this.revoke(token);
      return undefined;
    }
    return token;
  }

  /** Ends a token: its access token and its refresh token stop working (a rotation or a revocation). */
  revoke(token: ZendeskAccessToken): void {
    this.accessTokens.delete(token.token);
    if (token.refreshToken) this.refreshTokens.delete(token.refreshToken);
  }

  /** Revokes every OAuth token (the account's admin removed the app's access); API tokens stay. */
  revokeAll(): number {
    const tokens = [...this.accessTokens.values()];
    for (const t of tokens) this.revoke(t);
    return tokens.length;
  }

  /** Expires every access token now (token-expiry tests); refresh tokens keep working. */
  expireAccessTokens(): number {
    const now = this.clock();
    for (const t of this.accessTokens.values()) t.expiresAt = now - 1;
    return this.accessTokens.size;
  }

  authenticate(authorization: string | undefined): ZendeskAuthResult {
    if (!authorization) return { ok: false, response: zendeskUnauthorized() };
    const [scheme, value = ''] = authorization.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer') {
      const token = this.accessTokens.get(value);
      if (!token || (token.expiresAt !== null && token.expiresAt <= this.clock())) return { ok: false, response: zendeskInvalidToken() };
      const user = this.store.users.get(token.userId);
      if (!user) return { ok: false, response: zendeskInvalidToken() };
      token.usedAt = this.clock();
      return { ok: true, caller: { user, method: 'oauth', clientIdentifier: token.clientIdentifier, token } };
    }
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const match = /^(.+)\/token:(.+)$/.exec(decoded);
      if (!match) return { ok: false, response: zendeskUnauthorized() };
      const [, email, token] = match;
      const userId = this.apiTokens.get(token!);
      const user = this.store.usersByEmail.get(email!.toLowerCase());
      if (userId === undefined || !user || user.role === 'end-user') return { ok: false, response: zendeskUnauthorized() };
      return { ok: true, caller: { user, method: 'api_token' } };
    }
    return { ok: false, response: zendeskUnauthorized() };
  }
}
