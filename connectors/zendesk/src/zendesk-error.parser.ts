/**
 * Maps what node-zendesk gives back to coded ConnectorExceptions. Two shapes: errors it throws (with
 * `throwOriginalException: true` they keep `statusCode` and the parsed body as `result`), and failures
 * it RESOLVES: any response with Retry-After (a 429, `result` is an Error with statusCode 429) and
 * statuses it does not list, such as 502/504 (`result` is `{}`). Job-status results map per ticket.
 * https://developer.zendesk.com/api-reference/introduction/requests/#response-format
 */
import { ConnectorException, type ConnectorErrorCode, type WriteResult } from '@fieldcast/connector-sdk';
import type { ZendeskRawJobResult } from './zendesk-raw.types';

interface ThrownShape {
  message?: string;
  statusCode?: number;
  result?: unknown;
  code?: string;
  cause?: { code?: string };
}

function vendorError(body: unknown): { vendorCode?: string; description?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as {
    error?: unknown;
    description?: unknown;
    error_description?: unknown;
    errors?: Array<{ code?: string; detail?: string; title?: string }>;
    details?: unknown;
  };
  if (typeof b.error === 'string') {
    const details = b.details ? ` ${JSON.stringify(b.details)}` : '';
    const description =
      typeof b.description === 'string' ? b.description : typeof b.error_description === 'string' ? b.error_description : '';
    return { vendorCode: b.error, description: `${description}${details}`.trim() };
  }
  if (b.error && typeof b.error === 'object') {
    const e = b.error as { title?: string; message?: string };
    return { vendorCode: e.title, description: e.message };
  }
  if (Array.isArray(b.errors) && b.errors[0]) return { vendorCode: b.errors[0].code, description: b.errors[0].detail ?? b.errors[0].title };
  return {};
}

function codeForStatus(status: number, vendorCode: string | undefined): ConnectorErrorCode {
  if (status === 401) return 'AUTH_EXPIRED';
  if (status === 403) return 'PERMISSION';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409 || status === 408) return 'TEMPORARY';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 400 && vendorCode === 'InvalidPaginationParameter') return 'INVALID_CURSOR';
  if (status === 400 || status === 422) return 'VALIDATION';
  if (status >= 500) return 'TEMPORARY';
  return 'UNKNOWN';
}

/** A response node-zendesk resolved although it failed (429 with Retry-After, 502/504 with `{}`). */
export function parseZendeskResolvedFailure(status: number, retryAfterHeader: string | null, endpoint: string): ConnectorException {
  const seconds = retryAfterHeader === null ? NaN : Number(retryAfterHeader);
  const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  if (status === 429 || retryAfterMs !== undefined) {
    return new ConnectorException('RATE_LIMITED', `Zendesk rate limit hit on ${endpoint}; retry after ${retryAfterHeader ?? '?'} s`, {
      retryAfterMs: retryAfterMs ?? 60_000,
      httpStatus: status,
      vendorCode: 'TooManyRequests',
    });
  }
  return new ConnectorException(codeForStatus(status, undefined), `Zendesk answered ${status} on ${endpoint} (no JSON body)`, {
    httpStatus: status,
  });
}

export const ZENDESK_TOKEN_ENDPOINT = 'POST /oauth/tokens';

/**
 * A refresh-token grant /oauth/tokens refused. invalid_grant: the refresh token was revoked, expired
 * or already used (Zendesk rotates it on every refresh); invalid_client: the OAuth client was changed
 * or deleted. Either way only a person can fix it by connecting again, so both are AUTH_EXPIRED.
 * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
 */
