/**
 * Builds Zendesk event-subscription webhook envelopes for ticket changes. One action emits one event
 * per kind of change, sharing a sequence id; `detail` is the ticket after the change with ids as
 * strings and enum values upper-case; `detail.actor_id` is who made the change (how a receiver tells
 * its own writes apart).
 * https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/
 * https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/
 */
import { randomUUID } from 'node:crypto';
import { ZENDESK_ACCOUNT_ID } from './zendesk-directory';
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskActor, ZendeskFieldChange } from './zendesk-ticket.service';
import type { ZendeskTicketRecord } from './zendesk.types';

export const ZENDESK_EVENT_PREFIX = 'zen:event-type:';

export const ZENDESK_TICKET_EVENT_TYPES = [
  'ticket.created',
  'ticket.status_changed',
  'ticket.priority_changed',
  'ticket.type_changed',
  'ticket.subject_changed',
  'ticket.tags_changed',
  'ticket.group_assignment_changed',
  'ticket.agent_assignment_changed',
  'ticket.custom_field_changed',
  'ticket.external_id_changed',
  'ticket.comment_added',
  'ticket.soft_deleted',
].map((t) => `${ZENDESK_EVENT_PREFIX}${t}`);

export interface ZendeskWebhookEnvelope {
  type: string;
  account_id: number;
  id: string;
  time: string;
  zendesk_event_version: string;
  subject: string;
  detail: Record<string, unknown>;
  event: Record<string, unknown>;
}

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);
const idString = (v: number | null) => (v === null ? null : String(v));

function viaChannel(channel: string): string {
  return channel === 'api' ? 'web_service' : channel;
}

export function zendeskTicketDetail(ticket: ZendeskTicketRecord, actorId: number): Record<string, unknown> {
  return {
    actor_id: String(actorId),
    assignee_id: idString(ticket.assigneeId),
    brand_id: '360000000101',
    created_at: ticket.createdAt,
    custom_status: upper(ticket.status === 'deleted' ? 'deleted' : ticket.status),
    description: ticket.description,
    external_id: ticket.externalId,
    form_id: '360000000201',
    group_id: idString(ticket.groupId),
    id: String(ticket.id),
    is_public: true,
    organization_id: idString(ticket.organizationId),
    priority: upper(ticket.priority),
    requester_id: String(ticket.requesterId),
    status: upper(ticket.status),
    subject: ticket.subject,
    submitter_id: String(ticket.submitterId),
    tags: ticket.tags,
    type: upper(ticket.type),
    updated_at: ticket.updatedAt,
    via: { channel: viaChannel(ticket.via.channel) },
  };
}

function eventFor(change: ZendeskFieldChange, store: ZendeskStore): [string, Record<string, unknown>] {
  switch (change.field) {
    case 'status':
      return [
        change.value === 'deleted' ? 'ticket.soft_deleted' : 'ticket.status_changed',
        { current: upper(change.value), previous: upper(change.previous) },
      ];
    case 'priority':
      return ['ticket.priority_changed', { current: upper(change.value), previous: upper(change.previous) }];
    case 'type':
      return ['ticket.type_changed', { current: upper(change.value), previous: upper(change.previous) }];
    case 'subject':
      return ['ticket.subject_changed', { current: change.value, previous: change.previous }];
    case 'external_id':
      return ['ticket.external_id_changed', { current: change.value, previous: change.previous }];
    case 'group_id':
      return [
        'ticket.group_assignment_changed',
        { current: { id: idString(change.value as number | null) }, previous: { id: idString(change.previous as number | null) } },
      ];
    case 'assignee_id':
      return [
        'ticket.agent_assignment_changed',
        { current: { id: idString(change.value as number | null) }, previous: { id: idString(change.previous as number | null) } },
      ];
    case 'tags': {
      const now = new Set(change.value as string[]);
      const before = new Set(change.previous as string[]);
      return [
        'ticket.tags_changed',
        { tags_added: [...now].filter((t) => !before.has(t)), tags_removed: [...before].filter((t) => !now.has(t)) },
      ];
    }
    default: {
      const field = store.ticketFields.get(Number(change.field));
      return [
        'ticket.custom_field_changed',
        {
          current: change.value,
          previous: change.previous,
          custom_field: { id: change.field, title: field?.title ?? '', type: field?.type ?? '' },
        },
      ];
    }
  }
}

export function buildZendeskTicketEvents(
  store: ZendeskStore,
  ticket: ZendeskTicketRecord,
  kind: { created: true } | { changes: ZendeskFieldChange[]; comment?: string },
  actor: ZendeskActor,
  nowMs: number,
): ZendeskWebhookEnvelope[] {
  const detail = zendeskTicketDetail(ticket, actor.userId);
  const sequenceId = randomUUID();
  const time = new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const events: Array<[string, Record<string, unknown>]> =
    'created' in kind ? [['ticket.created', {}]] : kind.changes.map((c) => eventFor(c, store));
  if (!('created' in kind) && kind.comment !== undefined)
    events.push(['ticket.comment_added', { comment: { body: kind.comment, is_public: true, author: { id: String(actor.userId) } } }]);
  return events.map(([type, event], i) => ({
    type: `${ZENDESK_EVENT_PREFIX}${type}`,
    account_id: ZENDESK_ACCOUNT_ID,
    id: randomUUID(),
    time,
    zendesk_event_version: '2022-11-06',
    subject: `zen:ticket:${ticket.id}`,
    detail,
    event: { ...event, meta: { sequence: { id: sequenceId, position: i + 1, total: events.length } } },
  }));
}
