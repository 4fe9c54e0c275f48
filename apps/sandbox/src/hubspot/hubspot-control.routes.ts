/**
 * The HubSpot sandbox's control API under /__sandbox/ (stats, faults and reset come from the shared
 * SandboxServer): credentials, seeding, record inspection and "CRM user" edits, webhook target and
 * firing, the write log, token expiry and the rate-limit settings. Bad input answers 400 with every
 * problem listed and changes nothing.
 */
import { generateDemoData } from '../data/demo-data.generator';
import type { DemoDataSet, DemoLead, DemoTicket } from '../data/demo-data.types';
import { parseJson, type SandboxRequest, type SandboxResponse, type SandboxRouter } from '../common/sandbox-http';
import type { SandboxWriteLog } from '../common/sandbox-write-log';
import type { HubSpotTokenStore } from './hubspot-oauth';
import type { HubSpotRateLimiter } from './hubspot-rate-limit';
import { serializeHubSpotRecordInFull } from './hubspot-record.serializer';
import { resolveHubSpotObjectType, type HubSpotChangeSource, type HubSpotObjectType } from './hubspot-sandbox.types';
import type { HubSpotObjectStore } from './hubspot-store';
import type { HubSpotWebhookDispatcher, HubSpotWebhookTamper } from './hubspot-webhooks';

export interface HubSpotControlDeps {
  stores: Record<HubSpotObjectType, HubSpotObjectStore>;
  tokens: HubSpotTokenStore;
  limiter: HubSpotRateLimiter;
  webhooks: HubSpotWebhookDispatcher;
  writeLog: SandboxWriteLog;
  credentials(): Record<string, unknown>;
  seed(data: DemoDataSet): Record<string, number>;
}

/** A person editing in the HubSpot UI: what a "real" change that Fieldcast did not make looks like. */
export const HUBSPOT_CRM_USER_SOURCE: HubSpotChangeSource = { changeSource: 'CRM_UI', sourceId: 'userId:2002' };

function bad(problems: string[] | string): SandboxResponse {
  return { status: 400, body: { error: 'invalid request', problems: Array.isArray(problems) ? problems : [problems] } };
}

