/**
 * DemoTicket → Zendesk ticket (plus requester, organization and history), and the ticket's wire
 * shape (TicketObject). History audits are derived from the demo record when asked for, so seeding a
 * million tickets does not build four million audit objects up front.
 */
import type { DemoTicket } from '../data/demo-data.types';
import { ZENDESK_HUMAN_AGENT, ZENDESK_TIER1_GROUP, ZENDESK_TIER2_GROUP } from './zendesk-directory';
import type { ZendeskStore } from './zendesk-store';
import { ZENDESK_CATEGORY_FIELD_ID, ZENDESK_TIER_FIELD_ID, ensureZendeskOption } from './zendesk-ticket-fields';
import {
  ZENDESK_PRIORITIES,
  ZENDESK_STATUSES,
  type ZendeskAudit,
  type ZendeskAuditEvent,
  type ZendeskPriority,
  type ZendeskStatus,
  type ZendeskTicketRecord,
  type ZendeskTicketType,
  type ZendeskVia,
} from './zendesk.types';

const CHANNELS: Record<string, string> = { email: 'email', web: 'web', chat: 'chat', phone: 'voice', api: 'api' };

const VIA_BY_CHANNEL = new Map<string, ZendeskVia>();

/** `via` objects are shared per channel (never mutated): one allocation per channel, not four per ticket. */
export function zendeskVia(channel: string): ZendeskVia {
  let via = VIA_BY_CHANNEL.get(channel);
  if (!via) {
    via = Object.freeze({ channel, source: Object.freeze({ from: Object.freeze({}), to: Object.freeze({}), rel: null }) }) as ZendeskVia;
    VIA_BY_CHANNEL.set(channel, via);
  }
  return via;
}

/** Seeded tickets share one empty audit list until the API writes to them (see ZendeskTicketService). */
export const ZENDESK_NO_AUDITS: readonly ZendeskAudit[] = Object.freeze([]);

function ticketType(category: string | null): ZendeskTicketType {
  if (category === 'Technical' || category === 'Bug') return 'incident';
  if (category === 'Feature Request') return 'task';
  return 'question';
}

