/**
 * Builds the jsforce Connection for one operation from the connection's decrypted credentials, and
 * persists tokens jsforce refreshes on a 401 (it replays the call itself).
 * https://jsforce.github.io/document/#connection
 */
import { Connection } from 'jsforce';
import { ConnectorException, type ConnectorContext } from '@fieldcast/connector-sdk';

export const SALESFORCE_DEFAULT_API_VERSION = '62.0';

export interface SalesforceSession {
  conn: Connection;
  /** Resolves once every token refresh that happened during the operation has been persisted. */
  flushRefreshes(): Promise<void>;
}

export function openSalesforceSession(ctx: ConnectorContext, apiVersion: string): SalesforceSession {
  const creds = ctx.credentials;
  if (creds.kind !== 'oauth2') {
    throw new ConnectorException('CONFIG', `Salesforce connection ${ctx.connectionId} needs OAuth 2.0 credentials, got ${creds.kind}`);
  }
  const instanceUrl = creds.instanceUrl ?? ctx.settings.baseUrl;
  const loginUrl = creds.loginUrl ?? 'https://login.salesforce.com';
  if (!instanceUrl)
    throw new ConnectorException('CONFIG', `Salesforce connection ${ctx.connectionId} has no instance URL; reconnect Salesforce`);
  const conn = new Connection({
    instanceUrl,
    loginUrl,
    version: apiVersion,
    accessToken: creds.accessToken,
    refreshToken: creds.refreshToken,
    oauth2: { clientId: creds.clientId, clientSecret: creds.clientSecret, loginUrl },
    // Stamps changeOrigin on our writes, a second echo signal next to LastModifiedById.
    callOptions: { client: 'fieldcast' },
  });
  const pending: Array<Promise<void>> = [];
  let current = creds;
  conn.on('refresh', (accessToken: string, res: { instance_url?: string }) => {
    current = { ...current, accessToken, instanceUrl: res?.instance_url ?? current.instanceUrl };
    ctx.log.info('salesforce access token refreshed', { connectionId: ctx.connectionId });
    pending.push(ctx.onCredentialsRefreshed(current));
  });
  return {
    conn,
    flushRefreshes: async () => {
      while (pending.length) await pending.shift();
    },
  };
}
