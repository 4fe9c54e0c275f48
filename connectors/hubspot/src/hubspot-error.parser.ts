/**
 * Maps what @hubspot/api-client throws to ConnectorException codes. The SDK throws
 * `ApiException {code: <HTTP status>, body, headers}` for every non-2xx except batch 207s (which
 * resolve); fetch failures surface as TypeError/AbortError. OAuth errors carry `status: "BAD_…"`.
 * https://developers.hubspot.com/docs/api/error-handling
 */
import { ConnectorException, type ConnectorErrorCode } from '@fieldcast/connector-sdk';
import { hubSpotRetryAfterMs, type HubSpotHeaders } from './hubspot-rate-limit.headers';

export interface HubSpotApiFailure {
  code: number;
  body?: { status?: unknown; message?: unknown; category?: unknown; policyName?: unknown; [key: string]: unknown };
  headers?: HubSpotHeaders;
}

export function isHubSpotApiFailure(error: unknown): error is HubSpotApiFailure {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && 'body' in error;
}

const CATEGORY_CODES: Record<string, ConnectorErrorCode> = {
  EXPIRED_AUTHENTICATION: 'AUTH_EXPIRED',
  INVALID_AUTHENTICATION: 'AUTH_EXPIRED',
  MISSING_SCOPES: 'PERMISSION',
  INVALID_PERMISSIONS: 'PERMISSION',
  OBJECT_NOT_FOUND: 'NOT_FOUND',
  OBJECT_ALREADY_EXISTS: 'VALIDATION',
  VALIDATION_ERROR: 'VALIDATION',
  RATE_LIMITS: 'RATE_LIMITED',
};

/** HubSpot's OAuth endpoint answers 400 {status: "BAD_REFRESH_TOKEN", …}: the connection must be re-authorized. */
const OAUTH_STATUSES = new Set([
  'BAD_REFRESH_TOKEN',
  'BAD_CLIENT_ID',
  'BAD_CLIENT_SECRET',
  'BAD_AUTH_CODE',
  'BAD_REDIRECT_URI',
  'BAD_GRANT_TYPE',
]);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function parseHubSpotError(error: unknown, endpoint: string): ConnectorException {
  if (error instanceof ConnectorException) return error;
  if (isHubSpotApiFailure(error)) {
    const status = error.code;
    const body = (typeof error.body === 'object' && error.body !== null ? error.body : {}) as NonNullable<HubSpotApiFailure['body']>;
    const category = text(body.category);
    const oauthStatus = text(body.status);
    const missingScopes = Array.isArray(body.errors)
      ? (body.errors as Array<{ context?: { requiredGrantedScopes?: unknown } }>).flatMap((e) =>
          Array.isArray(e?.context?.requiredGrantedScopes) ? (e.context!.requiredGrantedScopes as string[]) : [],
        )
      : [];
    const vendorMessage = `${text(body.message) ?? 'no message'}${missingScopes.length ? ` (missing scope: ${missingScopes.join(', ')})` : ''}`;
    const vendorCode = category ?? (oauthStatus && oauthStatus !== 'error' ? oauthStatus : undefined) ?? `HTTP_${status}`;
    const base = { vendorCode, httpStatus: status, cause: error };
    if (status === 429) {
      const retryAfterMs = hubSpotRetryAfterMs(error.headers, body);
      return new ConnectorException(
        'RATE_LIMITED',
        `HubSpot rate limit on ${endpoint} (${text(body.policyName) ?? 'policy unknown'}): ${vendorMessage}`,
        {
          ...base,
          vendorCode: text(body.policyName) ?? vendorCode,
          retryAfterMs,
        },
      );
    }
    if (oauthStatus && OAUTH_STATUSES.has(oauthStatus)) {
      return new ConnectorException(
        'AUTH_EXPIRED',
        `HubSpot refused the token refresh (${oauthStatus}: ${vendorMessage}); reconnect the HubSpot app in Fieldcast settings`,
        base,
      );
    }
    if (status >= 500) return new ConnectorException('TEMPORARY', `HubSpot ${status} on ${endpoint}: ${vendorMessage}`, base);
    const mapped: ConnectorErrorCode =
      (category ? CATEGORY_CODES[category] : undefined) ??
      (status === 401
        ? 'AUTH_EXPIRED'
        : status === 403
          ? 'PERMISSION'
          : status === 404
            ? 'NOT_FOUND'
            : status === 400
              ? 'VALIDATION'
              : 'UNKNOWN');
    return new ConnectorException(
      mapped,
      `HubSpot ${status} ${category ?? ''} on ${endpoint}: ${vendorMessage}`.replace(/\s+/g, ' '),
      base,
    );
  }
  const err = error as { name?: string; message?: string; cause?: { code?: string } };
  if (
    err?.name === 'AbortError' ||
    err?.name === 'TimeoutError' ||
    err?.message === 'fetch failed' ||
    /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket/i.test(`${err?.message} ${err?.cause?.code ?? ''}`)
  ) {
    return new ConnectorException('TEMPORARY', `HubSpot unreachable on ${endpoint}: ${err.message ?? String(error)}`, { cause: error });
  }
  return new ConnectorException('UNKNOWN', `Unexpected failure on ${endpoint}: ${err?.message ?? String(error)}`, { cause: error });
}
