/** Builds a ConnectorContext against the Salesforce sandbox (real jsforce over HTTP, counting budget). */
import type { ConnectionCredentials, Connector, ConnectorContext, SyncedRecord } from '@fieldcast/connector-sdk';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import { startSalesforceSandbox, type StartedSalesforceSandbox } from '../../../apps/sandbox/test/salesforce-sandbox.helpers';
import type { SalesforceSandboxOptions } from '../../../apps/sandbox/src/salesforce/salesforce.sandbox';

export { demoLeads, demoTickets } from '../../../apps/sandbox/test/salesforce-sandbox.helpers';

export interface TestContext {
  ctx: ConnectorContext;
  budget: CountingRateBudget;
  refreshed: ConnectionCredentials[];
  warnings: string[];
}

export async function startSandbox(options: SalesforceSandboxOptions = {}): Promise<StartedSalesforceSandbox> {
  return startSalesforceSandbox({ dailyApiLimit: 1_000_000, ...options });
}

export async function makeContext(
  sf: StartedSalesforceSandbox,
  overrides: Partial<ConnectorContext['settings']> = {},
): Promise<TestContext> {
  const creds = await sf.credentials();
  const budget = new CountingRateBudget();
  const refreshed: ConnectionCredentials[] = [];
  const warnings: string[] = [];
  const ctx: ConnectorContext = {
    connectionId: 'conn-sf-1',
    credentials: {
      kind: 'oauth2',
      accessToken: creds.accessToken,
      refreshToken: creds.refreshToken,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      loginUrl: creds.loginUrl,
      instanceUrl: creds.instanceUrl,
    },
    settings: { baseUrl: creds.instanceUrl, integrationUserId: creds.integrationUserId, ...overrides },
    budget,
    log: { debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m) },
    onCredentialsRefreshed: async (next) => {
      refreshed.push(next);
      ctx.credentials = next;
    },
  };
  return { ctx, budget, refreshed, warnings };
}

export interface SyncRun {
  records: SyncedRecord[];
  deletedIds: string[];
  cursor: string | null;
  pages: number;
}

/** Runs fetchPage until hasMore is false, like the sync engine (cursor saved after every page). */
export async function syncAll(
  connector: Connector,
  ctx: ConnectorContext,
  stream: string,
  cursor: string | null,
  pageSize = 2000,
  mode: 'incremental' | 'full' = 'incremental',
): Promise<SyncRun> {
  const run: SyncRun = { records: [], deletedIds: [], cursor, pages: 0 };
  for (;;) {
    const page = await connector.fetchPage(ctx, { stream, cursor: run.cursor, pageSize, mode });
    run.pages++;
    run.records.push(...page.records);
    run.deletedIds.push(...page.deletedIds);
    run.cursor = page.nextCursor;
    if (!page.hasMore) return run;
    if (run.pages > 10_000) throw new Error('sync did not end');
  }
}
