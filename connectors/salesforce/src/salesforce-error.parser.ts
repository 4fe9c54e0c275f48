/**
 * Maps what jsforce throws (HttpApiError with the vendor `errorCode`, refresh failures, fetch/network
 * errors) and per-record save errors (`statusCode`) to ConnectorException codes, so the sync engine's
 * one handler decides retry / back off / re-auth / dead-letter.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import { ConnectorException, type ConnectorErrorCode, type WriteResult } from '@fieldcast/connector-sdk';

/**
 * Salesforce says how long to wait for none of its limits: the limit errors carry no Retry-After
 * (and jsforce would not show us one). The daily allocation frees up over a rolling 24 h, so that
 * one gets our own estimate, long enough to hand the run back to the engine rather than hammer it.
 * Every other rate limit (more than 25 concurrent long-running requests, a 429) carries no wait at
 * all and is retried with backoff: a made-up fixed wait would only idle the worker.
 */
const DAILY_LIMIT_WAIT_MS = 60 * 60 * 1000;

const REQUEST_CODES: Record<string, ConnectorErrorCode> = {
  INVALID_SESSION_ID: 'AUTH_EXPIRED',
  INVALID_AUTH_HEADER: 'AUTH_EXPIRED',
  REQUEST_LIMIT_EXCEEDED: 'RATE_LIMITED',
  SERVER_UNAVAILABLE: 'TEMPORARY',
  UNKNOWN_EXCEPTION: 'TEMPORARY',
  UNABLE_TO_LOCK_ROW: 'TEMPORARY',
  QUERY_TIMEOUT: 'TEMPORARY',
  INVALID_QUERY_LOCATOR: 'INVALID_CURSOR',
  INSUFFICIENT_ACCESS: 'PERMISSION',
  INSUFFICIENT_ACCESS_OR_READONLY: 'PERMISSION',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'PERMISSION',
  API_DISABLED_FOR_ORG: 'PERMISSION',
  API_CURRENTLY_DISABLED: 'PERMISSION',
  FUNCTIONALITY_NOT_ENABLED: 'PERMISSION',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'PERMISSION',
  INVALID_FIELD: 'CONFIG',
  INVALID_TYPE: 'CONFIG',
  MALFORMED_QUERY: 'CONFIG',
  INVALID_QUERY_FILTER_OPERATOR: 'CONFIG',
  NOT_FOUND: 'NOT_FOUND',
  ENTITY_IS_DELETED: 'NOT_FOUND',
  EXCEEDED_ID_LIMIT: 'VALIDATION',
  JSON_PARSER_ERROR: 'VALIDATION',
  DUPLICATE_DEVELOPER_NAME: 'VALIDATION',
  FIELD_INTEGRITY_EXCEPTION: 'VALIDATION',
};

const SAVE_CODES: Record<string, ConnectorErrorCode> = {
  INVALID_FIELD: 'PERMISSION',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'PERMISSION',
  INSUFFICIENT_ACCESS_OR_READONLY: 'PERMISSION',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'PERMISSION',
  ENTITY_IS_DELETED: 'NOT_FOUND',
  INVALID_CROSS_REFERENCE_KEY: 'NOT_FOUND',
  NOT_FOUND: 'NOT_FOUND',
  UNABLE_TO_LOCK_ROW: 'TEMPORARY',
  ALL_OR_NONE_OPERATION_ROLLED_BACK: 'TEMPORARY',
  REQUEST_LIMIT_EXCEEDED: 'RATE_LIMITED',
  SERVER_UNAVAILABLE: 'TEMPORARY',
};

