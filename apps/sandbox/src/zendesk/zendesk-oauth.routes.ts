/**
 * OAuth for the sandbox account: a consent page at /oauth/authorizations/new that redirects back
 * with a code, and /oauth/tokens for the authorization_code, refresh_token and client_credentials
 * grants. The approving user is the integration user (there is no login form in a sandbox).
 * The refresh_token grant rotates: it answers a new access and refresh token and ends both old ones.
 * authorization_code and refresh_token grants take `expires_in` (300-172,800 s) and
 * `refresh_token_expires_in` (604,800-7,776,000 s, default 30 days), as Zendesk does since April 2025.
 * https://developer.zendesk.com/documentation/ticketing/working-with-oauth/oauth-api-ref/
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
 */
import { randomBytes } from 'node:crypto';
import type { SandboxRequest, SandboxResponse, SandboxRouter } from '../common/sandbox-http';
import type { ZendeskAuth, ZendeskTokenLifetimes } from './zendesk-auth';
import { ZENDESK_INTEGRATION_USER } from './zendesk-directory';
import { zendeskJson } from './zendesk-errors';

const CODE_TTL_MS = 5 * 60_000;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formOrJson(request: SandboxRequest): Record<string, string> {
  const text = request.rawBody.toString('utf8');
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function oauthError(status: number, error: string, description: string): SandboxResponse {
  return zendeskJson(status, { error, error_description: description });
}

/** Lifetimes a grant request asks for, within Zendesk's documented bounds; a message naming the bad one otherwise. */
function requestedLifetimes(form: Record<string, string>): ZendeskTokenLifetimes | string {
  const seconds = (name: string): number | undefined | string => {
    const raw = form[name];
    if (raw === undefined || raw === '' || raw === 'null') return undefined;
    const n = Number(raw);
    return Number.isInteger(n) ? n : `${name} must be a whole number of seconds, got ${JSON.stringify(raw)}`;
  };
  const expiresIn = seconds('expires_in');
  const refreshExpiresIn = seconds('refresh_token_expires_in');
  if (typeof expiresIn === 'string') return expiresIn;
  if (typeof refreshExpiresIn === 'string') return refreshExpiresIn;
  if (expiresIn !== undefined && !(expiresIn > 300 && expiresIn < 172_800))
    return `expires_in must be more than 300 seconds and less than 172,800 seconds (2 days), got ${expiresIn}`;
  if (refreshExpiresIn !== undefined && !(refreshExpiresIn > 604_800 && refreshExpiresIn < 7_776_000))
    return `refresh_token_expires_in must be more than 604,800 seconds (7 days) and less than 7,776,000 seconds (90 days), got ${refreshExpiresIn}`;
  if (expiresIn !== undefined && refreshExpiresIn !== undefined && expiresIn >= refreshExpiresIn)
    return `expires_in (${expiresIn}) must be less than refresh_token_expires_in (${refreshExpiresIn})`;
  return { expiresInSeconds: expiresIn, refreshExpiresInSeconds: refreshExpiresIn };
}

function html(status: number, body: string): SandboxResponse {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: `<!doctype html><meta charset="utf-8">${body}` };
}

