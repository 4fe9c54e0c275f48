/**
 * Ticket writes: create, update (single PUT and each ticket of update_many) and soft delete. An
 * update is validated as a whole before anything changes (a bad value leaves the ticket untouched),
 * bumps updated_at / generated_timestamp only when something changed, keeps an audit with the author
 * and `via` (how Fieldcast's own writes are recognisable), and notifies listeners (write log, webhooks).
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
 */
import type { ZendeskStore } from './zendesk-store';
import { checkZendeskFieldValue } from './zendesk-ticket-fields';
import { zendeskVia } from './zendesk-ticket.mapper';
import {
  ZENDESK_PRIORITIES,
  ZENDESK_STATUSES,
  ZENDESK_TICKET_TYPES,
  type ZendeskAuditEvent,
  type ZendeskFieldValue,
  type ZendeskTicketRecord,
} from './zendesk.types';

export interface ZendeskActor {
  userId: number;
  /** `api` for API calls; `web` for the agent UI. */
  viaChannel: string;
}

export interface ZendeskFieldChange {
  /** `subject`, `status`, `priority`, `type`, `group_id`, `assignee_id`, `tags`, `external_id` or a custom field id. */
  field: string;
  value: unknown;
  previous: unknown;
}

export type ZendeskWriteOutcome =
  | { ok: true; ticket: ZendeskTicketRecord; changes: ZendeskFieldChange[]; commented: boolean; auditId: number | null }
  | { ok: false; httpStatus: 404 | 422; error: string; details: string; attribute: string };

export interface ZendeskTicketListener {
  onTicketCreated(ticket: ZendeskTicketRecord, actor: ZendeskActor): void;
  onTicketChanged(ticket: ZendeskTicketRecord, changes: ZendeskFieldChange[], actor: ZendeskActor, comment?: string): void;
  onTicketDeleted(ticket: ZendeskTicketRecord, actor: ZendeskActor, previousStatus: string): void;
}

function nowIso(nowMs: number): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function invalid(attribute: string, details: string): ZendeskWriteOutcome {
  return { ok: false, httpStatus: 422, error: 'RecordInvalid', details, attribute };
}

function sameTags(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((t) => set.has(t));
}

function tagList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return value.map((t) => t.toLowerCase());
  return undefined;
}

export class ZendeskTicketService {
  constructor(
    private readonly store: ZendeskStore,
    private readonly listeners: ZendeskTicketListener[] = [],
    private readonly clock: () => number = Date.now,
  ) {}

