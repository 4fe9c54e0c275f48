/**
 * Every error a connector raises is a ConnectorException with one of these codes. One handler in
 * libs/sync-engine decides what each code means (retry, back off, mark "needs re-auth", dead-letter),
 * so connectors never make that decision themselves (the Airbyte config / transient / system split).
 */
export const CONNECTOR_ERROR_CODES = [
  'AUTH_EXPIRED', // credentials no longer valid (refresh failed or revoked): needs re-auth, stop calling
  'RATE_LIMITED', // vendor said slow down (429, 403 REQUEST_LIMIT_EXCEEDED): wait retryAfterMs
  'TEMPORARY', // 5xx, timeouts, connection resets: retry with backoff and jitter
  'PERMISSION', // authenticated but not allowed (field-level security, missing scope)
  'INVALID_CURSOR', // the saved cursor is no longer accepted: restart the stream from a full sync
  'VALIDATION', // the vendor rejected the data of one record: dead-letter that record
  'NOT_FOUND', // the record or object does not exist (deleted meanwhile)
  'CONFIG', // the connection is misconfigured (bad instance URL, unknown field): admin must fix
  'UNKNOWN', // anything else: treated as TEMPORARY a few times, then dead-lettered
] as const;

export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

export interface ConnectorExceptionOptions {
  /** When the vendor told us how long to wait (Retry-After, policy window), in milliseconds. */
  retryAfterMs?: number;
  /** The vendor's own error code, e.g. `INVALID_SESSION_ID`, `VALIDATION_ERROR`, `RecordInvalid`. */
  vendorCode?: string;
  /** HTTP status of the vendor response, when there was one. */
  httpStatus?: number;
  cause?: unknown;
}

export class ConnectorException extends Error {
  readonly code: ConnectorErrorCode;
  readonly retryAfterMs?: number;
  readonly vendorCode?: string;
  readonly httpStatus?: number;

  constructor(code: ConnectorErrorCode, message: string, options: ConnectorExceptionOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorException';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
    this.vendorCode = options.vendorCode;
    this.httpStatus = options.httpStatus;
  }

  /** Transient failures are worth retrying as they are; the others need time, a person or a skip. */
  get isTransient(): boolean {
    return this.code === 'TEMPORARY' || this.code === 'RATE_LIMITED' || this.code === 'UNKNOWN';
  }
}

export function isConnectorException(error: unknown): error is ConnectorException {
  return error instanceof ConnectorException;
}
