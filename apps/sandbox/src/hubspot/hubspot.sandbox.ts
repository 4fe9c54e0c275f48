/**
 * A local HubSpot (CRM v3, OAuth, properties, webhooks) that the real @hubspot/api-client talks to
 * unchanged: `new Client({ accessToken, basePath: sandbox.baseUrl })`. Wire shapes and quirks follow
 * vendor-apis.md §2 and the HubSpot checklist in §5; docs in apps/sandbox/docs/hubspot.md.
 */
import { mountRecordViewer } from '../common/record-viewer';
import { SandboxRouter, SandboxServer, type SandboxRequest, type SandboxResponse, type VendorBehaviour } from '../common/sandbox-http';
import { SandboxWriteLog } from '../common/sandbox-write-log';
import type { VendorSandbox, VendorSandboxOptions } from '../common/vendor-sandbox.types';
import type { DemoDataSet } from '../data/demo-data.types';
import { mountHubSpotControl } from './hubspot-control.routes';
import {
  hubSpotCategoryValue,
  hubSpotLifecycleHistory,
  mapDemoLeadToHubSpotContact,
  mapDemoLeadToHubSpotDeal,
  mapDemoTicketToHubSpotTicket,
} from './hubspot-demo.mapper';
import { hubSpotError, hubSpotRateLimited } from './hubspot-errors';
import { HUBSPOT_DEMO_APP, HubSpotTokenStore, mountHubSpotOAuth, type HubSpotCaller } from './hubspot-oauth';
import { mountHubSpotBatch } from './hubspot-batch.routes';
import { mountHubSpotObjects } from './hubspot-objects.routes';
import type { HubSpotGuard } from './hubspot-objects.shared';
import { hubSpotMissingScopes, hubSpotRequiredScope } from './hubspot-scopes';
import { HubSpotPropertyRegistry } from './hubspot-properties';
import { mountHubSpotProperties } from './hubspot-properties.routes';
import { HubSpotRateLimiter, type HubSpotRateLimitConfig } from './hubspot-rate-limit';
import { hubSpotRecordViewerSource } from './hubspot-record-viewer';
import { HUBSPOT_OBJECT_TYPES, resolveHubSpotObjectType, type HubSpotChangeSource, type HubSpotObjectType } from './hubspot-sandbox.types';
import { HubSpotSearchEngine } from './hubspot-search';
import { HubSpotObjectStore } from './hubspot-store';
import { HubSpotWebhookDispatcher } from './hubspot-webhooks';

export interface HubSpotSandboxOptions extends VendorSandboxOptions {
  /** Overrides of the default limits (100 calls / 10 s rolling, 5 searches / s); `{enabled:false}` for benchmarks. */
  rateLimit?: Partial<HubSpotRateLimitConfig>;
}

export interface HubSpotSandbox extends VendorSandbox {
  readonly vendor: 'hubspot';
  readonly stores: Record<HubSpotObjectType, HubSpotObjectStore>;
  readonly writeLog: SandboxWriteLog;
  readonly webhooks: HubSpotWebhookDispatcher;
  readonly limiter: HubSpotRateLimiter;
  readonly tokens: HubSpotTokenStore;
}

const DEFAULT_TOKEN_TTL_SECONDS = 1800;

function perType<T>(make: (type: HubSpotObjectType) => T): Record<HubSpotObjectType, T> {
  return Object.fromEntries(HUBSPOT_OBJECT_TYPES.map((t) => [t, make(t)])) as Record<HubSpotObjectType, T>;
}

