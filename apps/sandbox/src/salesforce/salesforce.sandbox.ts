/**
 * The Salesforce sandbox: a local org that real jsforce talks to unchanged (OAuth, REST data API,
 * Tooling API, Outbound Messages), with the wire shapes and quirks of vendor-apis.md section 1.
 * Docs: apps/sandbox/docs/salesforce.md.
 */
import { mountRecordViewer } from '../common/record-viewer';
import { SandboxRouter, SandboxServer, type SandboxRequest, type SandboxResponse, type VendorBehaviour } from '../common/sandbox-http';
import { SandboxWriteLog } from '../common/sandbox-write-log';
import type { VendorSandbox, VendorSandboxOptions } from '../common/vendor-sandbox.types';
import type { DemoDataSet } from '../data/demo-data.types';
import { salesforceApi, SalesforceApiUsage, type SalesforceApiContext } from './salesforce-api';
import { mountSalesforceControl } from './salesforce-control.routes';
import { mapDemoLeadToSalesforce, mapDemoTicketToSalesforce, type SalesforceSeedContext } from './salesforce-demo.mapper';
import { salesforceErrorResponse } from './salesforce-errors';
import { mountSalesforceOAuth, SalesforceTokenStore } from './salesforce-oauth';
import { buildSalesforceOrg, salesforceDemoOrg } from './salesforce-org';
import { SalesforceOutboundMessenger } from './salesforce-outbound';
import { mountSalesforceQuery, SalesforceQueryCursors } from './salesforce-query.routes';
import { salesforceRecordViewerSource } from './salesforce-record-viewer';
import { mountSalesforceSObjects } from './salesforce-sobjects.routes';
import { SalesforceStore } from './salesforce-store';
import { mountSalesforceTooling } from './salesforce-tooling.routes';

export interface SalesforceSandboxOptions extends VendorSandboxOptions {
  /** Daily API request allocation (403 REQUEST_LIMIT_EXCEEDED beyond it). Default 100,000. */
  dailyApiLimit?: number;
  /** First outbound-message retry delay (the platform: 30 s). */
  outboundRetryBaseMs?: number;
  clientId?: string;
  clientSecret?: string;
}

export const SALESFORCE_SANDBOX_API_VERSION = '62.0';
const DEFAULT_CLIENT_ID = '3MVG9fieldcast.sandbox.demo.client';
const DEFAULT_CLIENT_SECRET = 'fieldcast-sandbox-demo-secret';

