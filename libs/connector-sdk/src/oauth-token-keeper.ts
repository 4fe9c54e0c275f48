/**
 * Keeps one connection's OAuth access token usable for the calls of one ConnectorContext: refreshes it
 * ahead of its expiry, and once after the vendor rejects it (401); single-flight, so parallel calls
 * share one refresh. That matters most where the vendor rotates refresh tokens (Zendesk invalidates the
 * old access AND refresh token on every refresh): a second refresh with the old refresh token would be
 * refused and the connection would wrongly look revoked. A new token is persisted through
 * `ctx.onCredentialsRefreshed` before any call uses it, so a crash can never leave the stored token
 * older than the one in use. The vendor-specific part is only `exchange` (one token-endpoint request).
 */
import { retryWithBackoff } from '@fieldcast/common';
import { ConnectorException } from './connector-exception';
import type { ConnectionCredentials, ConnectorContext } from './connector.types';
import type { VendorCallAuth } from './vendor-call';

export type OAuthCredentials = Extract<ConnectionCredentials, { kind: 'oauth2' }>;

/** What a vendor's token endpoint answered to a refresh-token grant. */
export interface OAuthTokenGrant {
  accessToken: string;
  /** A rotated refresh token; absent (or empty) when the vendor keeps the old one. */
  refreshToken?: string;
  /** Lifetime of the new access token; absent when it does not expire. */
  expiresInSeconds?: number;
}

export interface OAuthTokenKeeperOptions {
  /** Vendor name for messages (`HubSpot`, `Zendesk`). */
  vendor: string;
  /** `METHOD /path` of the token endpoint, counted by the budget. */
  tokenEndpoint: string;
  /** Refresh when the token has less than this left, or half its lifetime if that is shorter. */
  refreshMarginMs: number;
  /** Backoff base for retrying a token request that failed transiently. */
  retryBaseMs: number;
  /** One refresh-token request; throws a ConnectorException (TEMPORARY ones are retried twice). */
  exchange(current: OAuthCredentials): Promise<OAuthTokenGrant>;
  /** The new token is stored: use it from now on (e.g. give it to the SDK client). */
  onRefreshed?(next: OAuthCredentials): void;
  now?: () => number;
}

const TOKEN_REQUEST_ATTEMPTS = 3;

export class OAuthTokenKeeper implements VendorCallAuth {
  private current: OAuthCredentials;
  private refreshing?: Promise<void>;
  /** Lifetime of the last token we were issued, to size the margin for short-lived tokens. */
  private lastTtlMs?: number;
  private readonly now: () => number;

  constructor(
    private readonly ctx: ConnectorContext,
    credentials: OAuthCredentials,
    private readonly options: OAuthTokenKeeperOptions,
  ) {
    this.current = credentials;
    this.now = options.now ?? Date.now;
  }

  get credentials(): OAuthCredentials {
    return this.current;
  }

  get accessToken(): string {
    return this.current.accessToken;
  }

  async beforeAttempt(): Promise<string> {
    await this.ensureFresh();
    return this.current.accessToken;
  }

  /** Refreshes when the token is known to expire within the margin; tokens without a lifetime are used until rejected. */
  async ensureFresh(): Promise<void> {
    const { expiresAt, refreshToken } = this.current;
    if (expiresAt === undefined || !refreshToken) return;
    const margin = Math.min(this.options.refreshMarginMs, this.lastTtlMs !== undefined ? this.lastTtlMs / 2 : this.options.refreshMarginMs);
    if (expiresAt - this.now() > margin) return;
    await this.refresh('access token about to expire');
  }

  async recover(usedToken: string): Promise<boolean> {
    // A parallel call refreshed since this one read the token: the new one is ready, and refreshing
    // again would throw away a token other calls are using (and, with rotation, its refresh token).
    if (this.current.accessToken !== usedToken) return true;
    if (!this.current.refreshToken) return false;
    await this.refresh(`${this.options.vendor} rejected the access token (401)`);
    return true;
  }

  private refresh(reason: string): Promise<void> {
    this.refreshing ??= this.doRefresh(reason).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(reason: string): Promise<void> {
    const { ctx, options } = this;
    const previous = this.current;
    if (!previous.refreshToken)
      throw new ConnectorException(
        'AUTH_EXPIRED',
        `the ${options.vendor} access token expired and there is no refresh token; reconnect ${options.vendor}`,
      );
    ctx.log.info(`refreshing ${options.vendor} access token`, { reason, connectionId: ctx.connectionId });
    const grant = await retryWithBackoff(
      () => {
        ctx.budget.recordCall(options.tokenEndpoint);
        return options.exchange(previous);
      },
      {
        attempts: TOKEN_REQUEST_ATTEMPTS,
        baseMs: options.retryBaseMs,
        signal: ctx.signal,
        shouldRetry: (error) => ({ retry: error instanceof ConnectorException && error.code === 'TEMPORARY' }),
      },
    );
    const ttlMs = grant.expiresInSeconds !== undefined ? grant.expiresInSeconds * 1000 : undefined;
    this.lastTtlMs = ttlMs;
    const next: OAuthCredentials = {
      ...previous,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken || previous.refreshToken,
      expiresAt: ttlMs !== undefined ? this.now() + ttlMs : undefined,
    };
    // Persist before use: a crash after this point must not leave the stored token older than the one in use.
    await ctx.onCredentialsRefreshed(next);
    this.current = next;
    options.onRefreshed?.(next);
  }
}
