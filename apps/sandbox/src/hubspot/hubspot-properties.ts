/**
 * Property definitions and property groups per object type (/crm/v3/properties/{objectType}), and the
 * value validation every write goes through. HubSpot stores every value as a string; the type only
 * decides what strings are accepted and how search compares them.
 */
import { HUBSPOT_PROPERTY_GROUPS, HUBSPOT_PROPERTY_SEEDS } from './hubspot-property-catalog';
import type { HubSpotObjectType } from './hubspot-sandbox.types';

export const HUBSPOT_PROPERTY_TYPES = ['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string'] as const;
export const HUBSPOT_FIELD_TYPES = [
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
] as const;

export type HubSpotPropertyType = (typeof HUBSPOT_PROPERTY_TYPES)[number];

export interface HubSpotPropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface HubSpotPropertyDefinition {
  name: string;
  label: string;
  type: HubSpotPropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: HubSpotPropertyOption[];
  displayOrder: number;
  hubspotDefined: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  calculated: boolean;
  /** The CRM computes it (ids, dates): writes are rejected. */
  readOnlyValue: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface HubSpotPropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/** One rejected value, in HubSpot's "Property values were not valid" list format. */
export interface HubSpotPropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

export interface HubSpotPropertyCreateInput {
  name?: unknown;
  label?: unknown;
  type?: unknown;
  fieldType?: unknown;
  groupName?: unknown;
  description?: unknown;
  options?: unknown;
  displayOrder?: unknown;
  hasUniqueValue?: unknown;
  hidden?: unknown;
  formField?: unknown;
}

export type HubSpotCreateOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: 400 | 409; category: string; message: string; errors?: Array<{ message: string; in?: string; code?: string }> };

/** The property catalog of one object type. */
export class HubSpotPropertyRegistry {
  private readonly properties = new Map<string, HubSpotPropertyDefinition>();
  private readonly groups = new Map<string, HubSpotPropertyGroup>();

  constructor(readonly objectType: HubSpotObjectType) {
    this.reset();
  }

  reset(): void {
    this.properties.clear();
    this.groups.clear();
    const t = Date.parse('2019-08-06T00:00:00.000Z');
    HUBSPOT_PROPERTY_GROUPS[this.objectType].forEach(([name, label], i) =>
      this.groups.set(name, { name, label, displayOrder: i, archived: false }),
    );
    HUBSPOT_PROPERTY_SEEDS[this.objectType].forEach(([name, label, type, fieldType, groupName, extra], i) => {
      this.properties.set(name, {
        name,
        label,
        type,
        fieldType,
        groupName,
        description: '',
        options: [],
        displayOrder: i,
        hubspotDefined: true,
        hasUniqueValue: false,
        hidden: false,
        formField: !extra?.readOnlyValue,
        calculated: false,
        readOnlyValue: false,
        createdAt: t,
        updatedAt: t,
        ...extra,
      });
    });
  }

  get(name: string): HubSpotPropertyDefinition | undefined {
    return this.properties.get(name);
  }

  has(name: string): boolean {
    return this.properties.has(name);
  }

  list(): HubSpotPropertyDefinition[] {
    return [...this.properties.values()];
  }

  listGroups(): HubSpotPropertyGroup[] {
    return [...this.groups.values()];
  }

  getGroup(name: string): HubSpotPropertyGroup | undefined {
    return this.groups.get(name);
  }

  /** Adds enumeration options seen in seeded data (portals extend the default category list). */
  addOptions(propertyName: string, values: Array<[value: string, label: string]>): void {
    const property = this.properties.get(propertyName);
    if (!property) return;
    for (const [value, label] of values) {
      if (property.options.some((o) => o.value === value)) continue;
      property.options.push({ value, label, displayOrder: property.options.length, hidden: false });
    }
  }

