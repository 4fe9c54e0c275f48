/**
 * One HubSpot client per connection context. Every vendor call goes through `call`, under the shared
 * vendor-call policy (`callVendor` in connector-sdk: budget, retries, Retry-After, what goes back to
 * the engine, one refresh after a 401). What is HubSpot's own: the OAuth token is refreshed ahead of
 * `expires_in` (the SDK never refreshes, and HubSpot says a 401 is not the signal to), searches are
 * paced, the SDK's own retry stays off (it sleeps a fixed 10 s and ignores Retry-After), errors are
 * mapped by parseHubSpotError, and X-HubSpot-RateLimit-* feed the budget and a session-wide pause.
 * https://developers.hubspot.com/docs/api/oauth/refresh-access-token
 */
import { Client } from '@hubspot/api-client';
import { sleep } from '@fieldcast/common';
import {
  callVendor,
  ConnectorException,
  OAuthTokenKeeper,
  type ConnectorContext,
  type OAuthCredentials,
  type OAuthTokenGrant,
} from '@fieldcast/connector-sdk';
import type { HubSpotConnectorOptions } from './hubspot-connector.options';
import { parseHubSpotError } from './hubspot-error.parser';
import { hubSpotRateObservation, type HubSpotHeaders } from './hubspot-rate-limit.headers';

const HUBSPOT_TOKEN_ENDPOINT = 'POST /oauth/v1/token';

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
  private readonly tokens: OAuthTokenKeeper;
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
    // The SDK's own retry sleeps a fixed 10 s on TEN_SECONDLY_ROLLING and ignores Retry-After: keep it off.
    this.client = new Client({ accessToken: ctx.credentials.accessToken, basePath });
    this.tokens = new OAuthTokenKeeper(ctx, ctx.credentials, {
      vendor: 'HubSpot',
      tokenEndpoint: HUBSPOT_TOKEN_ENDPOINT,
      refreshMarginMs: options.refreshMarginMs,
      retryBaseMs: options.retryBaseMs,
      exchange: (current) => this.exchangeRefreshToken(current),
      onRefreshed: (next) => this.client.setAccessToken(next.accessToken),
    });
  }

  get basePath(): string {
    return this.ctx.settings.baseUrl.replace(/\/+$/, '');
  }

  get accessToken(): string {
    return this.tokens.accessToken;
  }

  call<T>(endpoint: string, options: HubSpotCallOptions, run: (client: Client) => Promise<HubSpotHttpInfo<T>>): Promise<T> {
    return callVendor(this.ctx, {
      vendor: 'hubspot',
      endpoint,
      kind: options.kind,
      policy: this.options,
      auth: this.tokens,
      attempt: async () => {
        if (this.pauseUntil > Date.now()) await sleep(this.pauseUntil - Date.now(), this.ctx.signal);
        if (options.search) await this.paceSearch();
        try {
          const info = await run(this.client);
          this.observe(info.headers);
          return info.data;
        } catch (error) {
          const parsed = parseHubSpotError(error, endpoint);
          this.observe((error as { headers?: HubSpotHeaders }).headers);
          // Every call of this session waits out the window, not just the one that hit it.
          if (parsed.code === 'RATE_LIMITED') this.pauseUntil = Math.max(this.pauseUntil, Date.now() + (parsed.retryAfterMs ?? 0));
          throw parsed;
        }
      },
    });
  }

  // https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/tokens/post-oauth-v1-token
  private async exchangeRefreshToken(current: OAuthCredentials): Promise<OAuthTokenGrant> {
    const oauth = new Client({ basePath: this.basePath });
    try {
      const tokens = await oauth.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        current.clientId,
        current.clientSecret,
        current.refreshToken,
      );
      return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresInSeconds: tokens.expiresIn };
    } catch (error) {
      throw parseHubSpotError(error, HUBSPOT_TOKEN_ENDPOINT);
    }
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
