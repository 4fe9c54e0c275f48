/**
 * Ticket fields: the system fields every account has, the seeded custom fields (category, customer
 * tier) and the fields an API client creates. Values are validated per field type the way Zendesk
 * rejects them (a bad value is a per-ticket error in update_many, a 422 on a single update).
 * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/
 */
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskFieldValue, ZendeskTicketField } from './zendesk.types';

/** Fixed ids so tests and the demo can name the seeded fields. */
export const ZENDESK_CATEGORY_FIELD_ID = 360_000_010_001;
export const ZENDESK_TIER_FIELD_ID = 360_000_010_002;

export const ZENDESK_CUSTOM_FIELD_TYPES = [
  'text',
  'textarea',
  'checkbox',
  'date',
  'integer',
  'decimal',
  'regexp',
  'partialcreditcard',
  'tagger',
  'multiselect',
  'lookup',
] as const;

/** Types the sandbox stores values for; the others can be created and listed but not written. */
const WRITABLE_TYPES = new Set(['text', 'textarea', 'checkbox', 'date', 'integer', 'decimal', 'regexp', 'tagger']);

const SYSTEM_FIELDS: Array<[number, string, string]> = [
  [360_000_000_001, 'subject', 'Subject'],
  [360_000_000_002, 'description', 'Description'],
  [360_000_000_003, 'status', 'Status'],
  [360_000_000_004, 'tickettype', 'Type'],
  [360_000_000_005, 'priority', 'Priority'],
  [360_000_000_006, 'group', 'Group'],
  [360_000_000_007, 'assignee', 'Assignee'],
];

/** Tagger values are tag-like: lower case, words joined by underscores. */
export function zendeskTagValue(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function seedZendeskTicketFields(store: ZendeskStore, createdAt: string): void {
  store.ticketFields.clear();
  let position = 0;
  for (const [id, type, title] of SYSTEM_FIELDS) {
    store.ticketFields.set(id, baseField(id, type, title, true, position++, createdAt));
  }
  store.ticketFields.set(ZENDESK_CATEGORY_FIELD_ID, {
    ...baseField(ZENDESK_CATEGORY_FIELD_ID, 'tagger', 'Category', false, position++, createdAt),
    description: 'What the ticket is about (set by agents at triage).',
  });
  store.ticketFields.set(ZENDESK_TIER_FIELD_ID, {
    ...baseField(ZENDESK_TIER_FIELD_ID, 'tagger', 'Customer Tier', false, position, createdAt),
    description: "The requester's organization support tier.",
  });
}

function baseField(id: number, type: string, title: string, system: boolean, position: number, createdAt: string): ZendeskTicketField {
  return {
    id,
    type,
    title,
    description: '',
    active: true,
    system,
    removable: !system,
    options: [],
    tag: null,
    position,
    createdAt,
    updatedAt: createdAt,
    creatorUserId: null,
  };
}

const optionValueByName = new Map<string, string>();

/** Adds a tagger option when a seeded value is not an option yet (CSV data may bring new categories). */
export function ensureZendeskOption(field: ZendeskTicketField, name: string, store: ZendeskStore): string {
  let value = optionValueByName.get(name);
  if (value === undefined) {
    value = zendeskTagValue(name);
    optionValueByName.set(name, value);
  }
  const v = value;
  if (!field.options.some((o) => o.value === v)) field.options.push({ id: store.newFieldId(), name, value: v });
  return v;
}

export type ZendeskFieldCheck = { ok: true; value: ZendeskFieldValue } | { ok: false; details: string };

/** Validates and normalises one custom field value as Zendesk stores it (numbers come back as strings). */
export function checkZendeskFieldValue(field: ZendeskTicketField, value: unknown): ZendeskFieldCheck {
  const where = `${field.title} (field ${field.id}, ${field.type})`;
  if (!field.active) return { ok: false, details: `${where}: the field is inactive and cannot be set` };
  if (value === null || value === '') return { ok: true, value: field.type === 'checkbox' ? false : null };
  if (!WRITABLE_TYPES.has(field.type))
    return { ok: false, details: `${where}: values of this field type are not supported by the sandbox` };
  switch (field.type) {
    case 'checkbox':
      if (typeof value === 'boolean') return { ok: true, value };
      return { ok: false, details: `${where}: expected true or false, got ${JSON.stringify(value)}` };
    case 'decimal': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) return { ok: false, details: `${where}: is not a number: ${JSON.stringify(value)}` };
      return { ok: true, value: String(n) };
    }
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isInteger(n)) return { ok: false, details: `${where}: is not a whole number: ${JSON.stringify(value)}` };
      return { ok: true, value: String(n) };
    }
    case 'date':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { ok: true, value };
      return { ok: false, details: `${where}: expected a date as YYYY-MM-DD, got ${JSON.stringify(value)}` };
    case 'tagger':
      if (typeof value === 'string' && field.options.some((o) => o.value === value)) return { ok: true, value };
      return {
        ok: false,
        details: `${where}: ${JSON.stringify(value)} is not one of the field's option values (${field.options.map((o) => o.value).join(', ')})`,
      };
    default:
      if (typeof value === 'string' || typeof value === 'number') return { ok: true, value: String(value) };
      return { ok: false, details: `${where}: expected text, got ${JSON.stringify(value)}` };
  }
}

