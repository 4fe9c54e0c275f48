/** ConnectorContext against the Zendesk sandbox (real node-zendesk over HTTP, counting budget). */
import type { Connector, ConnectorContext, SyncedRecord } from '@fieldcast/connector-sdk';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import type { ZendeskTestBed } from '../../../apps/sandbox/test/zendesk-sandbox.helpers';

export { startZendeskTestBed, zendeskDemoTickets, type ZendeskTestBed } from '../../../apps/sandbox/test/zendesk-sandbox.helpers';

export interface TestContext {
  ctx: ConnectorContext;
  budget: CountingRateBudget;
  warnings: string[];
}

export function makeContext(
  bed: ZendeskTestBed,
  overrides: { auth?: 'api_token' | 'oauth2'; email?: string; settings?: Partial<ConnectorContext['settings']> } = {},
): TestContext {
  const c = bed.credentials;
  const budget = new CountingRateBudget();
  const warnings: string[] = [];
  const ctx: ConnectorContext = {
    connectionId: `conn-zd-${Math.random().toString(36).slice(2)}`,
    credentials:
      overrides.auth === 'oauth2'
        ? {
            kind: 'oauth2',
            accessToken: c.oauth.accessToken,
            refreshToken: c.oauth.refreshToken,
            clientId: c.oauth.clientId,
            clientSecret: c.oauth.clientSecret,
          }
        : { kind: 'api_token', email: overrides.email ?? c.email, token: c.apiToken },
    settings: { baseUrl: c.baseUrl, integrationUserId: String(c.integrationUserId), ...overrides.settings },
    budget,
    log: { debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m) },
    onCredentialsRefreshed: async () => undefined,
  };
  return { ctx, budget, warnings };
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
  cursor: string | null,
  options: { pageSize?: number; mode?: 'incremental' | 'full'; maxPages?: number } = {},
): Promise<SyncRun> {
  const run: SyncRun = { records: [], deletedIds: [], cursor, pages: 0 };
  for (;;) {
    const page = await connector.fetchPage(ctx, {
      stream: 'tickets',
      cursor: run.cursor,
      pageSize: options.pageSize ?? 1000,
      mode: options.mode ?? 'incremental',
    });
    run.records.push(...page.records);
    run.deletedIds.push(...page.deletedIds);
    run.cursor = page.nextCursor;
    run.pages += 1;
    if (!page.hasMore || (options.maxPages !== undefined && run.pages >= options.maxPages)) return run;
  }
}