const OAUTH_CONFIG_ERRORS = new Set([
  'invalid_client_id',
  'invalid_client',
  'redirect_uri_mismatch',
  'unsupported_grant_type',
  'invalid_request',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface JsforceLikeError {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
  cause?: { code?: string };
}

/** Turns anything jsforce throws into a ConnectorException (already-mapped exceptions pass through). */
export function parseSalesforceError(error: unknown, context: string): ConnectorException {
  if (error instanceof ConnectorException) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as JsforceLikeError;
  const message = e.message ?? String(error);
  const where = `Salesforce ${context}`;
  if (/Unable to refresh session|invalid_grant|expired access\/refresh token/i.test(message)) {
    return new ConnectorException(
      'AUTH_EXPIRED',
      `${where}: the saved Salesforce login was rejected (${message}); reconnect Salesforce to grant access again`,
      {
        vendorCode: 'invalid_grant',
        httpStatus: 400,
        cause: error,
      },
    );
  }
  // Token-endpoint failures: jsforce names the error after the OAuth `error` field.
  if (e.name && OAUTH_CONFIG_ERRORS.has(e.name)) {
    return new ConnectorException(
      'CONFIG',
      `${where}: ${e.name}: ${message} — check the connected app's client id, secret and callback URL`,
      {
        vendorCode: e.name,
        httpStatus: 400,
        cause: error,
      },
    );
  }
  if (e.name === 'invalid_grant') {
    return new ConnectorException('AUTH_EXPIRED', `${where}: invalid_grant: ${message}; sign in to Salesforce again`, {
      vendorCode: e.name,
      httpStatus: 400,
      cause: error,
    });
  }
  if (/Refresh token is specified without oauth2 client information/.test(message)) {
    return new ConnectorException('CONFIG', `${where}: the connection has a refresh token but no OAuth client id/secret`, { cause: error });
  }
  const vendorCode = e.errorCode;
  if (vendorCode) {
    if (/^ERROR_HTTP_5\d\d$/.test(vendorCode))
      return new ConnectorException('TEMPORARY', `${where}: ${message}`, { vendorCode, cause: error });
    if (vendorCode === 'ERROR_HTTP_429')
      return new ConnectorException('RATE_LIMITED', `${where}: ${message}`, { vendorCode, cause: error });
    const code = REQUEST_CODES[vendorCode] ?? 'UNKNOWN';
    const retryAfterMs = code === 'RATE_LIMITED' && /TotalRequests/i.test(message) ? DAILY_LIMIT_WAIT_MS : undefined;
    return new ConnectorException(code, `${where}: ${vendorCode}: ${message.trim()}`, { vendorCode, retryAfterMs, cause: error });
  }
  const networkCode = e.code ?? e.cause?.code;
  if (
    (networkCode && NETWORK_CODES.has(networkCode)) ||
    /fetch failed|socket hang up|network|timed? ?out/i.test(message) ||
    e.name === 'AbortError' ||
    e.name === 'TimeoutError'
  ) {
    return new ConnectorException('TEMPORARY', `${where}: network failure (${networkCode ?? message})`, { cause: error });
  }
  return new ConnectorException('UNKNOWN', `${where}: ${message}`, { cause: error });
}

export interface SalesforceSaveError {
  statusCode?: string;
  errorCode?: string;
  message?: string;
  fields?: string[];
}

/** One per-record result of composite/sobjects → the engine's WriteResult error. */
export function parseSalesforceSaveErrors(errors: SalesforceSaveError[]): NonNullable<WriteResult['error']> {
  const first = errors[0] ?? { message: 'Salesforce reported failure without an error' };
  // The wire field is statusCode; jsforce's own type calls it errorCode (jsforce #1067), accept both.
  const vendorCode = first.statusCode ?? first.errorCode ?? 'UNKNOWN';
  const code = SAVE_CODES[vendorCode] ?? (vendorCode === 'UNKNOWN' ? 'UNKNOWN' : 'VALIDATION');
  const fields = first.fields?.length ? ` (fields: ${first.fields.join(', ')})` : '';
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
  return {
    code,
    vendorCode,
    message: `${first.message ?? vendorCode}${fields}${more}`,
    retryable: code === 'TEMPORARY' || code === 'RATE_LIMITED' || code === 'UNKNOWN',
  };
}
