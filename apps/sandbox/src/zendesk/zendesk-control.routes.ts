/**
 * The Zendesk sandbox's control API under /__sandbox/ (stats, faults and reset come from the shared
 * server): credentials, seeding, raw records, webhook target / fire / deliveries, the write log,
 * settings (rate limits, export buffer, job speed, webhook retries), token expiry and changes made
 * as a human agent. Documented in apps/sandbox/docs/zendesk.md.
 */
import type { SandboxRequest, SandboxResponse, SandboxRouter } from '../common/sandbox-http';
import { generateDemoData } from '../data/demo-data.generator';
import type { DemoDataSet, DemoTicket } from '../data/demo-data.types';
import { renderZendeskGroup, renderZendeskOrganization, renderZendeskUser } from './zendesk-directory';
import { renderZendeskJob } from './zendesk-jobs';
import { updateZendeskSettings } from './zendesk-settings';
import { renderZendeskTicketField } from './zendesk-ticket-fields';
import { renderZendeskTicket, zendeskDemoHistory } from './zendesk-ticket.mapper';
import { buildZendeskTicketEvents, ZENDESK_EVENT_PREFIX, ZENDESK_TICKET_EVENT_TYPES } from './zendesk-webhook-events';
import { ZENDESK_DEFAULT_WEBHOOK_ID } from './zendesk-webhooks';
import { renderZendeskWebhook } from './zendesk-webhooks.routes';
import type { ZendeskSandbox } from './zendesk.sandbox';

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

function ok(body: unknown, status = 200): SandboxResponse {
  return { status, headers: JSON_TYPE, body };
}

function problem(status: number, message: string, fix?: string): SandboxResponse {
  return { status, headers: JSON_TYPE, body: { error: message, ...(fix ? { fix } : {}) } };
}

