/**
 * Who is calling: API token (`Basic base64("email/token:TOKEN")`) or OAuth bearer token. Tokens,
 * OAuth clients, authorization codes and refresh tokens live here; the OAuth pages are in
 * zendesk-oauth.routes.ts.
 * https://developer.zendesk.com/api-reference/introduction/security-and-auth/
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
  token: string;
  userId: number;
  clientIdentifier: string;
  scopes: string[];
  /** Epoch ms, or null for tokens that never expire (Zendesk's default). */
  expiresAt: number | null;
  refreshToken: string | null;
}

export interface ZendeskCaller {
  user: ZendeskUser;
  method: 'api_token' | 'oauth';
  clientIdentifier?: string;
}

export type ZendeskAuthResult = { ok: true; caller: ZendeskCaller } | { ok: false; response: SandboxResponse };

export class ZendeskAuth {
  /** API token → the agent it belongs to (Zendesk tokens are account-wide; the email picks the user). */
  readonly apiTokens = new Map<string, number>();
  readonly clients = new Map<string, ZendeskOAuthClient>();
  readonly accessTokens = new Map<string, ZendeskAccessToken>();
  readonly refreshTokens = new Map<string, ZendeskAccessToken>();
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
  ): ZendeskAccessToken {
    const token: ZendeskAccessToken = {
      token: fixed?.token ?? ZendeskAuth.secret('zdo_'),
      userId,
      clientIdentifier,
      scopes,
      expiresAt: this.tokenTtlSeconds ? this.clock() + this.tokenTtlSeconds * 1000 : null,
      refreshToken: fixed ? fixed.refreshToken : withRefresh ? ZendeskAuth.secret('zdr_') : null,
    };
    this.accessTokens.set(token.token, token);
    if (token.refreshToken) this.refreshTokens.set(token.refreshToken, token);
    return token;
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
      return { ok: true, caller: { user, method: 'oauth', clientIdentifier: token.clientIdentifier } };
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
