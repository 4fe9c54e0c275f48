/**
 * Ticket fields API: list, show, create. Only admins may create fields (a restricted agent gets 403).
 * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/
 */
import type { ZendeskApi } from './zendesk-api';
import { parseZendeskBody, zendeskBadRequest, zendeskForbidden, zendeskJson, zendeskRecordNotFound } from './zendesk-errors';
import type { ZendeskStore } from './zendesk-store';
import { buildZendeskTicketField, renderZendeskTicketField } from './zendesk-ticket-fields';

export function mountZendeskTicketFieldRoutes(api: ZendeskApi, store: ZendeskStore, clock: () => number): void {
  api.add(
    'GET',
    '/api/v2/ticket_fields{.json}',
    (_request, ctx) =>
      zendeskJson(200, {
        ticket_fields: [...store.ticketFields.values()].map((f) => renderZendeskTicketField(f, ctx.baseUrl)),
        next_page: null,
        previous_page: null,
        count: store.ticketFields.size,
      }),
    { list: true },
  );

  api.add('GET', '/api/v2/ticket_fields/:id{.json}', (request, ctx) => {
    const field = store.ticketFields.get(Number(request.params.id));
    if (!field) return zendeskRecordNotFound();
    return zendeskJson(200, { ticket_field: renderZendeskTicketField(field, ctx.baseUrl) });
  });

  api.add('POST', '/api/v2/ticket_fields{.json}', (request, ctx) => {
    if (ctx.caller.user.role !== 'admin')
      return zendeskForbidden(
        'You do not have access to this page. Only admins can create ticket fields; ask an admin to grant the integration user the admin role.',
      );
    const parsed = parseZendeskBody(request.rawBody);
    if (!parsed.ok) return parsed.response;
    const draft = parsed.body.ticket_field;
    if (!draft || typeof draft !== 'object')
      return zendeskBadRequest('InvalidValue', 'Expected a body like {"ticket_field": {"type": "decimal", "title": "AI Score"}}');
    const built = buildZendeskTicketField(store, draft, ctx.caller.user.id, new Date(clock()).toISOString().replace(/\.\d+Z$/, 'Z'));
    if ('details' in built)
      return zendeskJson(422, { error: 'RecordInvalid', description: 'Record validation errors', details: built.details });
    store.ticketFields.set(built.field.id, built.field);
    return zendeskJson(
      201,
      { ticket_field: renderZendeskTicketField(built.field, ctx.baseUrl) },
      {
        Location: `${ctx.baseUrl}/api/v2/ticket_fields/${built.field.id}.json`,
      },
    );
  });
}
