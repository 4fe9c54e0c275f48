/**
 * The one policy every connector applies around a vendor call, so the three connectors cannot drift
 * apart: wait for the connection's rate budget, count the call, run one attempt (the vendor's SDK call
 * and its own error parser), and retry in this process only what is worth retrying here:
 *
 * - TEMPORARY (5xx, timeouts, resets): retried, waiting the vendor's Retry-After when it sent one,
 *   else full-jitter backoff from `retryBaseMs`.
 * - RATE_LIMITED: retried here only when the wait is at most `maxInlineWaitMs` (honouring it); a
 *   longer wait (a daily quota) goes back to the engine as the RATE_LIMITED it is, instead of holding
 *   a worker. A rate limit that came with no wait at all is retried with backoff.
 * - anything else (auth, permission, validation, config, not found, unknown): never retried here.
 *
 * What stays with each connector is only what is really vendor-specific: the SDK call, its error
 * parser, its limit headers, and (through `auth`) how it gets a fresh OAuth token.
 */
import { retryWithBackoff, type RetryDecision } from '@fieldcast/common';
import { ConnectorException } from './connector-exception';
import type { ConnectorContext } from './connector.types';

export interface VendorCallPolicy {
  /** Attempts per call, including the first (>= 1). */
  maxAttempts: number;
  /** Backoff base for failures the vendor gave no wait for: attempt n waits up to retryBaseMs * 2^(n-1). */
  retryBaseMs: number;
  /** A vendor wait longer than this goes back to the engine instead of blocking a worker. */
  maxInlineWaitMs: number;
}

/** How a call gets a usable OAuth token: before every attempt, and once more after the vendor rejects one (401). */
export interface VendorCallAuth {
  /** Refreshes ahead of expiry when needed; resolves to the access token this attempt uses. */
  beforeAttempt(): Promise<string>;
  /**
   * The vendor rejected `usedToken`. Resolves true when a newer token is ready (refreshed now, or by a
   * parallel call since this one started), false when there is no way to get one (no refresh token).
   */
  recover(usedToken: string): Promise<boolean>;
}

export interface VendorCall<T> {
  /** Lower-case vendor name for the log line (`salesforce`, `hubspot`, `zendesk`). */
  vendor: string;
  /** `METHOD /template`, as counted by the budget. */
  endpoint: string;
  kind: 'read' | 'write';
  policy: VendorCallPolicy;
  auth?: VendorCallAuth;
  /** One attempt: the SDK call, failures already parsed into a ConnectorException by the vendor's parser. */
  attempt(): Promise<T>;
}

/** Problems with a policy, each naming the option and what it needs (empty when it is fine). */
export function vendorCallPolicyProblems(policy: VendorCallPolicy): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    problems.push(`maxAttempts: expected a whole number >= 1, got ${JSON.stringify(policy.maxAttempts)}`);
  if (typeof policy.retryBaseMs !== 'number' || !Number.isFinite(policy.retryBaseMs) || policy.retryBaseMs < 0)
    problems.push(`retryBaseMs: expected milliseconds >= 0, got ${JSON.stringify(policy.retryBaseMs)}`);
  if (typeof policy.maxInlineWaitMs !== 'number' || !Number.isFinite(policy.maxInlineWaitMs) || policy.maxInlineWaitMs < 0)
    problems.push(`maxInlineWaitMs: expected milliseconds >= 0, got ${JSON.stringify(policy.maxInlineWaitMs)}`);
  return problems;
}

/** The defaults with what was given on top; a CONFIG error naming every bad option otherwise. */
export function resolveVendorCallPolicy(vendor: string, given: Partial<VendorCallPolicy>, defaults: VendorCallPolicy): VendorCallPolicy {
  const policy: VendorCallPolicy = {
    maxAttempts: given.maxAttempts ?? defaults.maxAttempts,
    retryBaseMs: given.retryBaseMs ?? defaults.retryBaseMs,
    maxInlineWaitMs: given.maxInlineWaitMs ?? defaults.maxInlineWaitMs,
  };
  const problems = vendorCallPolicyProblems(policy);
  if (problems.length) throw new ConnectorException('CONFIG', `${vendor} retry options are invalid: ${problems.join('; ')}`);
  return policy;
}

/** Whether a failed attempt is tried again in this process, and after what wait (see the file comment). */
export function decideVendorRetry(error: unknown, policy: VendorCallPolicy): RetryDecision {
  if (!(error instanceof ConnectorException)) return { retry: false };
  if (error.code !== 'TEMPORARY' && error.code !== 'RATE_LIMITED') return { retry: false };
  const wait = error.retryAfterMs;
  if (wait !== undefined && wait > policy.maxInlineWaitMs) return { retry: false };
  return { retry: true, retryAfterMs: wait };
}

export async function callVendor<T>(ctx: ConnectorContext, call: VendorCall<T>): Promise<T> {
  let recoveredAuth = false;
  return retryWithBackoff(
    async () => {
      const token = await call.auth?.beforeAttempt();
      await ctx.budget.acquire(call.kind, ctx.signal);
      ctx.budget.recordCall(call.endpoint);
      try {
        return await call.attempt();
      } catch (error) {
        if (!(error instanceof ConnectorException)) throw error;
        // Every caller of this connection in this process waits out what the vendor asked for.
        if (error.code === 'RATE_LIMITED' && error.retryAfterMs !== undefined) ctx.budget.observe({ retryAfterMs: error.retryAfterMs });
        if (error.code === 'AUTH_EXPIRED' && error.httpStatus === 401 && call.auth && token !== undefined && !recoveredAuth) {
          // Expired before its stated lifetime (revoked, clock skew, no lifetime given): one fresh token, then the same call again.
          recoveredAuth = true;
          if (await call.auth.recover(token))
            throw new ConnectorException('TEMPORARY', `${call.vendor} rejected the access token; retrying with a refreshed token`, {
              retryAfterMs: 0,
              cause: error,
            });
        }
        throw error;
      }
    },
    {
      attempts: call.policy.maxAttempts,
      baseMs: call.policy.retryBaseMs,
      signal: ctx.signal,
      shouldRetry: (error) => decideVendorRetry(error, call.policy),
      onRetry: (error, attempt, delayMs) =>
        ctx.log.warn(`${call.vendor} call failed, retrying`, {
          endpoint: call.endpoint,
          attempt,
          delayMs,
          error: (error as Error).message,
          connectionId: ctx.connectionId,
        }),
    },
  );
}