function salesforceVendorBehaviour(usage: SalesforceApiUsage): VendorBehaviour {
  return {
    name: 'salesforce',
    // Salesforce refuses over-limit calls with 403 REQUEST_LIMIT_EXCEEDED and names no wait (no
    // Retry-After), for its concurrency limit as for the daily one; jsforce does not retry a 403.
    rateLimited: (): SandboxResponse => salesforceErrorResponse(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
    serverError: (_req: SandboxRequest, status: number): SandboxResponse =>
      status === 500
        ? salesforceErrorResponse(
            500,
            'UNKNOWN_EXCEPTION',
            'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567-89012 (-1234567890)',
          )
        : salesforceErrorResponse(status, 'SERVER_UNAVAILABLE', 'Service Unavailable'),
    outage: () => salesforceErrorResponse(503, 'SERVER_UNAVAILABLE', 'Service Unavailable: the instance is down for maintenance'),
    // Unmatched paths skip decorate, so the 404 carries the usage header itself.
    notFound: () => ({
      ...salesforceErrorResponse(404, 'NOT_FOUND', 'The requested resource does not exist'),
      headers: { 'Sforce-Limit-Info': usage.header() },
    }),
    decorate: (req: SandboxRequest, res: SandboxResponse) => {
      if (req.path === '/' || req.path.startsWith('/view')) return;
      res.headers = { ...(res.headers ?? {}), 'Sforce-Limit-Info': usage.header() };
    },
  };
}

export function createSalesforceSandbox(options: SalesforceSandboxOptions = {}): VendorSandbox {
  const org = salesforceDemoOrg(options.clientId ?? DEFAULT_CLIENT_ID, options.clientSecret ?? DEFAULT_CLIENT_SECRET);
  const store = new SalesforceStore();
  const tokens = new SalesforceTokenStore(org, options.tokenTtlSeconds ?? 7200);
  const initialLimit = options.dailyApiLimit ?? 100_000;
  const usage = new SalesforceApiUsage(initialLimit);
  const writeLog = new SandboxWriteLog();
  const cursors = new SalesforceQueryCursors();
  const rights = { customizeApplication: true, managePermissionSets: true };
  const ctx: SalesforceApiContext = { store, tokens, usage, org, writeLog, rights };
  const router = new SandboxRouter();
  const control = new SandboxRouter();
  const outbound = new SalesforceOutboundMessenger(store, org, () => server.baseUrl);
  if (options.outboundRetryBaseMs !== undefined) outbound.settings.retryBaseMs = options.outboundRetryBaseMs;

  const seed = (data: DemoDataSet, seedOptions: { modstamp: 'shared' | 'spread' } = { modstamp: 'shared' }): void => {
    const seedCtx: SalesforceSeedContext = { stamp: store.nextStamp(), ownerId: org.adminUserId, now: Date.now() };
    const leads = data.leads.map((lead, i) => mapDemoLeadToSalesforce(lead, i, seedCtx));
    const cases = data.tickets.map((ticket, i) => mapDemoTicketToSalesforce(ticket, i, seedCtx));
    if (seedOptions.modstamp === 'spread') {
      // Each record keeps its own history stamp instead of the bulk-load one (LastModifiedDate <= now).
      for (const r of leads) r.SystemModstamp = r.LastModifiedDate = r.CreatedDate;
      for (const r of cases) r.SystemModstamp = r.LastModifiedDate;
    }
    store.table('Lead')!.load(leads, leads.length);
    store.table('Case')!.load(cases, cases.length);
    cursors.clear();
  };

  const registerDefaultOutbound = () => {
    if (options.webhookTarget) for (const object of ['Lead', 'Case']) outbound.register(options.webhookTarget, object);
  };

  const resetOrg = () => {
    buildSalesforceOrg(store, org);
    seed(options.data ?? { leads: [], tickets: [] });
    writeLog.clear();
    cursors.clear();
    outbound.unregisterAll();
    registerDefaultOutbound();
    usage.used = 0;
    usage.limit = initialLimit;
    rights.customizeApplication = true;
    rights.managePermissionSets = true;
  };

  const credentials = (): Record<string, unknown> => {
    const base = server.baseUrl;
    return {
      vendor: 'salesforce',
      clientId: org.clientId,
      clientSecret: org.clientSecret,
      accessToken: tokens.currentAccessToken(),
      refreshToken: tokens.currentRefreshToken(),
      instanceUrl: base,
      loginUrl: base,
      apiVersion: SALESFORCE_SANDBOX_API_VERSION,
      organizationId: org.organizationId,
      integrationUserId: org.integrationUserId,
      username: org.username,
      adminUserId: org.adminUserId,
      permissionSetId: org.permissionSetId,
      identityUrl: `${base}/id/${org.organizationId}/${org.integrationUserId}`,
      tokenTtlSeconds: tokens.ttlSeconds,
    };
  };

  mountSalesforceOAuth(router, org, tokens);
  mountSalesforceQuery(router, ctx, cursors);
  mountSalesforceTooling(router, ctx);
  mountSalesforceSObjects(router, ctx);
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
  router.add(
    'GET',
    '/services/data/:version/limits',
    salesforceApi(ctx, () => ({
      status: 200,
      body: { DailyApiRequests: { Max: usage.limit, Remaining: Math.max(0, usage.limit - usage.used) } },
    })),
  );
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_discoveryresource.htm
  router.add(
    'GET',
    '/services/data/:version',
    salesforceApi(ctx, (req, actor) => {
      const base = `/services/data/${req.params.version}`;
      return {
        status: 200,
        body: {
          tooling: `${base}/tooling`,
          query: `${base}/query`,
          queryAll: `${base}/queryAll`,
          sobjects: `${base}/sobjects`,
          composite: `${base}/composite`,
          limits: `${base}/limits`,
          identity: `${req.baseUrl}/id/${org.organizationId}/${actor.userId}`,
        },
      };
    }),
  );
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_versions.htm
  router.add('GET', '/services/data', () => ({
    status: 200,
    body: ['58.0', '59.0', '60.0', '61.0', '62.0'].map((version) => ({ label: 'Sandbox', url: `/services/data/v${version}`, version })),
  }));
  mountRecordViewer(router, salesforceRecordViewerSource(store));
  mountSalesforceControl(control, {
    store,
    tokens,
    usage,
    outbound,
    writeLog,
    adminUserId: org.adminUserId,
    rights,
    credentials,
    seed,
  });

  const server = new SandboxServer({
    vendor: salesforceVendorBehaviour(usage),
    router,
    control,
    onReset: resetOrg,
    extraStats: () => ({
      records: Object.fromEntries(['Lead', 'Case'].map((name) => [name, store.table(name)?.liveCount() ?? 0])),
      deleted: Object.fromEntries(['Lead', 'Case'].map((name) => [name, store.table(name)?.deletedAt.size ?? 0])),
      apiUsage: { used: usage.used, limit: usage.limit },
      writes: writeLog.size,
    }),
  });
  resetOrg();

  return {
    vendor: 'salesforce',
    server,
    start: (port: number, host?: string) => server.listen(port, host),
    stop: async () => {
      outbound.stop();
      await server.close();
    },
    seed: (data: DemoDataSet) => seed(data),
    credentials,
  };
}
