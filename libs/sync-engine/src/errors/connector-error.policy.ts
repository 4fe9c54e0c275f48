/**
 * The one place that decides what a connector error means for a run or a write (Airbyte's split of
 * config / transient / system errors): retry with backoff, wait as the vendor asked, stop and ask an
 * admin to re-authenticate, restart the stream, or dead-letter one record.
 */
import { backoffDelayMs } from '@fieldcast/common';
import { ConnectorException, isConnectorException } from '@fieldcast/connector-sdk';

export type ErrorDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'needs-reauth'; reason: string }
  | { action: 'restart-full'; reason: string }
  | { action: 'fail'; reason: string };

export const MAX_TRANSIENT_ATTEMPTS = 6;

export function decideOnError(error: unknown, attempt: number, random: () => number = Math.random): ErrorDecision {
  const e: ConnectorException = isConnectorException(error)
    ? error
    : new ConnectorException('UNKNOWN', (error as Error)?.message ?? String(error), { cause: error });
  switch (e.code) {
    case 'AUTH_EXPIRED':
      return { action: 'needs-reauth', reason: `${e.message} Re-authenticate the connection to resume.` };
    case 'INVALID_CURSOR':
      return { action: 'restart-full', reason: e.message };
    case 'PERMISSION':
    case 'CONFIG':
    case 'VALIDATION':
    case 'NOT_FOUND':
      return { action: 'fail', reason: e.message };
    case 'RATE_LIMITED':
    case 'TEMPORARY':
    case 'UNKNOWN':
      if (attempt >= MAX_TRANSIENT_ATTEMPTS) return { action: 'fail', reason: `${e.message} (gave up after ${attempt} attempts)` };
      return {
        action: 'retry',
        delayMs: backoffDelayMs(attempt, { baseMs: 1000, maxMs: 60_000, retryAfterMs: e.retryAfterMs, random }),
        reason: e.message,
      };
  }
}
