/**
 * Every vendor call of the connector goes through here: wait for the connection's rate budget, count
 * the call, run it with jsforce, feed `Sforce-Limit-Info` (jsforce parses it into conn.limitInfo) back
 * into the budget, map errors, and retry transient failures jsforce does not retry itself (it retries
 * GETs on 429/5xx, never PATCH/POST).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
import { retryWithBackoff } from '@fieldcast/common';
import { ConnectorException, type ConnectorContext } from '@fieldcast/connector-sdk';
import type { Connection } from 'jsforce';
import type { SalesforceSession } from './salesforce-connection.factory';
import { parseSalesforceError } from './salesforce-error.parser';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Waits longer than this (the daily limit) go back to the engine instead of blocking a worker. */
const MAX_IN_PROCESS_WAIT_MS = 60_000;

export interface SalesforceRetryPolicy {
  /** Attempts per call including the first. */
  maxAttempts: number;
  retryBaseMs: number;
}

export function observeSalesforceLimits(ctx: ConnectorContext, conn: Connection): void {
  const usage = conn.limitInfo?.apiUsage;
  if (usage) ctx.budget.observe({ used: usage.used, limit: usage.limit, remaining: usage.limit - usage.used, windowMs: DAY_MS });
}

export async function salesforceCall<T>(
  ctx: ConnectorContext,
  session: SalesforceSession,
  endpoint: string,
  kind: 'read' | 'write',
  policy: SalesforceRetryPolicy,
  call: (conn: Connection) => PromiseLike<T>,
): Promise<T> {
  return retryWithBackoff(
    async () => {
      await ctx.budget.acquire(kind, ctx.signal);
      ctx.budget.recordCall(endpoint);
      try {
        return await call(session.conn);
      } catch (error) {
        const parsed = parseSalesforceError(error, endpoint);
        if (parsed.code === 'RATE_LIMITED') ctx.budget.observe({ retryAfterMs: parsed.retryAfterMs });
        throw parsed;
      } finally {
        observeSalesforceLimits(ctx, session.conn);
      }
    },
    {
      attempts: policy.maxAttempts,
      baseMs: policy.retryBaseMs,
      signal: ctx.signal,
      shouldRetry: (error) => {
        if (!(error instanceof ConnectorException)) return { retry: false };
        if (error.code === 'TEMPORARY') return { retry: true };
        if (error.code === 'RATE_LIMITED' && (error.retryAfterMs ?? 0) <= MAX_IN_PROCESS_WAIT_MS) return { retry: true };
        return { retry: false };
      },
      onRetry: (error, attempt, delayMs) =>
        ctx.log.warn('salesforce call failed, retrying', {
          endpoint,
          attempt,
          delayMs,
          error: (error as Error).message,
          connectionId: ctx.connectionId,
        }),
    },
  );
}
