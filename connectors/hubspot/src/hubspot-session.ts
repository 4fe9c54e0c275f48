/**
 * One HubSpot client per connection context. Every vendor call goes through `call`: refresh the
 * OAuth token ahead of `expires_in` (the SDK never refreshes, and HubSpot says a 401 is not the
 * signal to), pace searches, wait for the connection's budget, run the SDK call with its own retry
 * off, feed X-HubSpot-RateLimit-* into the budget, map errors, and retry what is transient — honouring
 * Retry-After and the policy window ourselves, since the SDK ignores Retry-After.
 * https://developers.hubspot.com/docs/api/oauth/refresh-access-token
 */
import { Client } from '@hubspot/api-client';
import { retryWithBackoff, sleep } from '@fieldcast/common';
import { ConnectorException, type ConnectionCredentials, type ConnectorContext } from '@fieldcast/connector-sdk';
import type { HubSpotConnectorOptions } from './hubspot-connector.options';
import { parseHubSpotError } from './hubspot-error.parser';
import { hubSpotRateObservation, type HubSpotHeaders } from './hubspot-rate-limit.headers';

type OAuthCredentials = Extract<ConnectionCredentials, { kind: 'oauth2' }>;

/** What the SDK's *WithHttpInfo methods resolve to. */
export interface HubSpotHttpInfo<T> {
  httpStatusCode: number;
  headers: HubSpotHeaders;
  data: T;
}

export interface HubSpotCallOptions {
  kind: 'read' | 'write';
  /** Search has its own per-second limit; such calls are paced. */
  search?: boolean;
}