function bodyOf(req: SandboxRequest): Record<string, unknown> | SandboxResponse {
  try {
    const body = parseJson<unknown>(req.rawBody) ?? {};
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
    return bad('the body must be a JSON object');
  } catch (error) {
    return bad(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

function isResponse(value: unknown): value is SandboxResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    typeof (value as { status: unknown }).status === 'number' &&
    'body' in value
  );
}

function sourceFrom(body: Record<string, unknown>): HubSpotChangeSource {
  return {
    changeSource: typeof body.changeSource === 'string' ? body.changeSource : HUBSPOT_CRM_USER_SOURCE.changeSource,
    sourceId: typeof body.sourceId === 'string' ? body.sourceId : HUBSPOT_CRM_USER_SOURCE.sourceId,
  };
}

/** Checks a posted DemoDataSet just enough that mapping cannot fail half-way. */
function checkDataSet(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const leads = body.leads as unknown[];
  const tickets = body.tickets as unknown[];
  if (!Array.isArray(leads)) problems.push('leads: expected an array of DemoLead (or a number with tickets and seed to generate)');
  if (!Array.isArray(tickets)) problems.push('tickets: expected an array of DemoTicket');
  if (problems.length) return problems;
  leads.slice(0, 100_000).forEach((l, i) => {
    const lead = l as Partial<DemoLead>;
    if (problems.length >= 10) return;
    for (const key of ['email', 'firstName', 'lastName', 'company', 'createdAt', 'lifecycleStage'] as const)
      if (typeof lead?.[key] !== 'string') problems.push(`leads[${i}].${key}: expected a string`);
    if (typeof lead?.createdAt === 'string' && Number.isNaN(Date.parse(lead.createdAt))) problems.push(`leads[${i}].createdAt: not a date`);
  });
  tickets.slice(0, 100_000).forEach((t, i) => {
    const ticket = t as Partial<DemoTicket>;
    if (problems.length >= 10) return;
    for (const key of ['subject', 'description', 'priority', 'initialPriority', 'status', 'channel', 'createdAt', 'updatedAt'] as const)
      if (typeof ticket?.[key] !== 'string') problems.push(`tickets[${i}].${key}: expected a string`);
  });
  return problems;
}

export function mountHubSpotControl(router: SandboxRouter, deps: HubSpotControlDeps): void {
  const { stores } = deps;
  const storeFor = (raw: string | undefined): HubSpotObjectStore | SandboxResponse => {
    const type = resolveHubSpotObjectType(raw ?? '');
    return type ? stores[type] : { status: 404, body: { error: `unknown object ${JSON.stringify(raw)}; use contacts, deals or tickets` } };
  };

  router.add('GET', '/__sandbox/credentials', () => ({ status: 200, body: deps.credentials() }));

  router.add('POST', '/__sandbox/seed', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    let data: DemoDataSet;
    if (typeof body.leads === 'number' || typeof body.tickets === 'number') {
      try {
        data = generateDemoData({
          leads: body.leads as number,
          tickets: (body.tickets ?? 0) as number,
          seed: (body.seed ?? 42) as number,
          ...(typeof body.referenceTime === 'string' ? { referenceTime: body.referenceTime } : {}),
        });
      } catch (error) {
        return bad((error as Error).message);
      }
    } else {
      const problems = checkDataSet(body);
      if (problems.length) return bad(problems);
      data = body as unknown as DemoDataSet;
    }
    const started = Date.now();
    const seeded = deps.seed(data);
    return { status: 200, body: { seeded, ms: Date.now() - started } };
  });

  router.add('GET', '/__sandbox/records/:object/:id', (req) => {
    const store = storeFor(req.params.object);
    if (isResponse(store)) return store;
    const record = store.get(req.params.id!);
    if (!record) return { status: 404, body: { error: `no ${store.objectType} record with id ${req.params.id}` } };
    return { status: 200, body: serializeHubSpotRecordInFull(store, record) };
  });

  // A CRM user (or another integration, via changeSource/sourceId) edits a record: bumps the modified date and fires webhooks.
  router.add('PATCH', '/__sandbox/records/:object/:id', (req) => {
    const store = storeFor(req.params.object);
    if (isResponse(store)) return store;
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    if (typeof body.properties !== 'object' || body.properties === null) return bad('properties: expected an object of name → value');
    const outcome = store.update(req.params.id!, body.properties as Record<string, unknown>, sourceFrom(body), Date.now());
    if (!outcome.ok) {
      return outcome.reason === 'not-found'
        ? { status: 404, body: { error: `no live ${store.objectType} record with id ${req.params.id}` } }
        : bad(outcome.problems.map((p) => `${p.name}: ${p.message}`));
    }
    return { status: 200, body: serializeHubSpotRecordInFull(store, outcome.record) };
  });

  router.add('POST', '/__sandbox/records/:object', (req) => {
    const store = storeFor(req.params.object);
    if (isResponse(store)) return store;
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const outcome = store.create((body.properties ?? {}) as Record<string, unknown>, sourceFrom(body), Date.now());
    if (!outcome.ok) return bad(outcome.reason === 'invalid' ? outcome.problems.map((p) => `${p.name}: ${p.message}`) : 'could not create');
    return { status: 201, body: serializeHubSpotRecordInFull(store, outcome.record) };
  });

  router.add('DELETE', '/__sandbox/records/:object/:id', (req) => {
    const store = storeFor(req.params.object);
    if (isResponse(store)) return store;
    const archived = store.archive(req.params.id!, HUBSPOT_CRM_USER_SOURCE, Date.now());
    return archived
      ? { status: 200, body: { archived: true } }
      : { status: 404, body: { error: `no live ${store.objectType} record with id ${req.params.id}` } };
  });

  /**
   * Bulk activity for sync tests: bumps the modified date of the given ids (or the first `count` live
   * records) to one shared millisecond, optionally setting properties as a CRM user would.
   */
  router.add('POST', '/__sandbox/records/:object/touch', (req) => {
    const store = storeFor(req.params.object);
    if (isResponse(store)) return store;
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const problems: string[] = [];
    if (body.ids !== undefined && (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string')))
      problems.push('ids: expected an array of id strings');
    if (body.count !== undefined && (typeof body.count !== 'number' || !Number.isInteger(body.count) || body.count < 0))
      problems.push('count: expected a whole number >= 0');
    if (body.ids === undefined && body.count === undefined) problems.push('give ids (array) or count (number)');
    let at = Date.now();
    if (body.at !== undefined) {
      const parsed = typeof body.at === 'number' ? body.at : typeof body.at === 'string' ? Date.parse(body.at) : NaN;
      if (Number.isNaN(parsed)) problems.push('at: expected epoch ms or an ISO date');
      else at = parsed;
    }
    if (body.properties !== undefined && (typeof body.properties !== 'object' || body.properties === null))
      problems.push('properties: expected an object');
    if (problems.length) return bad(problems);
    const ids = Array.isArray(body.ids)
      ? (body.ids as string[])
      : store
          .all()
          .filter((r) => !r.archived)
          .slice(0, body.count as number)
          .map((r) => r.id);
    let touched = 0;
    const source = sourceFrom(body);
    for (const id of ids) {
      if (body.properties) {
        const outcome = store.update(id, body.properties as Record<string, unknown>, source, at);
        if (!outcome.ok && outcome.reason === 'invalid') return bad(outcome.problems.map((p) => `${p.name}: ${p.message}`));
        if (outcome.ok) touched += 1;
      } else if (store.touch(id, at)) touched += 1;
    }
    return { status: 200, body: { touched, modstamp: new Date(at).toISOString(), ids } };
  });

  router.add('GET', '/__sandbox/webhooks', () => ({ status: 200, body: deps.webhooks.report() }));
  router.add('POST', '/__sandbox/webhooks', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const problems = deps.webhooks.configure(body);
    return problems.length ? bad(problems) : { status: 200, body: deps.webhooks.config };
  });

  /**
   * Sends events now: `{events:[partial events]}` or one event's fields at the top level; `tamper`
   * ("signature" or "stale-timestamp") sends a forged or stale request for verification tests.
   */
  router.add('POST', '/__sandbox/webhooks/fire', async (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const tamper = (body.tamper ?? 'none') as HubSpotWebhookTamper;
    if (!['none', 'signature', 'stale-timestamp'].includes(tamper)) return bad('tamper: expected none, signature or stale-timestamp');
    const rawEvents = Array.isArray(body.events) ? body.events : [Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'tamper'))];
    if (rawEvents.some((e) => typeof e !== 'object' || e === null)) return bad('events: expected an array of objects');
    if (rawEvents.length > 100) return bad('events: HubSpot sends at most 100 events per request');
    const events = rawEvents.map((e) => deps.webhooks.complete(e as Record<string, unknown>));
    const result = await deps.webhooks.fireNow(events, tamper);
    return {
      status: result.status === null && result.error?.startsWith('no webhook target') ? 409 : 200,
      body: { events, response: result },
    };
  });

  router.add('POST', '/__sandbox/webhooks/flush', async () => {
    await deps.webhooks.flush();
    return { status: 200, body: deps.webhooks.report() };
  });

  router.add('GET', '/__sandbox/writes', (req) => {
    const object = req.query.get('object') ?? undefined;
    const sinceSeq = req.query.get('sinceSeq');
    const writes = deps.writeLog.list({ object, sinceSeq: sinceSeq ? Number(sinceSeq) : undefined });
    return { status: 200, body: { total: deps.writeLog.size, writes } };
  });

  router.add('POST', '/__sandbox/tokens', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const problems: string[] = [];
    if (body.ttlSeconds !== undefined && (typeof body.ttlSeconds !== 'number' || !Number.isInteger(body.ttlSeconds) || body.ttlSeconds < 1))
      problems.push('ttlSeconds: expected a whole number >= 1');
    if (body.expireAll !== undefined && typeof body.expireAll !== 'boolean') problems.push('expireAll: expected true or false');
    if (body.scopes !== undefined && (!Array.isArray(body.scopes) || body.scopes.some((s) => typeof s !== 'string')))
      problems.push('scopes: expected an array of scope names, e.g. ["crm.objects.contacts.read"]');
    for (const key of Object.keys(body))
      if (!['ttlSeconds', 'expireAll', 'scopes'].includes(key))
        problems.push(`${key}: unknown setting (known: ttlSeconds, expireAll, scopes)`);
    if (problems.length) return bad(problems);
    if (typeof body.ttlSeconds === 'number') deps.tokens.ttlSeconds = body.ttlSeconds;
    // Scopes the app holds in this portal, for every token: taking some away is how a missing permission looks.
    if (Array.isArray(body.scopes)) deps.tokens.scopes = body.scopes as string[];
    const expired = body.expireAll === true ? deps.tokens.expireAll() : 0;
    return { status: 200, body: { ttlSeconds: deps.tokens.ttlSeconds, expired, scopes: deps.tokens.scopes } };
  });

  /** Search-index lag: `{lagMs, ids?}` — writes (to `ids` only, when given) reach search lagMs later. */
  router.add('POST', '/__sandbox/search-index', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const problems: string[] = [];
    if (typeof body.lagMs !== 'number' || !Number.isInteger(body.lagMs) || body.lagMs < 0)
      problems.push('lagMs: expected a whole number of milliseconds >= 0');
    if (body.ids !== undefined && (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string')))
      problems.push('ids: expected an array of record ids');
    for (const key of Object.keys(body)) if (key !== 'lagMs' && key !== 'ids') problems.push(`${key}: unknown setting (known: lagMs, ids)`);
    if (problems.length) return bad(problems);
    const ids = Array.isArray(body.ids) ? new Set(body.ids as string[]) : null;
    for (const store of Object.values(stores)) store.searchIndexLag = { lagMs: body.lagMs as number, ids };
    return { status: 200, body: { lagMs: body.lagMs, ids: ids ? [...ids] : null } };
  });

  router.add('GET', '/__sandbox/rate-limit', () => ({ status: 200, body: deps.limiter.settings }));
  router.add('POST', '/__sandbox/rate-limit', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const problems = deps.limiter.configure(body);
    return problems.length ? bad(problems) : { status: 200, body: deps.limiter.settings };
  });
}