  /**
   * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/post-crm-v3-properties-objectType
   * Required: name, label, type, fieldType, groupName; options for enumerations; 409 on a duplicate name.
   */
  create(input: HubSpotPropertyCreateInput, now = Date.now()): HubSpotCreateOutcome<HubSpotPropertyDefinition> {
    const errors: Array<{ message: string; in: string; code: string }> = [];
    const text = (key: keyof HubSpotPropertyCreateInput): string | undefined => {
      const value = input[key];
      if (typeof value === 'string' && value.trim() !== '') return value;
      errors.push({ message: `${key} is required and must be a non-empty string`, in: key, code: 'REQUIRED_FIELD' });
      return undefined;
    };
    const name = text('name');
    const label = text('label');
    const type = text('type');
    const fieldType = text('fieldType');
    const groupName = text('groupName');
    if (name && !/^[a-z][a-z0-9_]*$/.test(name))
      errors.push({
        message: `name "${name}" must start with a lowercase letter and use only a-z, 0-9 and _`,
        in: 'name',
        code: 'INVALID_NAME',
      });
    if (type && !(HUBSPOT_PROPERTY_TYPES as readonly string[]).includes(type))
      errors.push({ message: `type "${type}" is not one of ${HUBSPOT_PROPERTY_TYPES.join(', ')}`, in: 'type', code: 'INVALID_ENUM' });
    if (fieldType && !(HUBSPOT_FIELD_TYPES as readonly string[]).includes(fieldType))
      errors.push({
        message: `fieldType "${fieldType}" is not one of ${HUBSPOT_FIELD_TYPES.join(', ')}`,
        in: 'fieldType',
        code: 'INVALID_ENUM',
      });
    if (groupName && !this.groups.has(groupName))
      errors.push({
        message: `property group "${groupName}" does not exist for ${this.objectType}; create it first with POST /crm/v3/properties/${this.objectType}/groups`,
        in: 'groupName',
        code: 'INVALID_GROUP',
      });
    const parsedOptions: HubSpotPropertyOption[] = [];
    if (input.options !== undefined) {
      if (!Array.isArray(input.options))
        errors.push({ message: 'options must be an array of {label, value}', in: 'options', code: 'INVALID_TYPE' });
      else
        input.options.forEach((raw: unknown, i) => {
          const o = raw as { label?: unknown; value?: unknown; displayOrder?: unknown; hidden?: unknown; description?: unknown };
          if (typeof o?.label !== 'string' || typeof o?.value !== 'string')
            errors.push({ message: `options[${i}] needs string label and value`, in: `options[${i}]`, code: 'INVALID_TYPE' });
          else
            parsedOptions.push({
              label: o.label,
              value: o.value,
              displayOrder: typeof o.displayOrder === 'number' ? o.displayOrder : i,
              hidden: o.hidden === true,
              ...(typeof o.description === 'string' ? { description: o.description } : {}),
            });
        });
    }
    if (type === 'enumeration' && parsedOptions.length === 0)
      errors.push({ message: 'options are required for enumeration properties', in: 'options', code: 'REQUIRED_FIELD' });
    if (errors.length || !name || !label || !type || !fieldType || !groupName) {
      return {
        ok: false,
        status: 400,
        category: 'VALIDATION_ERROR',
        message: `Invalid input JSON: ${errors.map((e) => e.message).join('; ')}`,
        errors,
      };
    }
    if (this.properties.has(name)) {
      return { ok: false, status: 409, category: 'OBJECT_ALREADY_EXISTS', message: `A property named '${name}' already exists.` };
    }
    const definition: HubSpotPropertyDefinition = {
      name,
      label,
      type: type as HubSpotPropertyType,
      fieldType,
      groupName,
      description: typeof input.description === 'string' ? input.description : '',
      options: parsedOptions,
      displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
      hubspotDefined: false,
      hasUniqueValue: input.hasUniqueValue === true,
      hidden: input.hidden === true,
      formField: input.formField === true,
      calculated: false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
    };
    this.properties.set(name, definition);
    return { ok: true, value: definition };
  }

  /** https://developers.hubspot.com/docs/api-reference/crm-properties-v3/groups/post-crm-v3-properties-objectType-groups */
  createGroup(input: { name?: unknown; label?: unknown; displayOrder?: unknown }): HubSpotCreateOutcome<HubSpotPropertyGroup> {
    if (typeof input.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(input.name) || typeof input.label !== 'string' || !input.label) {
      return {
        ok: false,
        status: 400,
        category: 'VALIDATION_ERROR',
        message: 'Invalid input JSON: name (lowercase letters, digits, _) and label are required',
      };
    }
    if (this.groups.has(input.name)) {
      return {
        ok: false,
        status: 409,
        category: 'OBJECT_ALREADY_EXISTS',
        message: `A property group named '${input.name}' already exists.`,
      };
    }
    const group = {
      name: input.name,
      label: input.label,
      displayOrder: typeof input.displayOrder === 'number' ? input.displayOrder : -1,
      archived: false,
    };
    this.groups.set(group.name, group);
    return { ok: true, value: group };
  }

  /**
   * Checks and normalizes one value for a write. Returns the stored string (null clears the value) or
   * the problem in HubSpot's format.
   */
  normalizeValue(name: string, raw: unknown): { value: string | null } | { problem: HubSpotPropertyProblem } {
    const property = this.properties.get(name);
    const problem = (error: string, message: string) => ({ problem: { isValid: false as const, message, error, name } });
    if (!property) return problem('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
    if (property.readOnlyValue) return problem('READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`);
    if (raw === null || raw === undefined || raw === '') return { value: null };
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
      return problem('INVALID_TYPE', `${JSON.stringify(raw)} is not a valid value for "${name}"; values are strings`);
    const text = String(raw);
    switch (property.type) {
      case 'number':
        return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim())
          ? { value: text.trim() }
          : problem('INVALID_FLOAT', `${JSON.stringify(text)} was not a valid number.`);
      case 'bool':
        return text === 'true' || text === 'false'
          ? { value: text }
          : problem('INVALID_BOOLEAN', `${JSON.stringify(text)} was not a valid boolean (true or false).`);
      case 'enumeration': {
        const allowed = new Set(property.options.map((o) => o.value));
        const parts = property.fieldType === 'checkbox' ? text.split(';') : [text];
        const bad = parts.find((p) => !allowed.has(p));
        return bad === undefined
          ? { value: text }
          : problem('INVALID_OPTION', `${JSON.stringify(bad)} was not one of the allowed options: [${[...allowed].join(', ')}]`);
      }
      case 'datetime':
      case 'date': {
        const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
        if (Number.isNaN(ms))
          return problem('INVALID_DATE', `${JSON.stringify(text)} is not a valid date; use epoch milliseconds or ISO 8601.`);
        return { value: property.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString() };
      }
      default:
        return text.length > 65_536 ? problem('INVALID_LENGTH', `value for "${name}" is longer than 65536 characters`) : { value: text };
    }
  }
}

export function serializeHubSpotProperty(p: HubSpotPropertyDefinition): Record<string, unknown> {
  return {
    updatedAt: new Date(p.updatedAt).toISOString(),
    createdAt: new Date(p.createdAt).toISOString(),
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options,
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: false,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined,
    modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue: p.readOnlyValue },
    formField: p.formField,
    archived: false,
  };
}