export class HubSpotSession {
  readonly client: Client;
  private credentials: OAuthCredentials;
  private refreshing?: Promise<void>;
  /** Lifetime of the last token we were issued, to size the refresh margin for short-lived tokens. */
  private lastTtlMs?: number;
  private lastSearchAt = 0;
  private pauseUntil = 0;

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly options: HubSpotConnectorOptions,
  ) {
    if (ctx.credentials.kind !== 'oauth2') {
      throw new ConnectorException(
        'CONFIG',
        'HubSpot connections authenticate with OAuth 2.0 (or a private-app token given as the access token); got an API-token credential',
      );
    }
    const basePath = ctx.settings.baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(basePath)) {
      throw new ConnectorException(
        'CONFIG',
        `HubSpot base URL ${JSON.stringify(ctx.settings.baseUrl)} is not an http(s) URL; use https://api.hubapi.com`,
      );
    }
    this.credentials = ctx.credentials;
    // The SDK's own retry sleeps a fixed 10 s on TEN_SECONDLY_ROLLING and ignores Retry-After: keep it off.
    this.client = new Client({ accessToken: this.credentials.accessToken, basePath });
  }

  get basePath(): string {
    return this.ctx.settings.baseUrl.replace(/\/+$/, '');
  }

  get accessToken(): string {
    return this.credentials.accessToken;
  }

  async call<T>(endpoint: string, options: HubSpotCallOptions, run: (client: Client) => Promise<HubSpotHttpInfo<T>>): Promise<T> {
    const { ctx } = this;
    let refreshedAfter401 = false;
    return retryWithBackoff(
      async () => {
        await this.ensureFreshToken();
        if (this.pauseUntil > Date.now()) await sleep(this.pauseUntil - Date.now(), ctx.signal);
        if (options.search) await this.paceSearch();
        await ctx.budget.acquire(options.kind, ctx.signal);
        ctx.budget.recordCall(endpoint);
        try {
          const info = await run(this.client);
          this.observe(info.headers);
          return info.data;
        } catch (error) {
          const parsed = parseHubSpotError(error, endpoint);
          this.observe((error as { headers?: HubSpotHeaders }).headers);
          if (parsed.code === 'RATE_LIMITED') {
            ctx.budget.observe({ retryAfterMs: parsed.retryAfterMs });
            // Every call of this connection waits out the window, not just the one that hit it.
            this.pauseUntil = Math.max(this.pauseUntil, Date.now() + (parsed.retryAfterMs ?? 0));
          }
          if (parsed.code === 'AUTH_EXPIRED' && parsed.httpStatus === 401 && !refreshedAfter401 && this.credentials.refreshToken) {
            // Expired earlier than expires_in said (revoked, clock skew): one refresh, then the same call again.
            refreshedAfter401 = true;
            await this.refresh('401 from HubSpot');
            throw new ConnectorException('TEMPORARY', 'retrying with a refreshed token', { retryAfterMs: 0, cause: parsed });
          }
          throw parsed;
        }
      },
      {
        attempts: this.options.maxAttempts,
        baseMs: this.options.retryBaseMs,
        signal: ctx.signal,
        shouldRetry: (error) => {
          if (!(error instanceof ConnectorException)) return { retry: false };
          if (error.code === 'TEMPORARY') return { retry: true, retryAfterMs: error.retryAfterMs };
          if (error.code === 'RATE_LIMITED' && (error.retryAfterMs ?? 0) <= this.options.maxInProcessWaitMs)
            return { retry: true, retryAfterMs: error.retryAfterMs };
          return { retry: false };
        },
        onRetry: (error, attempt, delayMs) =>
          ctx.log.warn('hubspot call failed, retrying', {
            endpoint,
            attempt,
            delayMs,
            error: (error as Error).message,
            connectionId: ctx.connectionId,
          }),
      },
    );
  }

  /** Refreshes when the token is close to expiry; single-flight so parallel calls share one refresh. */
  async ensureFreshToken(): Promise<void> {
    const expiresAt = this.credentials.expiresAt;
    if (expiresAt === undefined || !this.credentials.refreshToken) return;
    const margin = Math.min(this.options.refreshMarginMs, this.lastTtlMs !== undefined ? this.lastTtlMs / 2 : this.options.refreshMarginMs);
    if (expiresAt - Date.now() > margin) return;
    await this.refresh('access token about to expire');
  }

  private refresh(reason: string): Promise<void> {
    this.refreshing ??= this.doRefresh(reason).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  // https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/tokens/post-oauth-v1-token
  private async doRefresh(reason: string): Promise<void> {
    const { ctx } = this;
    const current = this.credentials;
    if (!current.refreshToken)
      throw new ConnectorException(
        'AUTH_EXPIRED',
        'the HubSpot access token expired and there is no refresh token; reconnect the HubSpot app',
      );
    ctx.log.info('refreshing HubSpot access token', { reason, connectionId: ctx.connectionId });
    const oauth = new Client({ basePath: this.basePath });
    ctx.budget.recordCall('POST /oauth/v1/token');
    let tokens: { accessToken: string; refreshToken: string; expiresIn: number };
    try {
      tokens = await retryWithBackoff(
        () =>
          oauth.oauth.tokensApi.create('refresh_token', undefined, undefined, current.clientId, current.clientSecret, current.refreshToken),
        {
          attempts: 3,
          baseMs: this.options.retryBaseMs,
          signal: ctx.signal,
          shouldRetry: (error) => ({ retry: parseHubSpotError(error, 'POST /oauth/v1/token').code === 'TEMPORARY' }),
        },
      );
    } catch (error) {
      throw parseHubSpotError(error, 'POST /oauth/v1/token');
    }
    this.lastTtlMs = tokens.expiresIn * 1000;
    const next: OAuthCredentials = {
      ...current,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken || current.refreshToken,
      expiresAt: Date.now() + tokens.expiresIn * 1000,
    };
    // Persist before use: a crash after this point must not leave the stored token older than the one in use.
    await ctx.onCredentialsRefreshed(next);
    this.credentials = next;
    this.client.setAccessToken(next.accessToken);
  }

  private async paceSearch(): Promise<void> {
    const wait = this.lastSearchAt + this.options.searchMinIntervalMs - Date.now();
    if (wait > 0) await sleep(wait, this.ctx.signal);
    this.lastSearchAt = Date.now();
  }

  private observe(headers: HubSpotHeaders | undefined): void {
    const observation = hubSpotRateObservation(headers);
    if (!observation) return;
    this.ctx.budget.observe(observation);
    // An exhausted rolling window frees one slot at a time; a short pause avoids a certain 429.
    if (observation.remaining === 0 && observation.windowMs && observation.limit && observation.windowMs <= 10_000) {
      this.pauseUntil = Math.max(this.pauseUntil, Date.now() + Math.ceil(observation.windowMs / observation.limit));
    }
  }
}

/** Sessions live as long as their context, so a refreshed token is reused by the next page of the same run. */
const sessions = new WeakMap<ConnectorContext, HubSpotSession>();

export function hubSpotSessionFor(ctx: ConnectorContext, options: HubSpotConnectorOptions): HubSpotSession {
  let session = sessions.get(ctx);
  if (!session) {
    session = new HubSpotSession(ctx, options);
    sessions.set(ctx, session);
  }
  return session;
}
