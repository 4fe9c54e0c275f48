/**
 * Tickets as the record viewer shows them: the columns an agent sees in a view, custom fields by
 * title, and the fields Fieldcast created (ticket fields created through the API) highlighted.
 */
import type { RecordViewerObject, RecordViewerSource } from '../common/record-viewer';
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskTicketRecord } from './zendesk.types';

function ticketFields(ticket: ZendeskTicketRecord, store: ZendeskStore): Record<string, unknown> {
  const group = ticket.groupId === null ? null : (store.groups.get(ticket.groupId)?.name ?? ticket.groupId);
  const requester = store.users.get(ticket.requesterId);
  const organization = ticket.organizationId === null ? undefined : store.organizations.get(ticket.organizationId);
  const fields: Record<string, unknown> = {
    id: ticket.id,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    type: ticket.type,
    group,
    requester: requester ? `${requester.name} <${requester.email}>` : ticket.requesterId,
    organization: organization ? `${organization.name} (${organization.tier})` : null,
    tags: ticket.tags.join(' '),
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
    description: ticket.description,
  };
  for (const field of store.ticketFields.values()) {
    if (field.system) continue;
    fields[field.title] = ticket.customFields.get(field.id) ?? null;
  }
  return fields;
}

export function createZendeskRecordViewerSource(store: ZendeskStore): RecordViewerSource {
  const apiCreatedTitles = () => new Set([...store.ticketFields.values()].filter((f) => f.creatorUserId !== null).map((f) => f.title));
  const tickets: RecordViewerObject = {
    name: 'tickets',
    label: 'Tickets',
    columns: ['id', 'subject', 'status', 'priority', 'group', 'Category', 'updated_at'],
    titleField: 'subject',
    isFieldcastField: (field) => apiCreatedTitles().has(field),
    list(offset, limit, search) {
      const needle = search?.trim().toLowerCase();
      const rows: Array<{ id: string; fields: Record<string, unknown> }> = [];
      let total = 0;
      for (const id of store.ticketIds) {
        const t = store.tickets.get(id);
        if (!t || t.status === 'deleted') continue;
        if (needle && !`${t.id} ${t.subject} ${t.tags.join(' ')}`.toLowerCase().includes(needle)) continue;
        if (total >= offset && rows.length < limit) rows.push({ id: String(t.id), fields: ticketFields(t, store) });
        total += 1;
      }
      return { total, rows };
    },
    get(id) {
      const t = store.tickets.get(Number(id));
      return t ? { id: String(t.id), fields: ticketFields(t, store) } : undefined;
    },
  };
  return { vendorLabel: 'Zendesk Support', objects: [tickets] };
}
