/**
 * Keeps one connection's OAuth access token usable for the calls of one ConnectorContext: refreshes it
 * ahead of its expiry, and once after the vendor rejects it (401); single-flight, so parallel calls
 * share one refresh. That matters most where the vendor rotates refresh tokens (Zendesk invalidates the
 * old access AND refresh token on every refresh): a second refresh with the old refresh token would be
 * refused and the connection would wrongly look revoked. A new token is persisted through
 * `ctx.onCredentialsRefreshed` before any call uses it, so a crash can never leave the stored token
 * older than the one in use. Across processes, single-flight needs the engine: when the context offers
 * `refreshCredentialsExclusively`, the refresh runs under it, starting from the stored credentials, and
 * adopts a token another process refreshed meanwhile instead of spending the refresh token again.
 * The vendor-specific part is only `exchange` (one token-endpoint request).
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
/** A token another process refreshed is adopted only with at least this much life left. */
const ADOPT_MIN_LIFETIME_MS = 5_000;

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
    let next: OAuthCredentials;
    if (ctx.refreshCredentialsExclusively) {
      const chosen = await ctx.refreshCredentialsExclusively(async (stored) => {
        if (stored.kind !== 'oauth2')
          throw new ConnectorException(
            'TEMPORARY',
            `the ${options.vendor} connection was re-authorized with other credentials; the next run uses them`,
          );
        // Another process refreshed since this context was built and its token still works: use it
        // (spending the refresh token again would end the token that process is using).
        if (stored.accessToken !== this.current.accessToken && !this.expired(stored)) return stored;
        return this.exchangeFrom(stored, reason);
      });
      next = chosen as OAuthCredentials;
    } else {
      next = await this.exchangeFrom(this.current, reason);
      // Persist before use: a crash after this point must not leave the stored token older than the one in use.
      await ctx.onCredentialsRefreshed(next);
    }
    this.current = next;
    options.onRefreshed?.(next);
  }

  private expired(credentials: OAuthCredentials): boolean {
    return credentials.expiresAt !== undefined && credentials.expiresAt - this.now() <= ADOPT_MIN_LIFETIME_MS;
  }

  /** One refresh-token grant at the vendor (transient failures retried), as the credentials to store. */
  private async exchangeFrom(previous: OAuthCredentials, reason: string): Promise<OAuthCredentials> {
    const { ctx, options } = this;
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
    return {
      ...previous,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken || previous.refreshToken,
      expiresAt: ttlMs !== undefined ? this.now() + ttlMs : undefined,
    };
  }
}
