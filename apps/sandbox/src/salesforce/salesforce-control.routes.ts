/**
 * The sandbox's own control API under /__sandbox/ (not part of Salesforce): credentials, seeding,
 * admin-side record edits (to play "a CRM user changed this"), bulk touches sharing one SystemModstamp,
 * outbound-message registration and firing, the write log, token expiry and the daily API limit.
 */
import type { SandboxRequest, SandboxResponse, SandboxRouter } from '../common/sandbox-http';
import { generateDemoData } from '../data/demo-data.generator';
import type { DemoDataOptions, DemoDataSet } from '../data/demo-data.types';
import type { SalesforceApiUsage, SalesforceIntegrationRights } from './salesforce-api';
import { normalizeSalesforceId } from './salesforce-ids';
import type { SalesforceOutboundMessenger } from './salesforce-outbound';
import type { SalesforceTokenStore } from './salesforce-oauth';
import type { SalesforceActor, SalesforceStore, SalesforceTable } from './salesforce-store';
import type { SandboxWriteLog } from '../common/sandbox-write-log';

export interface SalesforceControlDeps {
  store: SalesforceStore;
  tokens: SalesforceTokenStore;
  usage: SalesforceApiUsage;
  outbound: SalesforceOutboundMessenger;
  writeLog: SandboxWriteLog;
  adminUserId: string;
  rights: SalesforceIntegrationRights;
  credentials(): Record<string, unknown>;
  seed(data: DemoDataSet, options: { modstamp: 'shared' | 'spread' }): void;
}

function problem(status: number, error: string, details?: unknown): SandboxResponse {
  return { status, body: details === undefined ? { error } : { error, details } };
}

