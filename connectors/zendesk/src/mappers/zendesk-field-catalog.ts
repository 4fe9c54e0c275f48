/**
 * The account's ticket fields, looked up by title (Fieldcast's write-back fields are addressed by
 * title because Zendesk assigns field ids at creation) and by id, with value conversion both ways:
 * Zendesk returns decimal values as strings and drop-down values as option tags.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/
 */
import type { FieldSpec } from '@fieldcast/connector-sdk';
import type { ZendeskRawTicketField } from '../zendesk-raw.types';

/** FieldSpec type → Zendesk ticket field type. */
export const ZENDESK_FIELD_TYPE: Record<FieldSpec['type'], string> = {
  number: 'decimal',
  percent: 'decimal',
  text: 'text',
  long_text: 'textarea',
  picklist: 'tagger',
};

/** Tag-like option value Fieldcast uses for its own drop-down options. */
export function zendeskOptionValue(label: string): string {
  return `fieldcast_${label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`;
}

export type ZendeskWireValue = string | number | boolean | null;

export class ZendeskFieldCatalog {
  private readonly byTitleMap = new Map<string, ZendeskRawTicketField>();
  private readonly byIdMap = new Map<number, ZendeskRawTicketField>();

  constructor(readonly fields: ZendeskRawTicketField[]) {
    for (const f of fields) {
      this.byIdMap.set(f.id, f);
      const key = f.title.trim().toLowerCase();
      const existing = this.byTitleMap.get(key);
      // Prefer the active field when an inactive one has the same title.
      if (!existing || (existing.active === false && f.active !== false)) this.byTitleMap.set(key, f);
    }
  }

  byTitle(title: string): ZendeskRawTicketField | undefined {
    return this.byTitleMap.get(title.trim().toLowerCase());
  }

  byId(id: number): ZendeskRawTicketField | undefined {
    return this.byIdMap.get(id);
  }

  /** A value as Fieldcast wrote it (numbers as numbers, drop-downs by option name). */
  fromWire(field: ZendeskRawTicketField, value: string | number | boolean | null | undefined): ZendeskWireValue {
    if (value === null || value === undefined) return null;
    if (field.type === 'decimal' || field.type === 'integer') {
      const n = Number(value);
      return Number.isFinite(n) ? n : null;
    }
    if (field.type === 'tagger') return field.custom_field_options?.find((o) => o.value === value)?.name ?? String(value);
    return value;
  }

  /** A value for update_many, or why it cannot be written to this field. */
  toWire(
    field: ZendeskRawTicketField,
    value: string | number | boolean | null,
  ): { ok: true; value: ZendeskWireValue } | { ok: false; message: string } {
    if (value === null) return { ok: true, value: null };
    if (field.type === 'decimal' || field.type === 'integer') {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return { ok: false, message: `${field.title} is a number field; got ${JSON.stringify(value)}` };
      return { ok: true, value: field.type === 'integer' ? Math.round(n) : n };
    }
    if (field.type === 'tagger') {
      const option = field.custom_field_options?.find((o) => o.name === value || o.value === value);
      if (!option)
        return {
          ok: false,
          message: `${field.title} has no option ${JSON.stringify(value)} (options: ${(field.custom_field_options ?? []).map((o) => o.name).join(', ')}); re-run field provisioning`,
        };
      return { ok: true, value: option.value };
    }
    if (field.type === 'checkbox') return { ok: true, value: Boolean(value) };
    return { ok: true, value: String(value) };
  }
}
