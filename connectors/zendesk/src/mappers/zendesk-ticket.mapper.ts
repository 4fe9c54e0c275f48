/**
 * Zendesk ticket → SyncedRecord. Keeps the vendor's attributes the scoring module reads (subject,
 * description, priority, type, tags, group, requester / organization ids, channel), the training
 * labels (category from the category field, escalation from tag / tier-2 group / urgent priority),
 * the customer tier, and Fieldcast's own write-back fields under the names Fieldcast writes them with
 * (so the engine's diff sees what the ticket already holds).
 */
import type { FieldSpec, SyncedRecord } from '@fieldcast/connector-sdk';
import type { ZendeskConnectionOptions } from '../zendesk-connector.options';
import type { ZendeskRawTicket } from '../zendesk-raw.types';
import type { ZendeskFieldCatalog } from './zendesk-field-catalog';

export interface ZendeskMappingContext {
  catalog: ZendeskFieldCatalog;
  options: ZendeskConnectionOptions;
  /** Resolved ids of the category / tier fields and tier-2 groups. */
  categoryFieldId?: number;
  tierFieldId?: number;
  tier2GroupIds: Set<number>;
  fieldSpecs: FieldSpec[];
}

/** The incremental export follows generated_timestamp; fall back to updated_at for other endpoints. */
export function zendeskModstamp(raw: ZendeskRawTicket): string {
  if (typeof raw.generated_timestamp === 'number') return new Date(raw.generated_timestamp * 1000).toISOString();
  return new Date(Date.parse(raw.updated_at ?? raw.created_at ?? '1970-01-01T00:00:00Z')).toISOString();
}

export function mapZendeskTicket(raw: ZendeskRawTicket, m: ZendeskMappingContext): SyncedRecord {
  const custom = new Map((raw.custom_fields ?? []).map((f) => [f.id, f.value]));
  const optionName = (fieldId: number | undefined): string | null => {
    if (fieldId === undefined) return null;
    const field = m.catalog.byId(fieldId);
    const value = custom.get(fieldId);
    if (!field || value === null || value === undefined) return null;
    return String(m.catalog.fromWire(field, value));
  };
  const tags = raw.tags ?? [];
  const fields: Record<string, unknown> = {
    subject: raw.subject ?? '',
    description: raw.description ?? '',
    status: raw.status,
    priority: raw.priority ?? null,
    type: raw.type ?? null,
    tags,
    group_id: raw.group_id ?? null,
    assignee_id: raw.assignee_id ?? null,
    requester_id: raw.requester_id ?? null,
    organization_id: raw.organization_id ?? null,
    external_id: raw.external_id ?? null,
    channel: raw.via?.channel ?? null,
    created_at: raw.created_at ?? null,
    updated_at: raw.updated_at ?? null,
    category: optionName(m.categoryFieldId) ?? raw.type ?? null,
    customer_tier: optionName(m.tierFieldId),
    escalated_tag: tags.includes(m.options.escalatedTag),
    in_tier2_group: raw.group_id !== null && raw.group_id !== undefined && m.tier2GroupIds.has(raw.group_id),
    // The escalation training label in one field: urgent, tagged escalated, or moved to tier 2.
    escalated:
      raw.priority === 'urgent' ||
      tags.includes(m.options.escalatedTag) ||
      (raw.group_id !== null && raw.group_id !== undefined && m.tier2GroupIds.has(raw.group_id)),
    custom_fields: Object.fromEntries(custom),
  };
  for (const spec of m.fieldSpecs) {
    const field = m.catalog.byTitle(spec.name);
    if (field) fields[spec.name] = m.catalog.fromWire(field, custom.get(field.id) ?? null);
  }
  return { externalId: String(raw.id), object: 'tickets', modstamp: zendeskModstamp(raw), fields };
}