function body(request: SandboxRequest): Record<string, unknown> | undefined {
  const text = request.rawBody.toString('utf8').trim();
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const BAD_JSON = problem(400, 'the body must be a JSON object');

export function mountSalesforceControl(control: SandboxRouter, deps: SalesforceControlDeps): void {
  const { store } = deps;
  const admin: SalesforceActor = { userId: deps.adminUserId, enforceFieldSecurity: false };
  const tableOf = (request: SandboxRequest): SalesforceTable | undefined => store.table(request.params.object);
  const unknownObject = (request: SandboxRequest) =>
    problem(
      404,
      `unknown object '${request.params.object}' (known: ${store
        .allTables()
        .map((t) => t.name)
        .join(', ')})`,
    );

  control.add('GET', '/__sandbox/credentials', () => ({ status: 200, body: deps.credentials() }));

  control.add('POST', '/__sandbox/seed', (req) => {
    const b = body(req);
    if (!b) return BAD_JSON;
    const modstamp = b.modstamp === 'spread' ? 'spread' : 'shared';
    if (Array.isArray(b.leads) || Array.isArray(b.tickets)) {
      const data = { leads: (b.leads as DemoDataSet['leads']) ?? [], tickets: (b.tickets as DemoDataSet['tickets']) ?? [] };
      deps.seed(data, { modstamp });
      return { status: 200, body: { seeded: { Lead: data.leads.length, Case: data.tickets.length }, modstamp } };
    }
    const counts = { leads: b.leads ?? 0, tickets: b.tickets ?? 0, seed: b.seed ?? 1 };
    const bad = Object.entries(counts).filter(([, v]) => typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1_000_000);
    if (bad.length) {
      return problem(
        400,
        `expected a DemoDataSet {leads:[...], tickets:[...]} or counts {leads:n, tickets:n, seed:s} with integers 0..1000000; bad: ${bad.map(([k]) => k).join(', ')}`,
      );
    }
    const started = Date.now();
    const data = generateDemoData(counts as DemoDataOptions);
    deps.seed(data, { modstamp });
    return { status: 200, body: { seeded: { Lead: data.leads.length, Case: data.tickets.length }, modstamp, ms: Date.now() - started } };
  });

  control.add('GET', '/__sandbox/records/:object/:id', (req) => {
    const table = tableOf(req);
    if (!table) return unknownObject(req);
    const id = normalizeSalesforceId(req.params.id);
    const record = id ? table.get(id) : undefined;
    return record ? { status: 200, body: record } : problem(404, `${table.name} ${req.params.id} does not exist`);
  });

  control.add('POST', '/__sandbox/records/:object', (req) => {
    const table = tableOf(req);
    const b = body(req);
    if (!table) return unknownObject(req);
    if (!b) return BAD_JSON;
    const result = store.validateCreate(table, b, admin);
    if (!result.ok) return problem(400, 'invalid record', result.errors);
    return { status: 201, body: store.insert(table, result.changes, admin.userId) };
  });

  control.add('PATCH', '/__sandbox/records/:object/:id', (req) => {
    const table = tableOf(req);
    const b = body(req);
    if (!table) return unknownObject(req);
    if (!b) return BAD_JSON;
    const result = store.validateUpdate(table, req.params.id, b, admin);
    if (!result.ok) return problem(400, 'invalid update', result.errors);
    store.applyUpdates(table, [{ id: result.id, changes: result.changes }], admin.userId);
    return { status: 200, body: table.get(result.id) };
  });

  control.add('DELETE', '/__sandbox/records/:object/:id', (req) => {
    const table = tableOf(req);
    if (!table) return unknownObject(req);
    const id = normalizeSalesforceId(req.params.id);
    if (!id || !table.get(id)) return problem(404, `${table.name} ${req.params.id} does not exist`);
    store.softDelete(table, id, admin.userId);
    return { status: 200, body: { deleted: id } };
  });

  // A mass edit by an admin (Data Loader, a flow): every touched record gets one shared SystemModstamp.
  control.add('POST', '/__sandbox/records/:object/touch', (req) => {
    const table = tableOf(req);
    const b = body(req);
    if (!table) return unknownObject(req);
    if (!b) return BAD_JSON;
    const fields = (b.fields ?? {}) as Record<string, unknown>;
    let ids: string[];
    if (Array.isArray(b.ids)) ids = b.ids.map(String);
    else if (typeof b.count === 'number' && b.count >= 0)
      ids = table.records
        .filter((r) => !r.IsDeleted)
        .slice(0, b.count)
        .map((r) => r.Id);
    else return problem(400, 'pass {ids:[...]} or {count:n}, optionally with {fields:{...}}');
    const updates: Array<{ id: string; changes: Record<string, unknown> }> = [];
    for (const id of ids) {
      const result = store.validateUpdate(table, id, fields, admin);
      if (!result.ok) return problem(400, `record ${id}: ${result.errors[0].message}`, result.errors);
      updates.push({ id: result.id, changes: result.changes });
    }
    const stamp = store.applyUpdates(table, updates, admin.userId);
    return { status: 200, body: { touched: updates.length, SystemModstamp: stamp } };
  });

  control.add('GET', '/__sandbox/writes', (req) => {
    const since = Number(req.query.get('sinceSeq') ?? 0);
    const writes = deps.writeLog.list({ object: req.query.get('object') ?? undefined, sinceSeq: Number.isFinite(since) ? since : 0 });
    return { status: 200, body: { total: deps.writeLog.size, writes } };
  });

  control.add('GET', '/__sandbox/outbound', () => ({ status: 200, body: deps.outbound.status() }));
  control.add('POST', '/__sandbox/outbound', (req) => {
    const b = body(req);
    if (!b) return BAD_JSON;
    const problems: string[] = [];
    let url: URL | undefined;
    try {
      url = new URL(String(b.url));
    } catch {
      problems.push('url: an absolute http(s) URL of the listener is required');
    }
    const objects = Array.isArray(b.objects) ? b.objects.map(String) : typeof b.object === 'string' ? [b.object] : ['Lead', 'Case'];
    for (const o of objects) if (!store.table(o)) problems.push(`object '${o}' is unknown`);
    if (b.fields !== undefined && !Array.isArray(b.fields)) problems.push('fields: expected an array of field names');
    for (const key of ['retryBaseMs', 'retryMaxMs', 'giveUpAfterMs'] as const) {
      if (b[key] !== undefined && (typeof b[key] !== 'number' || (b[key] as number) < 0))
        problems.push(`${key}: expected a number of milliseconds >= 0`);
    }
    if (problems.length) return problem(400, 'invalid outbound message registration', problems);
    for (const key of ['retryBaseMs', 'retryMaxMs', 'giveUpAfterMs'] as const)
      if (b[key] !== undefined) deps.outbound.settings[key] = b[key] as number;
    const endpoints = objects.map((o) => deps.outbound.register(url!.href, store.table(o)!.name, b.fields as string[] | undefined));
    return { status: 200, body: { endpoints, settings: deps.outbound.settings } };
  });
  control.add('DELETE', '/__sandbox/outbound', () => {
    deps.outbound.unregisterAll();
    return { status: 200, body: { endpoints: [] } };
  });

  control.add('POST', '/__sandbox/webhooks/fire', async (req) => {
    const b = body(req);
    if (!b) return BAD_JSON;
    const object = typeof b.object === 'string' ? store.table(b.object) : undefined;
    if (!object || !Array.isArray(b.ids)) return problem(400, 'expected {object: "Lead" | "Case", ids: [...]}');
    const queued = deps.outbound.enqueue(object.name, b.ids.map(String));
    if (!queued) return problem(409, `no outbound message endpoint watches ${object.name}; register one with POST /__sandbox/outbound`);
    const deliveries = await deps.outbound.flush();
    return { status: 200, body: { queued, deliveries } };
  });

  control.add('POST', '/__sandbox/tokens/expire', () => ({ status: 200, body: { expired: deps.tokens.expireAll() } }));
  control.add('POST', '/__sandbox/tokens', (req) => {
    const b = body(req);
    if (!b || typeof b.ttlSeconds !== 'number' || b.ttlSeconds <= 0) return problem(400, 'expected {ttlSeconds: number > 0}');
    deps.tokens.ttlSeconds = b.ttlSeconds;
    return { status: 200, body: { ttlSeconds: b.ttlSeconds } };
  });

  // Take system permissions away from the integration user to see field provisioning fail as in a locked-down org.
  control.add('GET', '/__sandbox/integration-user', () => ({ status: 200, body: deps.rights }));
  control.add('POST', '/__sandbox/integration-user', (req) => {
    const b = body(req);
    if (!b) return BAD_JSON;
    const problems = Object.entries(b)
      .filter(([k, v]) => !(k in deps.rights) || typeof v !== 'boolean')
      .map(([k]) => `${k}: expected customizeApplication or managePermissionSets with a boolean`);
    if (problems.length) return problem(400, 'invalid integration user rights', problems);
    Object.assign(deps.rights, b);
    return { status: 200, body: deps.rights };
  });

  control.add('GET', '/__sandbox/limits', () => ({ status: 200, body: { used: deps.usage.used, dailyApiLimit: deps.usage.limit } }));
  control.add('POST', '/__sandbox/limits', (req) => {
    const b = body(req);
    if (!b) return BAD_JSON;
    const problems: string[] = [];
    for (const key of ['dailyApiLimit', 'used'] as const) {
      if (b[key] !== undefined && (typeof b[key] !== 'number' || !Number.isInteger(b[key]) || (b[key] as number) < 0))
        problems.push(`${key}: expected an integer >= 0`);
    }
    if (problems.length) return problem(400, 'invalid limits', problems);
    if (b.dailyApiLimit !== undefined) deps.usage.limit = b.dailyApiLimit as number;
    if (b.used !== undefined) deps.usage.used = b.used as number;
    return { status: 200, body: { used: deps.usage.used, dailyApiLimit: deps.usage.limit } };
  });
}