/** Zendesk timestamps have whole seconds and no milliseconds; demo data usually has `.000Z` already. */
function isoSeconds(iso: string): string {
  if (iso.length === 24 && iso.endsWith('.000Z')) return `${iso.slice(0, 19)}Z`;
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function organizationFor(demo: DemoTicket, store: ZendeskStore, createdAt: string): number {
  const name = demo.organization ?? demo.requesterEmail.split('@')[1] ?? 'Unknown organization';
  const existing = store.organizationsByName.get(name);
  if (existing) return existing.id;
  return store.addOrganization({ id: store.newOrganizationId(), name, tier: demo.customerTier, createdAt }).id;
}

function requesterFor(demo: DemoTicket, store: ZendeskStore, organizationId: number, createdAt: string): number {
  const existing = store.usersByEmail.get(demo.requesterEmail.toLowerCase());
  if (existing) return existing.id;
  return store.addUser({
    id: store.newUserId(),
    name: demo.requesterName,
    email: demo.requesterEmail,
    role: 'end-user',
    organizationId,
    createdAt,
  }).id;
}

/** Maps one demo ticket into the store (requester and organization are created on first sight). */
export function mapZendeskDemoTicket(demo: DemoTicket, store: ZendeskStore): ZendeskTicketRecord {
  const createdAt = isoSeconds(demo.createdAt);
  const updatedAt = isoSeconds(demo.updatedAt < demo.createdAt ? demo.createdAt : demo.updatedAt);
  const updatedMs = Date.parse(updatedAt);
  const organizationId = organizationFor(demo, store, createdAt);
  const requesterId = requesterFor(demo, store, organizationId, createdAt);
  const customFields = new Map<number, string | boolean | null>();
  const tags: string[] = [];
  for (const t of demo.tags) {
    const tag = t.toLowerCase();
    if (!tags.includes(tag)) tags.push(tag);
  }
  const tierField = store.ticketFields.get(ZENDESK_TIER_FIELD_ID);
  if (tierField) customFields.set(ZENDESK_TIER_FIELD_ID, ensureZendeskOption(tierField, `tier_${demo.customerTier}`, store));
  const categoryField = store.ticketFields.get(ZENDESK_CATEGORY_FIELD_ID);
  if (categoryField && demo.category) {
    const value = ensureZendeskOption(categoryField, demo.category, store);
    customFields.set(ZENDESK_CATEGORY_FIELD_ID, value);
    if (!tags.includes(value)) tags.push(value);
  }
  const status = (ZENDESK_STATUSES as readonly string[]).includes(demo.status) ? (demo.status as ZendeskStatus) : 'open';
  const priority = (ZENDESK_PRIORITIES as readonly string[]).includes(demo.priority) ? (demo.priority as ZendeskPriority) : 'normal';
  return {
    id: store.newTicketId(),
    externalId: demo.key,
    subject: demo.subject,
    description: demo.description,
    status,
    priority,
    type: ticketType(demo.category),
    tags,
    groupId: demo.escalated ? ZENDESK_TIER2_GROUP.id : ZENDESK_TIER1_GROUP.id,
    assigneeId: status === 'new' ? null : ZENDESK_HUMAN_AGENT.id,
    requesterId,
    submitterId: requesterId,
    organizationId,
    createdAt,
    updatedAt,
    generatedTimestamp: Math.floor(updatedMs / 1000),
    via: zendeskVia(CHANNELS[demo.channel] ?? 'web'),
    customFields,
    version: 1,
    demo,
    audits: ZENDESK_NO_AUDITS as ZendeskAudit[],
  };
}

function at(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The seeded ticket's history as audits: creation by the requester, triage (category, open) by an
 * agent, then the escalation (priority raised, `escalated` tag, moved to tier 2) or a re-prioritisation,
 * then the current status. These are the training labels' evidence, as a Zendesk admin would see them.
 */
export function zendeskDemoHistory(ticket: ZendeskTicketRecord): ZendeskAudit[] {
  const demo = ticket.demo;
  if (!demo) return [];
  const created = Date.parse(ticket.createdAt);
  const updated = Math.max(created, Date.parse(ticket.updatedAt));
  const triage = Math.min(updated, created + demo.hoursToFirstReply * 3_600_000);
  const middle = Math.floor((triage + updated) / 2);
  let n = 0;
  const audit = (ms: number, authorId: number, channel: string, events: Array<Omit<ZendeskAuditEvent, 'id'>>): ZendeskAudit => {
    const base = 50_000_000_000 + ticket.id * 10;
    n += 1;
    return {
      id: base + n,
      ticket_id: ticket.id,
      created_at: at(ms),
      author_id: authorId,
      metadata: { system: {}, custom: {} },
      via: { channel, source: { from: {}, to: {}, rel: null } },
      events: events.map((e, i) => ({ id: (base + n) * 10 + i, ...e })),
    };
  };
  const baseTags = ticket.tags.filter((t) => t !== 'escalated' && t !== ticket.customFields.get(ZENDESK_CATEGORY_FIELD_ID));
  const audits: ZendeskAudit[] = [
    audit(created, ticket.requesterId, ticket.via.channel, [
      { type: 'Comment', body: ticket.description, public: true },
      { type: 'Create', field_name: 'subject', value: ticket.subject },
      { type: 'Create', field_name: 'status', value: 'new' },
      { type: 'Create', field_name: 'priority', value: demo.initialPriority },
      { type: 'Create', field_name: 'group_id', value: String(ZENDESK_TIER1_GROUP.id) },
      { type: 'Create', field_name: 'tags', value: baseTags },
    ]),
  ];
  const category = ticket.customFields.get(ZENDESK_CATEGORY_FIELD_ID);
  const triageEvents: Array<Omit<ZendeskAuditEvent, 'id'>> = [
    { type: 'Change', field_name: 'status', value: 'open', previous_value: 'new' },
  ];
  if (typeof category === 'string')
    triageEvents.push({ type: 'Change', field_name: String(ZENDESK_CATEGORY_FIELD_ID), value: category, previous_value: null });
  audits.push(audit(triage, ZENDESK_HUMAN_AGENT.id, 'web', triageEvents));
  const changeEvents: Array<Omit<ZendeskAuditEvent, 'id'>> = [];
  if (demo.priority !== demo.initialPriority)
    changeEvents.push({ type: 'Change', field_name: 'priority', value: ticket.priority, previous_value: demo.initialPriority });
  if (demo.escalated) {
    changeEvents.push({ type: 'Change', field_name: 'tags', value: [...baseTags, 'escalated'], previous_value: baseTags });
    changeEvents.push({
      type: 'Change',
      field_name: 'group_id',
      value: String(ZENDESK_TIER2_GROUP.id),
      previous_value: String(ZENDESK_TIER1_GROUP.id),
    });
  }
  if (changeEvents.length) audits.push(audit(middle, ZENDESK_HUMAN_AGENT.id, 'web', changeEvents));
  if (ticket.status !== 'open' && ticket.status !== 'new' && ticket.status !== 'deleted')
    audits.push(
      audit(updated, ZENDESK_HUMAN_AGENT.id, 'web', [
        { type: 'Change', field_name: 'status', value: ticket.status, previous_value: 'open' },
      ]),
    );
  return audits;
}

/** Custom field ids in position order (every ticket lists every custom field). */
export function zendeskCustomFieldIds(store: ZendeskStore): number[] {
  const ids: number[] = [];
  for (const f of store.ticketFields.values()) if (!f.system) ids.push(f.id);
  return ids;
}

/** TicketObject as the API serves it. */
export function renderZendeskTicket(
  ticket: ZendeskTicketRecord,
  store: ZendeskStore,
  baseUrl: string,
  customFieldIds: number[] = zendeskCustomFieldIds(store),
): Record<string, unknown> {
  const customFields = customFieldIds.map((id) => {
    const stored = ticket.customFields.get(id);
    return { id, value: stored === undefined ? (store.ticketFields.get(id)?.type === 'checkbox' ? false : null) : stored };
  });
  return {
    url: `${baseUrl}/api/v2/tickets/${ticket.id}.json`,
    id: ticket.id,
    external_id: ticket.externalId,
    via: ticket.via,
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
    generated_timestamp: ticket.generatedTimestamp,
    type: ticket.type,
    subject: ticket.subject,
    raw_subject: ticket.subject,
    description: ticket.description,
    priority: ticket.priority,
    status: ticket.status,
    recipient: null,
    requester_id: ticket.requesterId,
    submitter_id: ticket.submitterId,
    assignee_id: ticket.assigneeId,
    organization_id: ticket.organizationId,
    group_id: ticket.groupId,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: ticket.tags,
    custom_fields: customFields,
    satisfaction_rating: null,
    sharing_agreement_ids: [],
    fields: customFields,
    followup_ids: [],
    brand_id: 360_000_000_101,
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  };
}