function jsonBody(request: SandboxRequest): { ok: true; body: Record<string, unknown> } | { ok: false; response: SandboxResponse } {
  if (request.rawBody.length === 0) return { ok: true, body: {} };
  try {
    const parsed: unknown = JSON.parse(request.rawBody.toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return { ok: false, response: problem(400, 'body must be a JSON object') };
    return { ok: true, body: parsed as Record<string, unknown> };
  } catch (error) {
    return { ok: false, response: problem(400, `body is not valid JSON: ${(error as Error).message}`) };
  }
}

const REQUIRED_TICKET_KEYS: Array<keyof DemoTicket> = [
  'key',
  'subject',
  'description',
  'requesterEmail',
  'priority',
  'status',
  'createdAt',
  'updatedAt',
];

/** Checks a posted DemoDataSet's tickets well enough that a bad one is refused before anything changes. */
function checkDataSet(body: Record<string, unknown>): DemoDataSet | string {
  const tickets = body.tickets as unknown[];
  for (const [i, t] of tickets.entries()) {
    if (!t || typeof t !== 'object') return `tickets[${i}] is not an object`;
    const ticket = t as Record<string, unknown>;
    for (const key of REQUIRED_TICKET_KEYS)
      if (typeof ticket[key] !== 'string')
        return `tickets[${i}].${key} must be a string (see DemoTicket in apps/sandbox/src/data/demo-data.types.ts)`;
    if (Number.isNaN(Date.parse(ticket.createdAt as string)))
      return `tickets[${i}].createdAt is not an ISO date-time: ${JSON.stringify(ticket.createdAt)}`;
    if (!Array.isArray(ticket.tags)) return `tickets[${i}].tags must be an array of strings`;
  }
  return { leads: Array.isArray(body.leads) ? (body.leads as DemoDataSet['leads']) : [], tickets: tickets as DemoTicket[] };
}

export function mountZendeskControlRoutes(control: SandboxRouter, sandbox: ZendeskSandbox): void {
  const store = sandbox.store;
  const base = (request: SandboxRequest) => (request.headers.host ? `http://${request.headers.host}` : request.baseUrl);

  control.add('GET', '/__sandbox/credentials', () => ok(sandbox.credentials()));

  control.add('POST', '/__sandbox/seed', (request) => {
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const started = Date.now();
    let data: DemoDataSet;
    if (Array.isArray(body.tickets)) {
      const checked = checkDataSet(body);
      if (typeof checked === 'string')
        return problem(400, `invalid DemoDataSet: ${checked}`, 'nothing was changed; fix the record and post again');
      data = checked;
    } else if (typeof body.tickets === 'number' || typeof body.leads === 'number') {
      try {
        data = generateDemoData({ leads: Number(body.leads ?? 0), tickets: Number(body.tickets ?? 0), seed: Number(body.seed ?? 42) });
      } catch (error) {
        return problem(400, (error as Error).message, 'send {"tickets": 1000, "seed": 42}');
      }
    } else {
      return problem(
        400,
        'expected a DemoDataSet ({"leads": [...], "tickets": [...]}) or generator options ({"tickets": 1000, "seed": 42})',
      );
    }
    sandbox.seed(data);
    return ok({
      seeded: { tickets: store.countLiveTickets(), users: store.users.size, organizations: store.organizations.size },
      ms: Date.now() - started,
    });
  });

  control.add('GET', '/__sandbox/records/:object/:id', (request) => {
    const { object = '', id = '' } = request.params;
    const url = base(request);
    switch (object) {
      case 'tickets': {
        const t = store.tickets.get(Number(id));
        if (!t) return problem(404, `no ticket ${id}`);
        return ok({ ticket: renderZendeskTicket(t, store, url), audits: [...zendeskDemoHistory(t), ...t.audits], version: t.version });
      }
      case 'users': {
        const u = store.users.get(Number(id));
        return u ? ok({ user: renderZendeskUser(u, url) }) : problem(404, `no user ${id}`);
      }
      case 'organizations': {
        const o = store.organizations.get(Number(id));
        return o ? ok({ organization: renderZendeskOrganization(o, url) }) : problem(404, `no organization ${id}`);
      }
      case 'groups': {
        const g = store.groups.get(Number(id));
        return g ? ok({ group: renderZendeskGroup(g, url) }) : problem(404, `no group ${id}`);
      }
      case 'ticket_fields': {
        const f = store.ticketFields.get(Number(id));
        return f ? ok({ ticket_field: renderZendeskTicketField(f, url) }) : problem(404, `no ticket field ${id}`);
      }
      case 'job_statuses': {
        const j = store.jobs.get(id);
        return j ? ok({ job_status: renderZendeskJob(j, url), work: j.work }) : problem(404, `no job status ${id}`);
      }
      case 'webhooks': {
        const w = store.webhooks.get(id);
        return w ? ok({ webhook: renderZendeskWebhook(w), signing_secret: w.signingSecret }) : problem(404, `no webhook ${id}`);
      }
      default:
        return problem(
          404,
          `unknown object ${object}`,
          'one of tickets, users, organizations, groups, ticket_fields, job_statuses, webhooks',
        );
    }
  });

  control.add('POST', '/__sandbox/webhooks/target', (request) => {
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    const { url, subscriptions } = parsed.body;
    if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url)))
      return problem(400, `url must be an http(s) URL or null, got ${JSON.stringify(url)}`);
    if (
      subscriptions !== undefined &&
      (!Array.isArray(subscriptions) || subscriptions.some((s) => typeof s !== 'string' || !s.startsWith(ZENDESK_EVENT_PREFIX)))
    )
      return problem(
        400,
        'subscriptions must be an array of "zen:event-type:..." strings',
        `known: ${ZENDESK_TICKET_EVENT_TYPES.join(', ')}`,
      );
    sandbox.setWebhookTarget(url as string | null, subscriptions as string[] | undefined);
    return ok({ webhook: renderZendeskWebhook(store.webhooks.get(ZENDESK_DEFAULT_WEBHOOK_ID)!) });
  });

  control.add('POST', '/__sandbox/webhooks/fire', async (request) => {
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    const { ticketId, type = 'ticket.created', test } = parsed.body;
    const ticket = store.tickets.get(Number(ticketId));
    if (!ticket) return problem(404, `no ticket ${JSON.stringify(ticketId ?? null)}`, 'send {"ticketId": 1}');
    const fullType = String(type).startsWith(ZENDESK_EVENT_PREFIX) ? String(type) : `${ZENDESK_EVENT_PREFIX}${String(type)}`;
    if (!ZENDESK_TICKET_EVENT_TYPES.includes(fullType))
      return problem(400, `unknown event type ${fullType}`, `known: ${ZENDESK_TICKET_EVENT_TYPES.join(', ')}`);
    const actorId = parsed.body.actorId === undefined ? ticket.requesterId : Number(parsed.body.actorId);
    if (!Number.isSafeInteger(actorId)) return problem(400, `actorId must be a user id, got ${JSON.stringify(parsed.body.actorId)}`);
    const actor = { userId: actorId, viaChannel: 'web' };
    const envelopes = buildZendeskTicketEvents(store, ticket, { created: true }, actor, Date.now()).map((e) => ({ ...e, type: fullType }));
    const deliveries = await sandbox.webhooks.fire(envelopes, { useTestSecret: test === true });
    if (deliveries.length === 0)
      return problem(
        409,
        'no active webhook with an endpoint subscribes to this event',
        'POST /__sandbox/webhooks/target {"url": "http://..."} first',
      );
    return ok({ deliveries });
  });

  control.add('GET', '/__sandbox/webhooks/deliveries', () => ok({ deliveries: sandbox.webhooks.deliveries }));

  control.add('GET', '/__sandbox/writes', (request) => {
    const sinceSeq = Number(request.query.get('sinceSeq') ?? 0) || undefined;
    const object = request.query.get('object') ?? undefined;
    return ok({ writes: sandbox.writes.list({ object, sinceSeq }) });
  });

  const settingsHandler = (request: SandboxRequest): SandboxResponse => {
    if (request.method === 'GET') return ok(sandbox.settings);
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    const { settings, problems } = updateZendeskSettings(sandbox.settings, parsed.body);
    if (problems.length) return { status: 400, headers: JSON_TYPE, body: { error: 'invalid settings; nothing was changed', problems } };
    sandbox.settings = settings;
    return ok(settings);
  };
  for (const path of ['/__sandbox/settings', '/__sandbox/rate-limit']) {
    control.add('GET', path, settingsHandler);
    control.add('POST', path, settingsHandler);
  }

  control.add('POST', '/__sandbox/oauth/expire', () => ok({ expired: sandbox.auth.expireAccessTokens() }));
  // The account's admin removes the app's access: every OAuth access and refresh token ends (API tokens stay).
  control.add('POST', '/__sandbox/oauth/revoke', () => ok({ revoked: sandbox.auth.revokeAll() }));

  control.add('POST', '/__sandbox/tickets/touch', (request) => {
    const parsed = jsonBody(request);
    if (!parsed.ok) return parsed.response;
    const { ids, first, changes } = parsed.body;
    if (!changes || typeof changes !== 'object' || Array.isArray(changes))
      return problem(400, 'changes must be an object of ticket attributes', 'e.g. {"first": 100, "changes": {"priority": "high"}}');
    let targets: number[];
    if (Array.isArray(ids) && ids.every((n) => Number.isSafeInteger(n))) targets = ids as number[];
    else if (typeof first === 'number' && first > 0)
      targets = store.ticketIds
        .filter((id) => store.tickets.get(id)?.status !== 'deleted' && store.tickets.get(id)?.status !== 'closed')
        .slice(0, first);
    else return problem(400, 'send ids (an array of ticket ids) or first (a count)');
    return ok(sandbox.touchAsHuman(targets, changes as Record<string, unknown>));
  });
}