  update(ticketId: number, changes: Record<string, unknown>, actor: ZendeskActor): ZendeskWriteOutcome {
    const ticket = this.store.tickets.get(ticketId);
    if (!ticket || ticket.status === 'deleted')
      return { ok: false, httpStatus: 404, error: 'TicketNotFound', details: `Ticket ${ticketId} not found`, attribute: 'id' };
    if (ticket.status === 'closed') return invalid('status', 'Status: closed prevents ticket update');

    const next: Partial<ZendeskTicketRecord> = {};
    const fieldValues = new Map<number, ZendeskFieldValue>();
    let tags = ticket.tags;
    let comment: { body: string; public: boolean } | undefined;

    if ('subject' in changes) {
      if (typeof changes.subject !== 'string' || !changes.subject.trim()) return invalid('subject', 'Subject: cannot be blank');
      next.subject = changes.subject;
    }
    if ('priority' in changes) {
      const p = changes.priority;
      if (p !== null && !(ZENDESK_PRIORITIES as readonly unknown[]).includes(p))
        return invalid('priority', `Priority: ${JSON.stringify(p)} is not one of ${ZENDESK_PRIORITIES.join(', ')}`);
      next.priority = p as ZendeskTicketRecord['priority'];
    }
    if ('status' in changes) {
      const s = changes.status;
      if (!(ZENDESK_STATUSES as readonly unknown[]).includes(s))
        return invalid('status', `Status: ${JSON.stringify(s)} is not one of ${ZENDESK_STATUSES.join(', ')}`);
      next.status = s as ZendeskTicketRecord['status'];
    }
    if ('type' in changes) {
      const t = changes.type;
      if (t !== null && !(ZENDESK_TICKET_TYPES as readonly unknown[]).includes(t))
        return invalid('type', `Type: ${JSON.stringify(t)} is not one of ${ZENDESK_TICKET_TYPES.join(', ')}`);
      next.type = t as ZendeskTicketRecord['type'];
    }
    if ('group_id' in changes) {
      const g = changes.group_id;
      if (g !== null && !(typeof g === 'number' && this.store.groups.has(g)))
        return invalid('group_id', `Group: ${JSON.stringify(g)} is not a group of this account (GET /api/v2/groups lists them)`);
      next.groupId = g as number | null;
    }
    if ('assignee_id' in changes) {
      const a = changes.assignee_id;
      const user = typeof a === 'number' ? this.store.users.get(a) : undefined;
      if (a !== null && (!user || user.role === 'end-user'))
        return invalid('assignee_id', `Assignee: ${JSON.stringify(a)} is not an agent of this account`);
      next.assigneeId = a as number | null;
    }
    if ('external_id' in changes) {
      const e = changes.external_id;
      if (e !== null && typeof e !== 'string') return invalid('external_id', 'External id: expected a string');
      next.externalId = e as string | null;
    }
    if ('tags' in changes) {
      const t = tagList(changes.tags);
      if (!t) return invalid('tags', 'Tags: expected an array of strings');
      tags = [...new Set(t)];
    }
    if ('additional_tags' in changes) {
      const t = tagList(changes.additional_tags);
      if (!t) return invalid('additional_tags', 'Additional tags: expected an array of strings');
      tags = [...new Set([...tags, ...t])];
    }
    if ('remove_tags' in changes) {
      const t = tagList(changes.remove_tags);
      if (!t) return invalid('remove_tags', 'Remove tags: expected an array of strings');
      const drop = new Set(t);
      tags = tags.filter((x) => !drop.has(x));
    }
    if ('custom_fields' in changes) {
      if (!Array.isArray(changes.custom_fields)) return invalid('custom_fields', 'Custom fields: expected an array of {id, value}');
      for (const entry of changes.custom_fields as unknown[]) {
        const { id, value } = (entry ?? {}) as { id?: unknown; value?: unknown };
        const field = typeof id === 'number' ? this.store.ticketFields.get(id) : undefined;
        if (!field || field.system)
          return invalid(
            'custom_fields',
            `Custom field ${JSON.stringify(id)} does not exist on this account (GET /api/v2/ticket_fields lists the custom field ids)`,
          );
        const checked = checkZendeskFieldValue(field, value);
        if (!checked.ok) return invalid('custom_fields', checked.details);
        fieldValues.set(field.id, checked.value);
        // A drop-down value is also a tag on the ticket; changing it swaps the tag.
        if (field.type === 'tagger') {
          const previous = ticket.customFields.get(field.id);
          tags = tags.filter((t) => t !== previous);
          if (typeof checked.value === 'string' && !tags.includes(checked.value)) tags = [...tags, checked.value];
        }
      }
    }
    if ('comment' in changes && changes.comment) {
      const c = changes.comment as { body?: unknown; html_body?: unknown; public?: unknown };
      const body = typeof c.body === 'string' ? c.body : typeof c.html_body === 'string' ? c.html_body : '';
      if (!body.trim()) return invalid('comment', 'Comment: body cannot be blank');
      comment = { body, public: c.public !== false };
    }

    const diff: ZendeskFieldChange[] = [];
    const compare = (field: string, key: keyof ZendeskTicketRecord, apiName = field) => {
      if (key in next && next[key] !== ticket[key]) diff.push({ field: apiName, value: next[key], previous: ticket[key] });
    };
    compare('subject', 'subject');
    compare('status', 'status');
    compare('priority', 'priority');
    compare('type', 'type');
    compare('group_id', 'groupId');
    compare('assignee_id', 'assigneeId');
    compare('external_id', 'externalId');
    for (const [id, value] of fieldValues) {
      const previous = ticket.customFields.get(id) ?? null;
      if (previous !== value) diff.push({ field: String(id), value, previous });
    }
    if (!sameTags(tags, ticket.tags)) diff.push({ field: 'tags', value: tags, previous: ticket.tags });
    if (diff.length === 0 && !comment) return { ok: true, ticket, changes: [], commented: false, auditId: null };

    for (const change of diff) {
      if (change.field === 'tags') ticket.tags = tags;
      else if (/^\d+$/.test(change.field)) {
        const value = change.value as ZendeskFieldValue;
        if (value === null) ticket.customFields.delete(Number(change.field));
        else ticket.customFields.set(Number(change.field), value);
      }
    }
    Object.assign(ticket, next);
    const auditId = this.touch(ticket, actor, diff, comment);
    for (const l of this.listeners) l.onTicketChanged(ticket, diff, actor, comment?.body);
    return { ok: true, ticket, changes: diff, commented: comment !== undefined, auditId };
  }