export function createHubSpotSandbox(options: HubSpotSandboxOptions = {}): HubSpotSandbox {
  const app = HUBSPOT_DEMO_APP;
  const tokens = new HubSpotTokenStore(app, options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
  const limiter = new HubSpotRateLimiter(options.rateLimit);
  const registries = perType((t) => new HubSpotPropertyRegistry(t));
  const stores = perType((t) => new HubSpotObjectStore(t, registries[t]));
  const search = perType((t) => new HubSpotSearchEngine(stores[t]));
  const writeLog = new SandboxWriteLog();
  const webhooks = new HubSpotWebhookDispatcher(app, options.webhookTarget ?? null);
  for (const store of Object.values(stores)) store.onChange((change) => webhooks.onChange(change));
  stores.contacts.historySynthesizer = (record, name) =>
    name === 'lifecyclestage' && record.properties.lifecyclestage
      ? hubSpotLifecycleHistory(record.properties.lifecyclestage, record.createdAt, record.seededUpdatedAt)
      : undefined;

  // Who called, remembered per request so decorate() can tell OAuth callers (no Daily headers) from private apps.
  const callers = new WeakMap<SandboxRequest, HubSpotCaller>();

  const sourceOf = (caller: HubSpotCaller): HubSpotChangeSource =>
    caller.kind === 'oauth'
      ? { changeSource: 'INTEGRATION', sourceId: String(app.appId) }
      : { changeSource: 'API', sourceId: String(app.privateAppId) };

  const guard: HubSpotGuard =
    (guardOptions, handler) =>
    (request: SandboxRequest): SandboxResponse => {
      const caller = tokens.authenticate(request);
      if ('status' in caller) return caller;
      callers.set(request, caller);
      const type = resolveHubSpotObjectType(request.params.type ?? '');
      const scope = type && hubSpotRequiredScope(type, guardOptions.access);
      if (scope && !tokens.scopes.includes(scope)) return hubSpotMissingScopes(scope);
      const decision = limiter.tryAcquire({ search: guardOptions.search, daily: caller.kind === 'private' });
      if (!decision.ok) return hubSpotRateLimited(decision.policy, decision.retryAfterMs);
      return handler(request, sourceOf(caller));
    };

  const vendor: VendorBehaviour = {
    name: 'hubspot',
    rateLimited: (request, retryAfterSeconds) =>
      // Search answers with the secondly policy (the SDK retries its message after 1 s); everything else with the 10-second one.
      hubSpotRateLimited(request.path.endsWith('/search') ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING', retryAfterSeconds * 1000),
    serverError: (_request, status) => hubSpotError(status, 'INTERNAL_ERROR', 'internal error'),
    outage: () => hubSpotError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Please try again later.'),
    notFound: (request) =>
      hubSpotError(
        404,
        'OBJECT_NOT_FOUND',
        `No HubSpot API route for ${request.method} ${request.path} in this sandbox (see apps/sandbox/docs/hubspot.md).`,
      ),
    decorate: (request, response) => {
      if (!request.path.startsWith('/crm/')) return;
      const caller = callers.get(request);
      if (!caller) return;
      response.headers = { ...limiter.headers(caller.kind === 'private'), ...(response.headers ?? {}) };
    },
  };

  const router = new SandboxRouter();
  mountHubSpotOAuth(router, tokens);
  mountHubSpotProperties(router, { registries, guard });
  mountHubSpotObjects(router, { stores, search, writeLog, guard });
  mountHubSpotBatch(router, { stores, search, writeLog, guard });
  mountRecordViewer(router, hubSpotRecordViewerSource(stores));

  const seed = (data: DemoDataSet): Record<string, number> => {
    for (const store of Object.values(stores)) store.clear();
    const categories = new Map<string, string>();
    for (const lead of data.leads) {
      const contact = mapDemoLeadToHubSpotContact(lead);
      const record = stores.contacts.insertSeeded(contact.properties, contact.createdAt, contact.updatedAt, contact.history);
      const deal = mapDemoLeadToHubSpotDeal(lead, record.id);
      if (deal) stores.deals.insertSeeded(deal.properties, deal.createdAt, deal.updatedAt);
    }
    for (const ticket of data.tickets) {
      if (ticket.category) categories.set(hubSpotCategoryValue(ticket.category), ticket.category);
      const mapped = mapDemoTicketToHubSpotTicket(ticket);
      stores.tickets.insertSeeded(mapped.properties, mapped.createdAt, mapped.updatedAt, mapped.history);
    }
    registries.tickets.addOptions('hs_ticket_category', [...categories]);
    return { contacts: stores.contacts.size, deals: stores.deals.size, tickets: stores.tickets.size };
  };

  const control = new SandboxRouter();
  const server: SandboxServer = new SandboxServer({
    vendor,
    router,
    control,
    onReset: () => {
      for (const registry of Object.values(registries)) registry.reset();
      for (const store of Object.values(stores)) store.searchIndexLag = { lagMs: 0, ids: null };
      seed(options.data ?? { leads: [], tickets: [] });
      writeLog.clear();
      webhooks.reset();
      limiter.reset();
      tokens.reset();
    },
    extraStats: () => ({
      records: Object.fromEntries(Object.entries(stores).map(([t, s]) => [t, { live: s.size, archived: s.archivedSize }])),
      writes: writeLog.size,
      webhooks: webhooks.report().counters,
      rateLimit: limiter.settings,
    }),
  });

  const credentials = (): Record<string, unknown> => {
    const demo = tokens.demoTokens();
    return {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      accessToken: demo.accessToken,
      refreshToken: demo.refreshToken,
      expiresIn: demo.expiresIn,
      expiresAt: new Date(demo.expiresAt).toISOString(),
      basePath: server.baseUrl,
      authorizeUrl: `${server.baseUrl}/oauth/authorize`,
      tokenUrl: `${server.baseUrl}/oauth/v1/token`,
      scopes: tokens.scopes,
      portalId: app.portalId,
      hubId: app.portalId,
      appId: app.appId,
      userId: app.userId,
      webhookSigningSecret: app.clientSecret,
      privateAppToken: app.privateAppToken,
      privateAppId: app.privateAppId,
      webhookTarget: webhooks.config.targetUrl,
    };
  };

  mountHubSpotControl(control, {
    stores,
    tokens,
    limiter,
    webhooks,
    writeLog,
    credentials,
    seed,
  });

  if (options.data) seed(options.data);

  return {
    vendor: 'hubspot',
    server,
    stores,
    writeLog,
    webhooks,
    limiter,
    tokens,
    start: (port, host) => server.listen(port, host),
    stop: async () => {
      webhooks.stop();
      await server.close();
    },
    seed: (data) => void seed(data),
    credentials,
  };
}