export interface ZendeskFieldDraft {
  type?: unknown;
  title?: unknown;
  description?: unknown;
  custom_field_options?: unknown;
  tag?: unknown;
  active?: unknown;
}

type Details = Record<string, Array<{ description: string; error: string }>>;

/** Validates a create request; returns the field or Zendesk's RecordInvalid details. */
export function buildZendeskTicketField(
  store: ZendeskStore,
  draft: ZendeskFieldDraft,
  creatorUserId: number,
  now: string,
): { field: ZendeskTicketField } | { details: Details } {
  const details: Details = {};
  const type = typeof draft.type === 'string' ? draft.type : '';
  const title = typeof draft.title === 'string' ? draft.title.trim() : '';
  if (!type) details.type = [{ description: 'Type: cannot be blank', error: 'BlankValue' }];
  else if (!(ZENDESK_CUSTOM_FIELD_TYPES as readonly string[]).includes(type))
    details.type = [{ description: `Type: ${type} is not valid (one of ${ZENDESK_CUSTOM_FIELD_TYPES.join(', ')})`, error: 'InvalidValue' }];
  if (!title) details.title = [{ description: 'Title: cannot be blank', error: 'BlankValue' }];
  const options: ZendeskTicketField['options'] = [];
  if (type === 'tagger' || type === 'multiselect') {
    const raw = Array.isArray(draft.custom_field_options) ? (draft.custom_field_options as unknown[]) : [];
    for (const [i, o] of raw.entries()) {
      const option = (o ?? {}) as { name?: unknown; value?: unknown };
      if (typeof option.name !== 'string' || !option.name || typeof option.value !== 'string' || !option.value) {
        (details.custom_field_options ??= []).push({
          description: `Field options: option ${i} needs a non-empty name and value`,
          error: 'InvalidValue',
        });
      } else options.push({ id: store.newFieldId(), name: option.name, value: option.value });
    }
    if (raw.length === 0)
      details.custom_field_options = [{ description: 'Field options: a drop-down field needs at least one option', error: 'BlankValue' }];
  }
  if (Object.keys(details).length) return { details };
  const id = store.newFieldId();
  return {
    field: {
      id,
      type,
      title,
      description: typeof draft.description === 'string' ? draft.description : '',
      active: draft.active === false ? false : true,
      system: false,
      removable: true,
      options,
      tag: typeof draft.tag === 'string' ? draft.tag : null,
      position: store.ticketFields.size,
      createdAt: now,
      updatedAt: now,
      creatorUserId,
    },
  };
}

/** TicketFieldObject as the API serves it. */
export function renderZendeskTicketField(field: ZendeskTicketField, baseUrl: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    url: `${baseUrl}/api/v2/ticket_fields/${field.id}.json`,
    id: field.id,
    type: field.type,
    title: field.title,
    raw_title: field.title,
    description: field.description,
    raw_description: field.description,
    position: field.position,
    active: field.active,
    required: false,
    collapsed_for_agents: false,
    regexp_for_validation: null,
    title_in_portal: field.title,
    raw_title_in_portal: field.title,
    visible_in_portal: field.system,
    editable_in_portal: field.system,
    required_in_portal: false,
    agent_can_edit: true,
    tag: field.tag,
    created_at: field.createdAt,
    updated_at: field.updatedAt,
    removable: field.removable,
  };
  if (field.type === 'tagger' || field.type === 'multiselect') {
    out.custom_field_options = field.options.map((o) => ({ id: o.id, name: o.name, raw_name: o.name, value: o.value, default: false }));
  }
  if (field.creatorUserId !== null) out.creator_user_id = field.creatorUserId;
  return out;
}