export function mountZendeskOAuthRoutes(router: SandboxRouter, auth: ZendeskAuth, clock: () => number = Date.now): void {
  router.add('GET', '/oauth/authorizations/new', (request) => {
    const q = request.query;
    const client = auth.clients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client)
      return html(
        400,
        `<h1>Invalid OAuth request</h1><p>Unknown client_id ${escapeHtml(q.get('client_id') ?? '(missing)')}. Use the one from GET /__sandbox/credentials.</p>`,
      );
    if (!/^https?:\/\//.test(redirectUri))
      return html(400, '<h1>Invalid OAuth request</h1><p>redirect_uri must be an absolute http(s) URL.</p>');
    if (q.get('response_type') !== 'code') return html(400, '<h1>Invalid OAuth request</h1><p>response_type must be "code".</p>');
    const hidden = ['client_id', 'redirect_uri', 'scope', 'state']
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k) ?? '')}">`)
      .join('');
    return html(
      200,
      `<title>Allow access - Zendesk sandbox</title><h1>${escapeHtml(client.name)} wants to access your Zendesk sandbox account</h1>
<p>Signed in as ${escapeHtml(ZENDESK_INTEGRATION_USER.email)}. Scopes: ${escapeHtml(q.get('scope') ?? 'read write')}</p>
<form method="post" action="/oauth/authorizations/new">${hidden}
<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></form>`,
    );
  });

  router.add('POST', '/oauth/authorizations/new', (request) => {
    const form = formOrJson(request);
    const client = auth.clients.get(form.client_id ?? '');
    const redirect = form.redirect_uri ?? '';
    if (!client || !/^https?:\/\//.test(redirect)) return html(400, '<h1>Invalid OAuth request</h1>');
    const target = new URL(redirect);
    if (form.state) target.searchParams.set('state', form.state);
    if (form.decision !== 'allow') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The end-user or authorization server denied the request.');
    } else {
      const code = randomBytes(24).toString('hex');
      auth.codes.set(code, {
        clientIdentifier: client.identifier,
        userId: ZENDESK_INTEGRATION_USER.id,
        redirectUri: redirect,
        scopes: (form.scope || 'read write').split(/\s+/),
        expiresAt: Date.now() + CODE_TTL_MS,
      });
      target.searchParams.set('code', code);
    }
    return { status: 302, headers: { Location: target.toString() }, body: '' };
  });

  router.add('POST', '/oauth/tokens', (request) => {
    const form = formOrJson(request);
    const client = auth.clients.get(form.client_id ?? '');
    if (!client || client.secret !== form.client_secret)
      return oauthError(
        401,
        'invalid_client',
        'Client authentication failed: check client_id and client_secret (GET /__sandbox/credentials).',
      );
    const secondsUntil = (at: number) => Math.max(0, Math.round((at - clock()) / 1000));
    const answer = (t: ReturnType<ZendeskAuth['issueToken']>) =>
      zendeskJson(200, {
        access_token: t.token,
        token_type: 'bearer',
        scope: t.scopes.join(' '),
        ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
        ...(t.expiresAt !== null ? { expires_in: secondsUntil(t.expiresAt) } : {}),
        ...(t.refreshExpiresAt !== null ? { refresh_token_expires_in: secondsUntil(t.refreshExpiresAt) } : {}),
      });
    const lifetimes = form.grant_type === 'client_credentials' ? {} : requestedLifetimes(form);
    if (typeof lifetimes === 'string') return oauthError(400, 'invalid_request', lifetimes);
    switch (form.grant_type) {
      case 'authorization_code': {
        const code = auth.codes.get(form.code ?? '');
        auth.codes.delete(form.code ?? '');
        if (!code || code.expiresAt < Date.now() || code.clientIdentifier !== client.identifier)
          return oauthError(400, 'invalid_grant', 'The authorization code is invalid, expired or was already used.');
        if (form.redirect_uri && form.redirect_uri !== code.redirectUri)
          return oauthError(400, 'invalid_grant', 'redirect_uri does not match the one the code was issued for.');
        return answer(auth.issueToken(code.userId, client.identifier, code.scopes, true, undefined, lifetimes));
      }
      case 'refresh_token': {
        const previous = auth.refreshable(form.refresh_token ?? '');
        if (!previous || previous.clientIdentifier !== client.identifier)
          return oauthError(400, 'invalid_grant', 'The refresh token is invalid, expired or was revoked.');
        // Rotation: the old access token and the old refresh token end here.
        auth.revoke(previous);
        return answer(auth.issueToken(previous.userId, client.identifier, previous.scopes, true, undefined, lifetimes));
      }
      case 'client_credentials':
        return answer(auth.issueToken(ZENDESK_INTEGRATION_USER.id, client.identifier, (form.scope || 'read write').split(/\s+/), false));
      default:
        return oauthError(
          400,
          'unsupported_grant_type',
          `grant_type must be authorization_code, refresh_token or client_credentials, got ${JSON.stringify(form.grant_type ?? null)}`,
        );
    }
  });
}