  /** POST /api/v2/tickets: enough to create tickets for webhook and sync tests. */
  create(draft: Record<string, unknown>, actor: ZendeskActor): ZendeskWriteOutcome {
    const comment = (draft.comment ?? {}) as { body?: unknown };
    const body = typeof comment.body === 'string' ? comment.body : typeof draft.description === 'string' ? draft.description : '';
    if (!body.trim()) return invalid('comment', 'Description: cannot be blank (send ticket.comment.body)');
    const requesterId = typeof draft.requester_id === 'number' ? draft.requester_id : actor.userId;
    const requester = this.store.users.get(requesterId);
    if (!requester) return invalid('requester_id', `Requester: user ${requesterId} does not exist`);
    const now = this.clock();
    const ticket: ZendeskTicketRecord = {
      id: this.store.newTicketId(),
      externalId: typeof draft.external_id === 'string' ? draft.external_id : null,
      subject: typeof draft.subject === 'string' && draft.subject ? draft.subject : body.slice(0, 60),
      description: body,
      status: 'new',
      priority: null,
      type: null,
      tags: [],
      groupId: null,
      assigneeId: null,
      requesterId,
      submitterId: actor.userId,
      organizationId: requester.organizationId,
      createdAt: nowIso(now),
      updatedAt: nowIso(now),
      generatedTimestamp: Math.floor(now / 1000),
      via: zendeskVia(actor.viaChannel),
      customFields: new Map(),
      version: 1,
      audits: [],
    };
    this.store.addTicket(ticket);
    // The remaining attributes go through the update validation so both paths agree on what is valid.
    const rest: Record<string, unknown> = {};
    for (const key of ['priority', 'status', 'type', 'group_id', 'assignee_id', 'tags', 'custom_fields'])
      if (key in draft) rest[key] = draft[key];
    const applied = this.applyQuietly(ticket, rest, actor);
    if (!applied.ok) {
      this.store.tickets.delete(ticket.id);
      this.store.ticketIds.pop();
      return applied;
    }
    ticket.audits.push({
      id: this.store.newAuditId(),
      ticket_id: ticket.id,
      created_at: ticket.createdAt,
      author_id: actor.userId,
      metadata: { system: {}, custom: {} },
      via: { channel: actor.viaChannel, source: { from: {}, to: {}, rel: null } },
      events: [{ id: this.store.newAuditId(), type: 'Comment', body, public: true }],
    });
    this.store.appendLog(ticket);
    for (const l of this.listeners) l.onTicketCreated(ticket, actor);
    return { ok: true, ticket, changes: [], commented: true, auditId: ticket.audits[0]!.id };
  }

  /** DELETE /api/v2/tickets/{id}: soft delete; the export then lists the ticket with status "deleted". */
  softDelete(ticketId: number, actor: ZendeskActor): boolean {
    const ticket = this.store.tickets.get(ticketId);
    if (!ticket || ticket.status === 'deleted') return false;
    const previous = ticket.status;
    ticket.status = 'deleted';
    this.touch(ticket, actor, [{ field: 'status', value: 'deleted', previous }], undefined);
    for (const l of this.listeners) l.onTicketDeleted(ticket, actor, previous);
    return true;
  }

  private applyQuietly(ticket: ZendeskTicketRecord, changes: Record<string, unknown>, actor: ZendeskActor): ZendeskWriteOutcome {
    if (Object.keys(changes).length === 0) return { ok: true, ticket, changes: [], commented: false, auditId: null };
    const quiet = new ZendeskTicketService(this.store, [], this.clock);
    const outcome = quiet.update(ticket.id, changes, actor);
    if (outcome.ok && outcome.auditId !== null) {
      // Creation is one audit and one log entry: drop the ones the quiet update added.
      ticket.audits = [];
      ticket.version = 1;
      this.store.log.pop();
    }
    return outcome;
  }

  private touch(
    ticket: ZendeskTicketRecord,
    actor: ZendeskActor,
    diff: ZendeskFieldChange[],
    comment: { body: string; public: boolean } | undefined,
  ): number {
    const now = this.clock();
    ticket.version += 1;
    ticket.updatedAt = nowIso(now);
    ticket.generatedTimestamp = Math.floor(now / 1000);
    const auditId = this.store.newAuditId();
    const events: ZendeskAuditEvent[] = diff.map((d) => ({
      id: this.store.newAuditId(),
      type: 'Change',
      field_name: d.field,
      value: d.value,
      previous_value: d.previous,
    }));
    if (comment) events.push({ id: this.store.newAuditId(), type: 'Comment', body: comment.body, public: comment.public });
    if (Object.isFrozen(ticket.audits)) ticket.audits = [];
    ticket.audits.push({
      id: auditId,
      ticket_id: ticket.id,
      created_at: ticket.updatedAt,
      author_id: actor.userId,
      metadata: { system: { client: 'sandbox' }, custom: {} },
      via: { channel: actor.viaChannel, source: { from: {}, to: {}, rel: null } },
      events,
    });
    this.store.appendLog(ticket);
    return auditId;
  }
}
