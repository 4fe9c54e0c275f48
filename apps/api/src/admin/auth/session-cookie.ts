/**
 * The admin session cookie: a random 256-bit token (the table only holds its SHA-256), httpOnly so
 * scripts cannot read it, SameSite=Lax so cross-site POSTs never carry it (the OAuth callback, a
 * top-level GET navigation, still does), Secure when the public URL is https.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'fieldcast_session';
/** Readable by the UI's scripts: the double-submit copy of the session's CSRF token. */
export const CSRF_COOKIE = 'fieldcast_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 60 * 60_000;
export const SESSION_IDLE_MS = 2 * 60 * 60_000;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function setSessionCookies(response: Response, token: string, csrfToken: string, secure: boolean): void {
  const common = { sameSite: 'lax' as const, secure, path: '/', maxAge: SESSION_TTL_MS };
  response.cookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  response.cookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(response: Response, secure: boolean): void {
  response.clearCookie(SESSION_COOKIE, { sameSite: 'lax', secure, path: '/', httpOnly: true });
  response.clearCookie(CSRF_COOKIE, { sameSite: 'lax', secure, path: '/' });
}
