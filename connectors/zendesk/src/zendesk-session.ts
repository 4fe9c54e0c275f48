/**
 * One node-zendesk client per connection context, and for OAuth connections the token that client
 * uses: refreshed ahead of its expiry and once after a 401 by the shared single-flight
 * OAuthTokenKeeper, persisted through the context before use, then a client with the new token.
 * Sessions live as long as their context, so a refreshed token serves the rest of the run.
 */
import { OAuthTokenKeeper, type ConnectorContext } from '@fieldcast/connector-sdk';
import type { ZendeskClient } from 'node-zendesk';
import { createZendeskClient } from './zendesk-client.factory';
import { ZENDESK_TOKEN_ENDPOINT } from './zendesk-error.parser';
import { exchangeZendeskRefreshToken } from './zendesk-oauth';

export interface ZendeskSessionOptions {
  requestTimeoutMs: number;
  refreshMarginMs: number;
  retryBaseMs: number;
}

export class ZendeskSession {
  /** Present for OAuth connections only (API tokens do not expire). */
  readonly tokens?: OAuthTokenKeeper;
  private current: ZendeskClient;

  constructor(ctx: ConnectorContext, options: ZendeskSessionOptions) {
    this.current = createZendeskClient(ctx, options.requestTimeoutMs);
    if (ctx.credentials.kind === 'oauth2') {
      this.tokens = new OAuthTokenKeeper(ctx, ctx.credentials, {
        vendor: 'Zendesk',
        tokenEndpoint: ZENDESK_TOKEN_ENDPOINT,
        refreshMarginMs: options.refreshMarginMs,
        retryBaseMs: options.retryBaseMs,
        exchange: (current) => exchangeZendeskRefreshToken(ctx, current, options.requestTimeoutMs),
        // node-zendesk fixes the token when a client is built: the next calls get a client with the new one.
        onRefreshed: (next) => (this.current = createZendeskClient(ctx, options.requestTimeoutMs, next)),
      });
    }
  }

  get client(): ZendeskClient {
    return this.current;
  }
}
