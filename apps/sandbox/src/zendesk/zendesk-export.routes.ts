/**
 * Incremental ticket export, cursor-based (and the older time-based variant).
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
 * Quirks reproduced: node-zendesk appends `page[size]=100` (ignored here) and sends `cursor=undefined`
 * (treated as absent); changes from the last minute are held back (exportBufferSeconds); deleted
 * tickets appear with status "deleted"; the stream ends with end_of_stream: true and an after_cursor
 * to resume from next time. Only admins may export (agents get 403).
 */
import type { SandboxRequest } from '../common/sandbox-http';
import type { ZendeskApi, ZendeskCallContext } from './zendesk-api';
import { zendeskBadRequest, zendeskForbidden, zendeskJson } from './zendesk-errors';
import type { ZendeskSettings } from './zendesk-settings';
import type { ZendeskLogEntry, ZendeskStore } from './zendesk-store';
import { renderZendeskTicket, zendeskCustomFieldIds } from './zendesk-ticket.mapper';
import type { ZendeskTicketRecord } from './zendesk.types';

const MAX_PER_PAGE = 1000;

/** Looks like Zendesk's (base64 of "<ts>.0||<id>|"), plus the log position and data-set epoch. */
export function encodeZendeskExportCursor(ts: number, ticketId: number, position: number, epoch: number): string {
  return Buffer.from(`${ts}.0||${ticketId}|${position}.${epoch}`).toString('base64');
}

function decodeCursor(raw: string, epoch: number): number | undefined {
  const text = Buffer.from(raw, 'base64').toString('utf8');
  const m = /^\d+\.0\|\|\d*\|(\d+)\.(\d+)$/.exec(text);
  if (!m || Number(m[2]) !== epoch) return undefined;
  return Number(m[1]);
}

function presentParam(request: SandboxRequest, name: string): string | undefined {
  const value = request.query.get(name);
  // node-zendesk's exportCursor(start) sends the literal text "undefined" for a missing argument.
  return value === null || value === '' || value === 'undefined' ? undefined : value;
}

interface ExportScan {
  tickets: ZendeskTicketRecord[];
  /** Log position after the last entry read. */
  next: number;
  endOfStream: boolean;
  lastEntry?: ZendeskLogEntry;
}

function scan(store: ZendeskStore, from: number, perPage: number, horizon: number, excludeDeleted: boolean): ExportScan {
  const tickets: ZendeskTicketRecord[] = [];
  const log = store.log;
  let i = from;
  let lastEntry: ZendeskLogEntry | undefined;
  const live = (e: ZendeskLogEntry) => {
    const t = store.tickets.get(e.ticketId);
    return t && t.version === e.version && !(excludeDeleted && t.status === 'deleted') ? t : undefined;
  };
  for (; i < log.length && tickets.length < perPage; i++) {
    const entry = log[i]!;
    if (entry.ts > horizon) break;
    const t = live(entry);
    if (t) {
      tickets.push(t);
      lastEntry = entry;
    }
  }
  let endOfStream = true;
  for (let j = i; j < log.length && log[j]!.ts <= horizon; j++) {
    if (live(log[j]!)) {
      endOfStream = false;
      break;
    }
  }
  return { tickets, next: i, endOfStream, lastEntry };
}

function exportForbidden() {
  return zendeskForbidden('Incremental exports are allowed for admins only. Give the API user the admin role.');
}