export function parseZendeskTokenError(status: number, body: unknown, retryAfterHeader: string | null): ConnectorException {
  const endpoint = ZENDESK_TOKEN_ENDPOINT;
  if (status === 429 || (status >= 500 && retryAfterHeader !== null))
    return parseZendeskResolvedFailure(status, retryAfterHeader, endpoint);
  const { vendorCode, description } = vendorError(body);
  const said = `${vendorCode ?? `HTTP ${status}`}${description ? `: ${description}` : ''}`;
  const base = { httpStatus: status, vendorCode };
  if (status >= 500) return new ConnectorException('TEMPORARY', `Zendesk ${status} on ${endpoint}: ${said}`, base);
  if (vendorCode === 'invalid_grant')
    return new ConnectorException(
      'AUTH_EXPIRED',
      `Zendesk refused the saved refresh token (${said}): it was revoked, expired or already used; reconnect Zendesk to authorize Fieldcast again`,
      base,
    );
  if (vendorCode === 'invalid_client' || status === 401)
    return new ConnectorException(
      'AUTH_EXPIRED',
      `Zendesk refused the OAuth client id / secret stored with this connection (${said}): the OAuth client was changed or deleted in Admin Center; reconnect Zendesk with the current client`,
      base,
    );
  if (status === 400)
    return new ConnectorException(
      'CONFIG',
      `Zendesk rejected the token request (${said}); check the OAuth client's settings in Admin Center`,
      base,
    );
  return new ConnectorException('UNKNOWN', `Zendesk ${status} on ${endpoint}: ${said}`, base);
}

/** An error node-zendesk threw (or the transport threw). */
export function parseZendeskError(error: unknown, endpoint: string): ConnectorException {
  if (error instanceof ConnectorException) return error;
  const e = (error ?? {}) as ThrownShape;
  if (typeof e.statusCode === 'number' && e.statusCode >= 400) {
    const { vendorCode, description } = vendorError(e.result);
    const code = codeForStatus(e.statusCode, vendorCode);
    const hint =
      code === 'AUTH_EXPIRED'
        ? ' (the API token or OAuth token was revoked or is wrong; reconnect Zendesk)'
        : code === 'PERMISSION'
          ? ' (the integration user needs the admin role for this)'
          : '';
    return new ConnectorException(code, `Zendesk ${e.statusCode} on ${endpoint}: ${vendorCode ?? ''} ${description ?? ''}`.trim() + hint, {
      httpStatus: e.statusCode,
      vendorCode,
      cause: error,
    });
  }
  if ((error as Error)?.name === 'TimeoutError')
    return new ConnectorException('TEMPORARY', `Zendesk did not answer ${endpoint} in time`, { vendorCode: 'Timeout', cause: error });
  if ((error as Error)?.name === 'AbortError') return new ConnectorException('UNKNOWN', `${endpoint} was cancelled`, { cause: error });
  const network = e.code ?? e.cause?.code;
  if (network || error instanceof TypeError || /fetch failed|socket|ECONN|ETIMEDOUT|network/i.test(String(e.message))) {
    return new ConnectorException('TEMPORARY', `Zendesk unreachable on ${endpoint}: ${e.message ?? String(error)}`, {
      vendorCode: network,
      cause: error,
    });
  }
  return new ConnectorException('UNKNOWN', `Zendesk call ${endpoint} failed: ${e.message ?? String(error)}`, { cause: error });
}

/** One ticket's update_many result → WriteResult error (undefined when it succeeded). */
export function parseZendeskJobResult(result: ZendeskRawJobResult): WriteResult['error'] | undefined {
  if (result.success !== false && !result.error) return undefined;
  const vendorCode = result.error ?? 'Unknown';
  const message = result.details ?? vendorCode;
  if (vendorCode === 'TicketNotFound' || vendorCode === 'RecordNotFound')
    return { code: 'NOT_FOUND', vendorCode, message, retryable: false };
  if (/custom field .* does not exist/i.test(message))
    return { code: 'CONFIG', vendorCode, message: `${message} (re-run field provisioning)`, retryable: false };
  if (vendorCode === 'PermissionDenied' || vendorCode === 'Forbidden') return { code: 'PERMISSION', vendorCode, message, retryable: false };
  if (vendorCode === 'RecordInvalid' || vendorCode === 'InvalidValue') return { code: 'VALIDATION', vendorCode, message, retryable: false };
  return { code: 'UNKNOWN', vendorCode, message, retryable: true };
}
