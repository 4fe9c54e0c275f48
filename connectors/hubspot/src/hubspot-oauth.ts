/**
 * HubSpot OAuth "Connect": the install (consent) URL and the authorization-code exchange, both through
 * @hubspot/api-client. The SDK builds consent URLs for app.hubspot.com only; when the API base is not
 * api.hubapi.com (the local sandbox), the same path and query are sent to that base instead.
 * https://developers.hubspot.com/docs/api/oauth-quickstart-guide
 */
import { Client } from '@hubspot/api-client';
import type { ConnectorOAuth } from '@fieldcast/connector-sdk';
import { parseHubSpotError } from './hubspot-error.parser';

/** What Fieldcast reads and writes: contacts and tickets, and their property schema (field provisioning). */
export const HUBSPOT_OAUTH_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.write',
  'tickets',
];

const HUBSPOT_API_HOST = 'api.hubapi.com';

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export const hubSpotOAuth: ConnectorOAuth = {
  authorizeUrl({ baseUrl, clientId, redirectUri, state }) {
    const sdkUrl = new URL(new Client().oauth.getAuthorizationUrl(clientId, redirectUri, HUBSPOT_OAUTH_SCOPES.join(' '), undefined, state));
    const base = new URL(trimBase(baseUrl));
    if (base.host === HUBSPOT_API_HOST) return sdkUrl.toString();
    return `${trimBase(baseUrl)}${sdkUrl.pathname}${sdkUrl.search}`;
  },

  // https://developers.hubspot.com/docs/api-reference/auth-oauth-v1/tokens/post-oauth-v1-token
  async exchangeCode({ baseUrl, clientId, clientSecret, redirectUri, code }) {
    const client = new Client({ basePath: trimBase(baseUrl) });
    try {
      const tokens = await client.oauth.tokensApi.create('authorization_code', code, redirectUri, clientId, clientSecret);
      return {
        credentials: {
          kind: 'oauth2',
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          expiresAt: Date.now() + tokens.expiresIn * 1000,
          clientId,
          clientSecret,
        },
        settings: { baseUrl: trimBase(baseUrl) },
      };
    } catch (error) {
      throw parseHubSpotError(error, 'POST /oauth/v1/token');
    }
  },
};
