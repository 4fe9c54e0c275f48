/**
 * Salesforce OAuth "Connect" (web-server flow) through jsforce: the consent URL on the login host
 * (login.salesforce.com, test.salesforce.com, My Domain, or the local sandbox) and the code exchange,
 * which also tells us the org's instance URL and the integration user (echo suppression).
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
import { Connection, OAuth2 } from 'jsforce';
import type { ConnectorOAuth } from '@fieldcast/connector-sdk';
import { parseSalesforceError } from './salesforce-error.parser';

const SALESFORCE_OAUTH_SCOPE = 'api refresh_token offline_access';

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export const salesforceOAuth: ConnectorOAuth = {
  authorizeUrl({ baseUrl, clientId, redirectUri, state }) {
    const oauth2 = new OAuth2({ loginUrl: trimBase(baseUrl), clientId, redirectUri });
    return oauth2.getAuthorizationUrl({ scope: SALESFORCE_OAUTH_SCOPE, state });
  },

  async exchangeCode({ baseUrl, clientId, clientSecret, redirectUri, code }) {
    const loginUrl = trimBase(baseUrl);
    const conn = new Connection({ oauth2: { loginUrl, clientId, clientSecret, redirectUri } });
    try {
      const user = await conn.authorize(code);
      return {
        credentials: {
          kind: 'oauth2',
          accessToken: conn.accessToken ?? '',
          refreshToken: conn.refreshToken ?? undefined,
          clientId,
          clientSecret,
          loginUrl,
          instanceUrl: conn.instanceUrl,
        },
        settings: { baseUrl: conn.instanceUrl, integrationUserId: user.id },
      };
    } catch (error) {
      throw parseSalesforceError(error, 'POST /services/oauth2/token');
    }
  },
};
