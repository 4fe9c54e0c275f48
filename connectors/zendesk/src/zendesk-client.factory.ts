/**
 * Builds the node-zendesk client for one connection from the in-memory credentials: API token
 * (`email/token:TOKEN` Basic) or OAuth bearer (rebuilt by ZendeskSession after a token refresh). `endpointUri` (not `remoteUri`, which v6 ignores) is
 * `<baseUrl>/api/v2`; `throwOriginalException` keeps the HTTP status and body on thrown errors so
 * zendesk-error.parser can code them.
 * https://github.com/blakmatrix/node-zendesk#usage
 */
import { ConnectorException, type ConnectionCredentials, type ConnectorContext } from '@fieldcast/connector-sdk';
import { createClient, type ZendeskClient } from 'node-zendesk';

export function zendeskEndpointUri(baseUrl: string): string {
  return `${zendeskAccountUrl(baseUrl)}/api/v2`;
}

/** `https://<subdomain>.zendesk.com` (or the sandbox): where the OAuth pages and /oauth/tokens live, outside /api/v2. */
export function zendeskAccountUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConnectorException('CONFIG', `Zendesk base URL ${JSON.stringify(baseUrl)} is not a URL; use https://<subdomain>.zendesk.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConnectorException('CONFIG', `Zendesk base URL must be http(s), got ${url.protocol}; use https://<subdomain>.zendesk.com`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/v2$/, '')}`;
}

interface ZendeskTransportOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * node-zendesk's own transport (cross-fetch) has no timeout and ignores abort signals, so a hung
 * request would hold a worker forever. Its documented `transportConfig` hook lets us send the same
 * request with Node's fetch, a per-request timeout and the run's abort signal.
 */
function zendeskTransport(timeoutMs: number, signal: AbortSignal | undefined) {
  return {
    transportFn: (uri: string, options: ZendeskTransportOptions) =>
      fetch(uri, {
        method: options.method,
        headers: options.headers,
        body: options.body,
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      }),
    responseAdapter: (response: Response) => ({
      json: () => response.json(),
      status: response.status,
      headers: { get: (name: string) => response.headers.get(name) },
      statusText: response.statusText,
    }),
  };
}

export function createZendeskClient(
  ctx: ConnectorContext,
  requestTimeoutMs = 30_000,
  creds: ConnectionCredentials = ctx.credentials,
): ZendeskClient {
  const endpointUri = zendeskEndpointUri(ctx.settings.baseUrl);
  const common = { endpointUri, throwOriginalException: true, transportConfig: zendeskTransport(requestTimeoutMs, ctx.signal) };
  if (creds.kind === 'api_token') {
    if (!creds.email || !creds.token)
      throw new ConnectorException('CONFIG', 'Zendesk API token credentials need the agent email and the token');
    return createClient({ username: creds.email, token: creds.token, ...common });
  }
  if (!creds.accessToken)
    throw new ConnectorException('AUTH_EXPIRED', 'Zendesk OAuth credentials have no access token; reconnect the account');
  return createClient({ token: creds.accessToken, oauth: true, ...common });
}
