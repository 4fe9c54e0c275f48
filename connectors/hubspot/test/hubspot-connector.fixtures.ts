/** Shared setup for the HubSpot connector e2e tests: the HubSpot sandbox over HTTP and a connector context. */
import type { ConnectionCredentials, ConnectorContext, FetchPageResult, SyncMode, SyncedRecord } from '@fieldcast/connector-sdk';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import { createHubSpotSandbox, type DemoDataSet } from '@fieldcast/sandbox';
import { HubSpotConnector } from '../src/hubspot.connector';

export type HubSpotSandboxHandle = ReturnType<typeof createHubSpotSandbox>;

export interface HubSpotConnectorBed {
  sandbox: HubSpotSandboxHandle;
  baseUrl: string;
  connector: HubSpotConnector;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** A fresh context (fresh session, budget and log) with the sandbox's current demo credentials. */
  context(overrides?: {
    options?: Record<string, unknown>;
    credentials?: Partial<Extract<ConnectionCredentials, { kind: 'oauth2' }>>;
  }): TestContext;
}

export interface TestContext {
  ctx: ConnectorContext;
  budget: CountingRateBudget;
  refreshed: ConnectionCredentials[];
  warnings: Array<{ message: string; details?: Record<string, unknown> }>;
}

interface SandboxCredentials {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  clientId: string;
  clientSecret: string;
  appId: number;
}

export async function startHubSpotConnectorBed(options: {
  data: DemoDataSet;
  rateLimit?: Record<string, unknown>;
}): Promise<HubSpotConnectorBed> {
  // Tests that are not about limits lift them so a sync is not paced at 5 searches per second.
  const sandbox = createHubSpotSandbox({
    data: options.data,
    rateLimit: { searchPerSecond: 0, maxPerWindow: 100_000, ...(options.rateLimit ?? {}) },
  });
  const baseUrl = await sandbox.start(0);
  const connector = new HubSpotConnector();
  return {
    sandbox,
    baseUrl,
    connector,
    control: async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(`${baseUrl}/__sandbox${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    context: (overrides = {}) => {
      const creds = sandbox.credentials() as unknown as SandboxCredentials;
      const budget = new CountingRateBudget();
      const refreshed: ConnectionCredentials[] = [];
      const warnings: TestContext['warnings'] = [];
      const ctx: ConnectorContext = {
        connectionId: 'conn-hubspot-test',
        credentials: {
          kind: 'oauth2',
          accessToken: creds.accessToken,
          refreshToken: creds.refreshToken,
          expiresAt: Date.now() + creds.expiresIn * 1000,
          clientId: creds.clientId,
          clientSecret: creds.clientSecret,
          ...(overrides.credentials ?? {}),
        },
        settings: {
          baseUrl,
          // Most tests edit and sync at once; the settle margin for the search index lag has its own test.
          options: { appId: String(creds.appId), searchMinIntervalMs: 0, searchSettleMs: 0, retryBaseMs: 20, ...(overrides.options ?? {}) },
        },
        budget,
        log: { debug: () => undefined, info: () => undefined, warn: (message, details) => void warnings.push({ message, details }) },
        onCredentialsRefreshed: async (next) => void refreshed.push(next),
      };
      return { ctx, budget, refreshed, warnings };
    },
  };
}

export interface SyncRun {
  records: SyncedRecord[];
  deletedIds: string[];
  cursor: string | null;
  pages: FetchPageResult[];
}

/** Runs fetchPage until hasMore is false, the way the sync engine does (cursor saved after every page). */
export async function runHubSpotSync(
  bed: HubSpotConnectorBed,
  ctx: ConnectorContext,
  stream: string,
  cursor: string | null,
  options: { mode?: SyncMode; pageSize?: number; maxPages?: number } = {},
): Promise<SyncRun> {
  const run: SyncRun = { records: [], deletedIds: [], cursor, pages: [] };
  for (let i = 0; i < (options.maxPages ?? 10_000); i++) {
    const page = await bed.connector.fetchPage(ctx, {
      stream,
      cursor: run.cursor,
      pageSize: options.pageSize ?? 200,
      mode: options.mode ?? 'incremental',
    });
    run.pages.push(page);
    run.records.push(...page.records);
    run.deletedIds.push(...page.deletedIds);
    run.cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  return run;
}

export function liveIds(sandbox: HubSpotSandboxHandle, object: 'contacts' | 'tickets'): string[] {
  return sandbox.stores[object]
    .all()
    .filter((r) => !r.archived)
    .map((r) => r.id);
}
