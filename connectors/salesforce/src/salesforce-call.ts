/**
 * Every vendor call of the connector goes through here, under the shared vendor-call policy
 * (`callVendor` in connector-sdk: budget, retries, Retry-After, what goes back to the engine). What is
 * Salesforce's own: the call runs through jsforce (which refreshes the session on a 401 and replays the
 * call itself, and retries GETs on 429/5xx, never PATCH/POST), its errors are mapped by
 * parseSalesforceError, and `Sforce-Limit-Info` (jsforce parses it into conn.limitInfo) feeds the budget.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
import { callVendor, type ConnectorContext, type VendorCallPolicy } from '@fieldcast/connector-sdk';
import type { Connection } from 'jsforce';
import type { SalesforceSession } from './salesforce-connection.factory';
import { parseSalesforceError } from './salesforce-error.parser';

const DAY_MS = 24 * 60 * 60 * 1000;

export function observeSalesforceLimits(ctx: ConnectorContext, conn: Connection): void {
  const usage = conn.limitInfo?.apiUsage;
  if (usage) ctx.budget.observe({ used: usage.used, limit: usage.limit, remaining: usage.limit - usage.used, windowMs: DAY_MS });
}

export function salesforceCall<T>(
  ctx: ConnectorContext,
  session: SalesforceSession,
  endpoint: string,
  kind: 'read' | 'write',
  policy: VendorCallPolicy,
  call: (conn: Connection) => PromiseLike<T>,
): Promise<T> {
  return callVendor(ctx, {
    vendor: 'salesforce',
    endpoint,
    kind,
    policy,
    attempt: async () => {
      try {
        return await call(session.conn);
      } catch (error) {
        throw parseSalesforceError(error, endpoint);
      } finally {
        observeSalesforceLimits(ctx, session.conn);
      }
    },
  });
}
