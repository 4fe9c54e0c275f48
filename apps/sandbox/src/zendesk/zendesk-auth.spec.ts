import { ZENDESK_REFRESH_TOKEN_TTL_SECONDS, ZendeskAuth } from './zendesk-auth';
import { seedZendeskDirectory, ZENDESK_INTEGRATION_USER } from './zendesk-directory';
import { ZendeskStore } from './zendesk-store';

describe('ZendeskAuth token lifetimes (sandbox clock)', () => {
  let now = Date.parse('2025-06-01T00:00:00Z');
  const store = new ZendeskStore();
  seedZendeskDirectory(store);
  const auth = new ZendeskAuth(store, undefined, () => now);
  const bearer = (token: string) => auth.authenticate(`Bearer ${token}`).ok;

  it('access tokens never expire unless a lifetime is asked for; refresh tokens end after 30 days by default', () => {
    const token = auth.issueToken(ZENDESK_INTEGRATION_USER.id, 'fieldcast', ['read'], true);
    expect(token.expiresAt).toBeNull();
    now += 365 * 86_400_000;
    expect(bearer(token.token)).toBe(true);
    const fresh = auth.issueToken(ZENDESK_INTEGRATION_USER.id, 'fieldcast', ['read'], true);
    now += (ZENDESK_REFRESH_TOKEN_TTL_SECONDS - 1) * 1000;
    expect(auth.refreshable(fresh.refreshToken!)).toBe(fresh);
    now += 1000;
    expect(auth.refreshable(fresh.refreshToken!)).toBeUndefined();
    // An expired refresh token takes its access token with it, as a revocation does.
    expect(bearer(fresh.token)).toBe(false);
  });

  it('honours asked-for lifetimes, and revoking ends the access token and its refresh token', () => {
    const token = auth.issueToken(ZENDESK_INTEGRATION_USER.id, 'fieldcast', ['read'], true, undefined, {
      expiresInSeconds: 600,
      refreshExpiresInSeconds: 700_000,
    });
    now += 599_000;
    expect(bearer(token.token)).toBe(true);
    now += 1000;
    expect(bearer(token.token)).toBe(false);
    expect(auth.refreshable(token.refreshToken!)).toBe(token);
    auth.revoke(token);
    expect(auth.refreshable(token.refreshToken!)).toBeUndefined();
  });
});
