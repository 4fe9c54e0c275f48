/**
 * Tickets: list (cursor and offset pagination), show, show_many, create, update, delete, audits.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/
 * https://developer.zendesk.com/api-reference/introduction/pagination/
 */
import type { SandboxRequest, SandboxResponse } from '../common/sandbox-http';
import type { ZendeskApi, ZendeskCallContext } from './zendesk-api';
import { parseZendeskBody, zendeskBadRequest, zendeskJson, zendeskRecordInvalid, zendeskRecordNotFound } from './zendesk-errors';
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskTicketService, ZendeskWriteOutcome } from './zendesk-ticket.service';
import { renderZendeskTicket, zendeskCustomFieldIds, zendeskDemoHistory } from './zendesk-ticket.mapper';
import type { ZendeskTicketRecord } from './zendesk.types';

const MAX_PAGE_SIZE = 100;

function listCursor(id: number): string {
  return Buffer.from(`ticket:${id}`).toString('base64url');
}

function readListCursor(raw: string): number | undefined {
  const m = /^ticket:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

function pageSizeParam(request: SandboxRequest, name: string): number | SandboxResponse {
  const raw = request.query.get(name);
  if (raw === null) return MAX_PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    return zendeskBadRequest('InvalidPaginationParameter', `${name} must be a whole number from 1 to 100, got ${raw}`);
  return Math.min(n, MAX_PAGE_SIZE);
}

export function ticketIdParam(request: SandboxRequest): number | undefined {
  const id = Number(request.params.id);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export function zendeskWriteFailure(outcome: Extract<ZendeskWriteOutcome, { ok: false }>): SandboxResponse {
  if (outcome.httpStatus === 404) return zendeskRecordNotFound();
  return zendeskRecordInvalid(outcome.attribute, outcome.details);
}

export function mountZendeskTicketRoutes(api: ZendeskApi, store: ZendeskStore, tickets: ZendeskTicketService): void {
  const render = (t: ZendeskTicketRecord, ctx: ZendeskCallContext, ids?: number[]) => renderZendeskTicket(t, store, ctx.baseUrl, ids);

  api.add(
    'GET',
    '/api/v2/tickets{.json}',
    (request, ctx) => {
      const ids = zendeskCustomFieldIds(store);
      const cursorMode = request.query.has('page[size]') || request.query.has('page[after]') || request.query.has('page[before]');
      if (!cursorMode) return offsetPage(request, ctx, ids);
      const size = pageSizeParam(request, 'page[size]');
      if (typeof size !== 'number') return size;
      const afterRaw = request.query.get('page[after]');
      let start = 0;
      if (afterRaw) {
        const afterId = readListCursor(afterRaw);
        if (afterId === undefined) return zendeskBadRequest('InvalidPaginationParameter', 'page[after] is not a cursor this API returned');
        start = store.ticketIndexAfter(afterId);
      }
      const page: ZendeskTicketRecord[] = [];
      let i = start;
      for (; i < store.ticketIds.length && page.length < size; i++) {
        const t = store.tickets.get(store.ticketIds[i]!);
        if (t && t.status !== 'deleted') page.push(t);
      }
      let hasMore = false;
      for (let j = i; j < store.ticketIds.length; j++) {
        const t = store.tickets.get(store.ticketIds[j]!);
        if (t && t.status !== 'deleted') {
          hasMore = true;
          break;
        }
      }
      const first = page[0];
      const last = page[page.length - 1];
      const after = last ? listCursor(last.id) : null;
      const base = `${ctx.baseUrl}/api/v2/tickets.json`;
      return zendeskJson(200, {
        tickets: page.map((t) => render(t, ctx, ids)),
        meta: { has_more: hasMore, after_cursor: after, before_cursor: first ? listCursor(first.id - 1) : null },
        links: {
          next: hasMore && after ? `${base}?page%5Bafter%5D=${after}&page%5Bsize%5D=${size}` : null,
          prev: first && start > 0 ? `${base}?page%5Bbefore%5D=${listCursor(first.id)}&page%5Bsize%5D=${size}` : null,
        },
      });
    },
    { list: true, ticketsIndex: true },
  );

  function offsetPage(request: SandboxRequest, ctx: ZendeskCallContext, ids: number[]): SandboxResponse {
    const perPage = pageSizeParam(request, 'per_page');
    if (typeof perPage !== 'number') return perPage;
    const pageNumber = Math.max(1, Number(request.query.get('page') ?? '1') || 1);
    const live = store.ticketIds.map((id) => store.tickets.get(id)!).filter((t) => t.status !== 'deleted');
    const slice = live.slice((pageNumber - 1) * perPage, pageNumber * perPage);
    const base = `${ctx.baseUrl}/api/v2/tickets.json`;
    return zendeskJson(200, {
      tickets: slice.map((t) => render(t, ctx, ids)),
      next_page: pageNumber * perPage < live.length ? `${base}?page=${pageNumber + 1}&per_page=${perPage}` : null,
      previous_page: pageNumber > 1 ? `${base}?page=${pageNumber - 1}&per_page=${perPage}` : null,
      count: live.length,
    });
  }

  api.add('GET', '/api/v2/tickets/show_many{.json}', (request, ctx) => {
    const raw = request.query.get('ids') ?? '';
    const wanted = raw.split(',').filter(Boolean).map(Number);
    if (wanted.length === 0 || wanted.some((n) => !Number.isSafeInteger(n)))
      return zendeskBadRequest('InvalidValue', `ids must be a comma-separated list of ticket ids, got ${JSON.stringify(raw)}`);
    if (wanted.length > MAX_PAGE_SIZE)
      return zendeskBadRequest('InvalidValue', `ids: at most ${MAX_PAGE_SIZE} ids per request, got ${wanted.length}`);
    const ids = zendeskCustomFieldIds(store);
    const found = wanted.map((id) => store.tickets.get(id)).filter((t): t is ZendeskTicketRecord => !!t && t.status !== 'deleted');
    return zendeskJson(200, { tickets: found.map((t) => render(t, ctx, ids)) });
  });

  api.add('POST', '/api/v2/tickets{.json}', (request, ctx) => {
    const parsed = parseZendeskBody(request.rawBody);
    if (!parsed.ok) return parsed.response;
    const draft = parsed.body.ticket;
    if (!draft || typeof draft !== 'object')
      return zendeskBadRequest('InvalidValue', 'Expected a body like {"ticket": {"subject": "...", "comment": {"body": "..."}}}');
    const outcome = tickets.create(draft as Record<string, unknown>, ctx.actor);
    if (!outcome.ok) return zendeskWriteFailure(outcome);
    const audit = outcome.ticket.audits[outcome.ticket.audits.length - 1];
    return zendeskJson(
      201,
      { ticket: render(outcome.ticket, ctx), audit },
      { Location: `${ctx.baseUrl}/api/v2/tickets/${outcome.ticket.id}.json` },
    );
  });

  api.add('GET', '/api/v2/tickets/:id/audits{.json}', (request) => {
    const id = ticketIdParam(request);
    const ticket = id === undefined ? undefined : store.tickets.get(id);
    if (!ticket || ticket.status === 'deleted') return zendeskRecordNotFound();
    const audits = [...zendeskDemoHistory(ticket), ...ticket.audits];
    return zendeskJson(200, { audits, next_page: null, previous_page: null, count: audits.length });
  });

  api.add('GET', '/api/v2/tickets/:id{.json}', (request, ctx) => {
    const id = ticketIdParam(request);
    const ticket = id === undefined ? undefined : store.tickets.get(id);
    if (!ticket || ticket.status === 'deleted') return zendeskRecordNotFound();
    return zendeskJson(200, { ticket: render(ticket, ctx) });
  });

  api.add('PUT', '/api/v2/tickets/:id{.json}', (request, ctx) => {
    const id = ticketIdParam(request);
    if (id === undefined) return zendeskRecordNotFound();
    const parsed = parseZendeskBody(request.rawBody);
    if (!parsed.ok) return parsed.response;
    const changes = parsed.body.ticket;
    if (!changes || typeof changes !== 'object' || Array.isArray(changes))
      return zendeskBadRequest('InvalidValue', 'Expected a body like {"ticket": {"priority": "high"}}');
    const outcome = tickets.update(id, changes as Record<string, unknown>, ctx.actor);
    if (!outcome.ok) return zendeskWriteFailure(outcome);
    const audit = outcome.auditId === null ? undefined : outcome.ticket.audits.find((a) => a.id === outcome.auditId);
    return zendeskJson(200, { ticket: render(outcome.ticket, ctx), ...(audit ? { audit } : {}) });
  });

  api.add('DELETE', '/api/v2/tickets/:id{.json}', (request, ctx) => {
    const id = ticketIdParam(request);
    if (id === undefined || !tickets.softDelete(id, ctx.actor)) return zendeskRecordNotFound();
    return { status: 204 };
  });
}
