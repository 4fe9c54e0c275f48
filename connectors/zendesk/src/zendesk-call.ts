/**
 * Every vendor call of the connector goes through here: wait for the connection's rate budget, count
 * the call, run it with node-zendesk, feed X-Rate-Limit / X-Rate-Limit-Remaining / Retry-After into
 * the budget, turn resolved failures (node-zendesk resolves 429s and 502s) and thrown errors into
 * ConnectorExceptions, and retry transient ones (node-zendesk retries nothing itself).
 * https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */
import { retryWithBackoff } from '@fieldcast/common';
import { ConnectorException, type ConnectorContext } from '@fieldcast/connector-sdk';
import type { ZendeskClient } from 'node-zendesk';
import { parseZendeskError, parseZendeskResolvedFailure } from './zendesk-error.parser';
import type { ZendeskSdkResponse } from './zendesk-raw.types';

const MINUTE_MS = 60_000;

export interface ZendeskRetryPolicy {
  /** Attempts per call including the first. */
  maxAttempts: number;
  retryBaseMs: number;
  /** Longer Retry-After waits go back to the engine (RATE_LIMITED) instead of blocking a worker. */
  maxInlineWaitMs: number;
}

export type ZendeskCall = <T>(endpoint: string, kind: 'read' | 'write', call: (client: ZendeskClient) => Promise<unknown>) => Promise<T>;

function observe(ctx: ConnectorContext, response: ZendeskSdkResponse<unknown>['response']): void {
  if (!response?.headers) return;
  const limit = Number(response.headers.get('x-rate-limit'));
  const remaining = Number(response.headers.get('x-rate-limit-remaining'));
  if (response.headers.get('x-rate-limit') !== null && Number.isFinite(limit) && Number.isFinite(remaining))
    ctx.budget.observe({ limit, remaining, used: limit - remaining, windowMs: MINUTE_MS });
}

export function createZendeskCall(ctx: ConnectorContext, client: ZendeskClient, policy: ZendeskRetryPolicy): ZendeskCall {
  return async <T>(endpoint: string, kind: 'read' | 'write', call: (client: ZendeskClient) => Promise<unknown>): Promise<T> =>
    retryWithBackoff(
      async () => {
        await ctx.budget.acquire(kind, ctx.signal);
        ctx.budget.recordCall(endpoint);
        let outcome: ZendeskSdkResponse<T>;
        try {
          outcome = (await call(client)) as ZendeskSdkResponse<T>;
        } catch (error) {
          throw parseZendeskError(error, endpoint);
        }
        observe(ctx, outcome.response);
        const status = outcome.response?.status ?? 200;
        if (outcome.result instanceof Error || status >= 400) {
          const failure = parseZendeskResolvedFailure(status, outcome.response?.headers.get('retry-after') ?? null, endpoint);
          if (failure.retryAfterMs !== undefined) ctx.budget.observe({ retryAfterMs: failure.retryAfterMs });
          throw failure;
        }
        return outcome.result as T;
      },
      {
        attempts: policy.maxAttempts,
        baseMs: policy.retryBaseMs,
        signal: ctx.signal,
        shouldRetry: (error) => {
          if (!(error instanceof ConnectorException)) return { retry: false };
          if (error.code === 'TEMPORARY') return { retry: true };
          if (error.code === 'RATE_LIMITED' && (error.retryAfterMs ?? 0) <= policy.maxInlineWaitMs)
            return { retry: true, retryAfterMs: error.retryAfterMs };
          return { retry: false };
        },
        onRetry: (error, attempt, delayMs) =>
          ctx.log.warn('zendesk call failed, retrying', {
            endpoint,
            attempt,
            delayMs,
            error: (error as Error).message,
            connectionId: ctx.connectionId,
          }),
      },
    );
}
