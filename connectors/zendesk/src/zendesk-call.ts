/**
 * Every vendor call of the connector goes through here, under the shared vendor-call policy
 * (`callVendor` in connector-sdk: budget, retries, Retry-After, what goes back to the engine, one
 * token refresh after a 401). What is Zendesk's own: the call runs through node-zendesk, which
 * RESOLVES some failures (429s with Retry-After, 502/504) instead of throwing, so both shapes are
 * turned into ConnectorExceptions here; and X-Rate-Limit / X-Rate-Limit-Remaining feed the budget.
 * https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */
import { callVendor, type ConnectorContext, type VendorCallPolicy } from '@fieldcast/connector-sdk';
import type { ZendeskClient } from 'node-zendesk';
import { parseZendeskError, parseZendeskResolvedFailure } from './zendesk-error.parser';
import type { ZendeskSdkResponse } from './zendesk-raw.types';
import type { ZendeskSession } from './zendesk-session';

const MINUTE_MS = 60_000;

export type ZendeskCall = <T>(endpoint: string, kind: 'read' | 'write', call: (client: ZendeskClient) => Promise<unknown>) => Promise<T>;

function observe(ctx: ConnectorContext, response: ZendeskSdkResponse<unknown>['response']): void {
  if (!response?.headers) return;
  const limit = Number(response.headers.get('x-rate-limit'));
  const remaining = Number(response.headers.get('x-rate-limit-remaining'));
  if (response.headers.get('x-rate-limit') !== null && Number.isFinite(limit) && Number.isFinite(remaining))
    ctx.budget.observe({ limit, remaining, used: limit - remaining, windowMs: MINUTE_MS });
}

export function createZendeskCall(ctx: ConnectorContext, session: ZendeskSession, policy: VendorCallPolicy): ZendeskCall {
  return <T>(endpoint: string, kind: 'read' | 'write', call: (client: ZendeskClient) => Promise<unknown>): Promise<T> =>
    callVendor(ctx, {
      vendor: 'zendesk',
      endpoint,
      kind,
      policy,
      auth: session.tokens,
      attempt: async () => {
        let outcome: ZendeskSdkResponse<T>;
        try {
          outcome = (await call(session.client)) as ZendeskSdkResponse<T>;
        } catch (error) {
          throw parseZendeskError(error, endpoint);
        }
        observe(ctx, outcome.response);
        const status = outcome.response?.status ?? 200;
        if (outcome.result instanceof Error || status >= 400)
          throw parseZendeskResolvedFailure(status, outcome.response?.headers.get('retry-after') ?? null, endpoint);
        return outcome.result as T;
      },
    });
}