export function mountZendeskExportRoutes(api: ZendeskApi, store: ZendeskStore, settings: () => ZendeskSettings, clock: () => number): void {
  const perPageOf = (request: SandboxRequest): number | undefined => {
    const raw = request.query.get('per_page');
    if (raw === null) return settings().exportPageSize;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= MAX_PER_PAGE ? n : undefined;
  };
  const horizonOf = () => Math.floor(clock() / 1000) - settings().exportBufferSeconds;
  const startTimeProblem = (startTime: number) =>
    startTime > horizonOf()
      ? `Too recent start_time. Use a start_time older than ${settings().exportBufferSeconds} seconds (at most ${horizonOf()})`
      : undefined;
  const render = (tickets: ZendeskTicketRecord[], ctx: ZendeskCallContext) => {
    const ids = zendeskCustomFieldIds(store);
    return tickets.map((t) => renderZendeskTicket(t, store, ctx.baseUrl, ids));
  };

  api.add(
    'GET',
    '/api/v2/incremental/tickets/cursor{.json}',
    (request, ctx) => {
      if (ctx.caller.user.role !== 'admin') return exportForbidden();
      const perPage = perPageOf(request);
      if (perPage === undefined) return zendeskBadRequest('InvalidValue', `per_page must be a whole number from 1 to ${MAX_PER_PAGE}`);
      const cursor = presentParam(request, 'cursor');
      const startRaw = presentParam(request, 'start_time');
      let from: number;
      if (cursor !== undefined) {
        const position = decodeCursor(cursor, store.epoch);
        if (position === undefined || position > store.log.length)
          return zendeskBadRequest(
            'InvalidPaginationParameter',
            'cursor is invalid or from an earlier data set; restart the export with start_time',
          );
        from = position;
      } else {
        if (startRaw === undefined || !/^\d+$/.test(startRaw))
          return zendeskBadRequest(
            'InvalidValue',
            `start_time (epoch seconds) or cursor is required, got start_time=${JSON.stringify(startRaw ?? null)}`,
          );
        const problem = startTimeProblem(Number(startRaw));
        if (problem) return zendeskBadRequest('InvalidValue', problem);
        from = store.logIndexAtOrAfter(Number(startRaw));
      }
      const page = scan(store, from, perPage, horizonOf(), request.query.get('exclude_deleted') === 'true');
      const lastTs = page.lastEntry?.ts ?? (from > 0 ? store.log[from - 1]!.ts : 0);
      const after = encodeZendeskExportCursor(lastTs, page.lastEntry?.ticketId ?? 0, page.next, store.epoch);
      const before = cursor ?? null;
      const base = `${ctx.baseUrl}/api/v2/incremental/tickets/cursor.json`;
      return zendeskJson(200, {
        tickets: render(page.tickets, ctx),
        after_url: `${base}?cursor=${encodeURIComponent(after)}`,
        after_cursor: after,
        before_url: before ? `${base}?cursor=${encodeURIComponent(before)}` : null,
        before_cursor: before,
        end_of_stream: page.endOfStream,
      });
    },
    { rate: 'export' },
  );

  // Time-based export: pages overlap at end_time (duplicates are the client's problem, as on Zendesk).
  api.add(
    'GET',
    '/api/v2/incremental/tickets{.json}',
    (request, ctx) => {
      if (ctx.caller.user.role !== 'admin') return exportForbidden();
      const startRaw = presentParam(request, 'start_time');
      if (startRaw === undefined || !/^\d+$/.test(startRaw))
        return zendeskBadRequest('InvalidValue', `start_time (epoch seconds) is required, got ${JSON.stringify(startRaw ?? null)}`);
      const problem = startTimeProblem(Number(startRaw));
      if (problem) return zendeskBadRequest('InvalidValue', problem);
      const perPage = perPageOf(request) ?? MAX_PER_PAGE;
      const page = scan(store, store.logIndexAtOrAfter(Number(startRaw)), perPage, horizonOf(), false);
      const endTime = page.lastEntry?.ts ?? Number(startRaw);
      return zendeskJson(200, {
        tickets: render(page.tickets, ctx),
        count: page.tickets.length,
        end_time: endTime,
        next_page: `${ctx.baseUrl}/api/v2/incremental/tickets.json?start_time=${endTime}`,
        end_of_stream: page.endOfStream,
      });
    },
    { rate: 'export' },
  );
}
