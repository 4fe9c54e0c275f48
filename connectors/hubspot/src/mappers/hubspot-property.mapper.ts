/**
 * FieldSpec → HubSpot PropertyCreate. HubSpot has no percent or long-text type: percent is a number
 * (0-100) and long text a string shown as a textarea; picklists are enumerations with options.
 * https://developers.hubspot.com/docs/api/crm/properties
 */
import type { FieldSpec } from '@fieldcast/connector-sdk';

export interface HubSpotPropertyInput {
  name: string;
  label: string;
  type: 'number' | 'string' | 'enumeration';
  fieldType: 'number' | 'text' | 'textarea' | 'select';
  groupName: string;
  description: string;
  options?: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
  formField: boolean;
}

export function mapFieldSpecToHubSpotProperty(spec: FieldSpec, groupName: string): HubSpotPropertyInput {
  const base = { name: spec.name, label: spec.label, groupName, description: spec.description ?? '', formField: false };
  switch (spec.type) {
    case 'number':
    case 'percent':
      return { ...base, type: 'number', fieldType: 'number' };
    case 'long_text':
      return { ...base, type: 'string', fieldType: 'textarea' };
    case 'picklist':
      return {
        ...base,
        type: 'enumeration',
        fieldType: 'select',
        options: (spec.options ?? []).map((value, i) => ({ label: value, value, displayOrder: i, hidden: false })),
      };
    default:
      return { ...base, type: 'string', fieldType: 'text' };
  }
}

/** The HubSpot type a FieldSpec needs, to tell an existing property of the wrong type apart. */
export function expectedHubSpotType(spec: FieldSpec): string {
  return mapFieldSpecToHubSpotProperty(spec, '').type;
}

/** HubSpot stores strings; numbers and booleans are written as their text, null clears the value. */
export function toHubSpotValue(value: string | number | boolean | null): string {
  return value === null ? '' : String(value);
}
