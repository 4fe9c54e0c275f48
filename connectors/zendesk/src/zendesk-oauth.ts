/**
 * Zendesk's refresh-token grant. Since April 2025 Zendesk OAuth access tokens can expire (required for
 * every integration from 2026) and refresh tokens rotate: each refresh answers a new access AND refresh
 * token and invalidates both old ones, so a refresh must never run twice with the same refresh token
 * (OAuthTokenKeeper makes it single-flight) and the new pair must be stored before it is used.
 * node-zendesk has no call for /oauth/tokens (it lives outside /api/v2), so this is one plain request,
 * with the same timeout and abort signal as the SDK's calls.
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
 * https://developer.zendesk.com/documentation/api-basics/authentication/refresh-token
 */
import { ConnectorException, type ConnectorContext, type OAuthCredentials, type OAuthTokenGrant } from '@fieldcast/connector-sdk';
import { zendeskAccountUrl } from './zendesk-client.factory';
import { parseZendeskError, parseZendeskTokenError, ZENDESK_TOKEN_ENDPOINT } from './zendesk-error.parser';

interface ZendeskTokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  /** Seconds; absent or null when the access token does not expire. */
  expires_in?: unknown;
}

export async function exchangeZendeskRefreshToken(
  ctx: ConnectorContext,
  current: OAuthCredentials,
  requestTimeoutMs: number,
): Promise<OAuthTokenGrant> {
  const timeout = AbortSignal.timeout(requestTimeoutMs);
  let response: Response;
  try {
    response = await fetch(`${zendeskAccountUrl(ctx.settings.baseUrl)}/oauth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
        client_id: current.clientId,
        client_secret: current.clientSecret,
      }),
      signal: ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout,
    });
  } catch (error) {
    throw parseZendeskError(error, ZENDESK_TOKEN_ENDPOINT);
  }
  const body = (await response.json().catch(() => undefined)) as ZendeskTokenResponse | undefined;
  if (!response.ok) throw parseZendeskTokenError(response.status, body, response.headers.get('retry-after'));
  if (typeof body?.access_token !== 'string' || body.access_token === '')
    throw new ConnectorException('UNKNOWN', `Zendesk answered ${ZENDESK_TOKEN_ENDPOINT} with ${response.status} but no access_token`, {
      httpStatus: response.status,
    });
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresInSeconds: typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined,
  };
}
