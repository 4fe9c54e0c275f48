/**
 * The OAuth Tokens API: list, show and revoke OAuth access tokens (`current` = the token making the
 * request). Admins see and revoke every token of the account, other users only their own. Revoking
 * ends the access token and its refresh token, which is how an admin (or a user disconnecting an app)
 * cuts an integration off: its next refresh is refused with invalid_grant. Tokens are shown shortened,
 * as the real API never shows a whole token after it was issued.
 * https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/
 */
import type { SandboxResponse } from '../common/sandbox-http';
import type { ZendeskApi, ZendeskCallContext } from './zendesk-api';
import type { ZendeskAccessToken, ZendeskAuth } from './zendesk-auth';
import { zendeskJson, zendeskRecordNotFound } from './zendesk-errors';

const SHOWN_TOKEN_CHARS = 10;

function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function renderZendeskOAuthToken(token: ZendeskAccessToken, auth: ZendeskAuth, baseUrl: string): Record<string, unknown> {
  return {
    id: token.id,
    url: `${baseUrl}/api/v2/oauth/tokens/${token.id}.json`,
    client_id: auth.clients.get(token.clientIdentifier)?.id ?? null,
    user_id: token.userId,
    token: token.token.slice(0, SHOWN_TOKEN_CHARS),
    refresh_token: token.refreshToken ? token.refreshToken.slice(0, SHOWN_TOKEN_CHARS) : null,
    scopes: token.scopes,
    created_at: iso(token.createdAt),
    used_at: iso(token.usedAt),
    expires_at: iso(token.expiresAt),
  };
}

export function mountZendeskOAuthTokenRoutes(api: ZendeskApi, auth: ZendeskAuth): void {
  const visible = (ctx: ZendeskCallContext): ZendeskAccessToken[] =>
    [...auth.accessTokens.values()].filter((t) => ctx.caller.user.role === 'admin' || t.userId === ctx.caller.user.id);
  /** The token `id` names (`current`: the caller's own), when the caller may see it. */
  const find = (id: string, ctx: ZendeskCallContext): ZendeskAccessToken | undefined =>
    id === 'current' ? ctx.caller.token : visible(ctx).find((t) => String(t.id) === id);
  const show = (id: string, ctx: ZendeskCallContext): SandboxResponse => {
    const token = find(id, ctx);
    return token ? zendeskJson(200, { token: renderZendeskOAuthToken(token, auth, ctx.baseUrl) }) : zendeskRecordNotFound();
  };
  const revoke = (id: string, ctx: ZendeskCallContext): SandboxResponse => {
    const token = find(id, ctx);
    if (!token) return zendeskRecordNotFound();
    auth.revoke(token);
    return { status: 204 };
  };

  api.add(
    'GET',
    '/api/v2/oauth/tokens{.json}',
    (_request, ctx) =>
      zendeskJson(200, {
        tokens: visible(ctx).map((t) => renderZendeskOAuthToken(t, auth, ctx.baseUrl)),
        meta: { has_more: false, after_cursor: null, before_cursor: null },
        links: { next: null, prev: null },
      }),
    { list: true },
  );
  api.add('GET', '/api/v2/oauth/tokens/current{.json}', (_request, ctx) => show('current', ctx));
  api.add('GET', '/api/v2/oauth/tokens/:id{.json}', (request, ctx) => show(request.params.id!, ctx));
  api.add('DELETE', '/api/v2/oauth/tokens/current{.json}', (_request, ctx) => revoke('current', ctx));
  api.add('DELETE', '/api/v2/oauth/tokens/:id{.json}', (request, ctx) => revoke(request.params.id!, ctx));
}
