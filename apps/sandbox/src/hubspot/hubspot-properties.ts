/**
 * Property definitions and property groups per object type (/crm/v3/properties/{objectType}), and the
 * value validation every write goes through. HubSpot stores every value as a string; the type only
 * decides what strings are accepted and how search compares them.
 */
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

type Seed = [
  name: string,
  label: string,
  type: HubSpotPropertyType,
  fieldType: string,
  group: string,
  extra?: Partial<HubSpotPropertyDefinition>,
];

const READ_ONLY = { readOnlyValue: true };

function options(values: Array<[value: string, label: string]>): Partial<HubSpotPropertyDefinition> {
  return { options: values.map(([value, label], i) => ({ value, label, displayOrder: i, hidden: false })) };
}

export const HUBSPOT_LIFECYCLE_STAGES: Array<[string, string]> = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
];

export const HUBSPOT_ANALYTICS_SOURCES: Array<[string, string]> = [
  ['ORGANIC_SEARCH', 'Organic search'],
  ['PAID_SEARCH', 'Paid search'],
  ['EMAIL_MARKETING', 'Email marketing'],
  ['SOCIAL_MEDIA', 'Organic social'],
  ['REFERRALS', 'Referrals'],
  ['OTHER_CAMPAIGNS', 'Other campaigns'],
  ['DIRECT_TRAFFIC', 'Direct traffic'],
  ['OFFLINE', 'Offline sources'],
  ['PAID_SOCIAL', 'Paid social'],
];

export const HUBSPOT_EMPLOYEE_BANDS: Array<[string, string]> = [
  ['1-5', '1-5'],
  ['5-25', '5-25'],
  ['25-50', '25-50'],
  ['50-100', '50-100'],
  ['100-500', '100-500'],
  ['500-1000', '500-1000'],
  ['1000+', '1000+'],
];

export const HUBSPOT_TICKET_PRIORITIES: Array<[string, string]> = [
  ['LOW', 'Low'],
  ['MEDIUM', 'Medium'],
  ['HIGH', 'High'],
  ['URGENT', 'Urgent'],
];

/** Default support pipeline stages (pipeline "0"). */
export const HUBSPOT_TICKET_STAGES: Array<[string, string]> = [
  ['1', 'New'],
  ['2', 'Waiting on contact'],
  ['3', 'Waiting on us'],
  ['4', 'Closed'],
];

export const HUBSPOT_TICKET_CATEGORIES: Array<[string, string]> = [
  ['PRODUCT_ISSUE', 'Product issue'],
  ['BILLING_ISSUE', 'Billing issue'],
  ['FEATURE_REQUEST', 'Feature request'],
  ['GENERAL_INQUIRY', 'General inquiry'],
];

export const HUBSPOT_DEAL_STAGES: Array<[string, string]> = [
  ['appointmentscheduled', 'Appointment Scheduled'],
  ['qualifiedtobuy', 'Qualified To Buy'],
  ['presentationscheduled', 'Presentation Scheduled'],
  ['decisionmakerboughtin', 'Decision Maker Bought-In'],
  ['contractsent', 'Contract Sent'],
  ['closedwon', 'Closed Won'],
  ['closedlost', 'Closed Lost'],
];

const CONTACT_PROPERTIES: Seed[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', 'contactinformation', READ_ONLY],
  ['createdate', 'Create Date', 'datetime', 'date', 'contactinformation', READ_ONLY],
  ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'contactinformation', READ_ONLY],
  ['email', 'Email', 'string', 'text', 'contactinformation', { hasUniqueValue: false }],
  ['firstname', 'First Name', 'string', 'text', 'contactinformation'],
  ['lastname', 'Last Name', 'string', 'text', 'contactinformation'],
  ['company', 'Company Name', 'string', 'text', 'contactinformation'],
  ['jobtitle', 'Job Title', 'string', 'text', 'contactinformation'],
  ['industry', 'Industry', 'string', 'text', 'contactinformation'],
  ['country', 'Country/Region', 'string', 'text', 'contactinformation'],
  ['numemployees', 'Number of Employees', 'enumeration', 'select', 'contactinformation', options(HUBSPOT_EMPLOYEE_BANDS)],
  ['annualrevenue', 'Annual Revenue', 'number', 'number', 'contactinformation'],
  ['lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'contactinformation', options(HUBSPOT_LIFECYCLE_STAGES)],
  ['hs_lifecyclestage_opportunity_date', 'Became an Opportunity Date', 'datetime', 'date', 'contactinformation', READ_ONLY],
  ['hs_lifecyclestage_customer_date', 'Became a Customer Date', 'datetime', 'date', 'contactinformation', READ_ONLY],
  [
    'hs_analytics_source',
    'Original Source',
    'enumeration',
    'select',
    'analyticsinformation',
    { ...options(HUBSPOT_ANALYTICS_SOURCES), ...READ_ONLY },
  ],
  ['hs_analytics_source_data_1', 'Original Source Drill-Down 1', 'string', 'text', 'analyticsinformation', READ_ONLY],
  ['hs_analytics_num_page_views', 'Number of Pageviews', 'number', 'number', 'analyticsinformation', READ_ONLY],
  ['hs_analytics_num_visits', 'Number of Sessions', 'number', 'number', 'analyticsinformation', READ_ONLY],
  ['hs_email_open', 'Marketing emails opened', 'number', 'number', 'emailinformation', READ_ONLY],
  ['notes_last_updated', 'Last Activity Date', 'datetime', 'date', 'sales_properties', READ_ONLY],
  [
    'hs_lead_status',
    'Lead Status',
    'enumeration',
    'radio',
    'sales_properties',
    options([
      ['NEW', 'New'],
      ['OPEN', 'Open'],
      ['IN_PROGRESS', 'In Progress'],
      ['OPEN_DEAL', 'Open Deal'],
      ['UNQUALIFIED', 'Unqualified'],
      ['CONNECTED', 'Connected'],
      ['BAD_TIMING', 'Bad Timing'],
    ]),
  ],
];

const DEAL_PROPERTIES: Seed[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', 'dealinformation', READ_ONLY],
  ['createdate', 'Create Date', 'datetime', 'date', 'dealinformation', READ_ONLY],
  ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'dealinformation', READ_ONLY],
  ['dealname', 'Deal Name', 'string', 'text', 'dealinformation'],
  ['amount', 'Amount', 'number', 'number', 'dealinformation'],
  ['pipeline', 'Pipeline', 'enumeration', 'select', 'dealinformation', options([['default', 'Sales Pipeline']])],
  ['dealstage', 'Deal Stage', 'enumeration', 'radio', 'dealinformation', options(HUBSPOT_DEAL_STAGES)],
  ['closedate', 'Close Date', 'datetime', 'date', 'dealinformation'],
  ['hs_primary_contact_id', 'Primary contact id (sandbox association)', 'number', 'number', 'dealinformation'],
];

const TICKET_PROPERTIES: Seed[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', 'ticketinformation', READ_ONLY],
  ['createdate', 'Create date', 'datetime', 'date', 'ticketinformation', READ_ONLY],
  ['hs_lastmodifieddate', 'Last modified date', 'datetime', 'date', 'ticketinformation', READ_ONLY],
  ['subject', 'Ticket name', 'string', 'text', 'ticketinformation'],
  ['content', 'Ticket description', 'string', 'textarea', 'ticketinformation'],
  ['hs_pipeline', 'Pipeline', 'enumeration', 'select', 'ticketinformation', options([['0', 'Support Pipeline']])],
  ['hs_pipeline_stage', 'Ticket status', 'enumeration', 'select', 'ticketinformation', options(HUBSPOT_TICKET_STAGES)],
  ['hs_ticket_category', 'Category', 'enumeration', 'checkbox', 'ticketinformation', options(HUBSPOT_TICKET_CATEGORIES)],
  ['hs_ticket_priority', 'Priority', 'enumeration', 'select', 'ticketinformation', options(HUBSPOT_TICKET_PRIORITIES)],
  [
    'source_type',
    'Source',
    'enumeration',
    'select',
    'ticketinformation',
    options([
      ['EMAIL', 'Email'],
      ['CHAT', 'Chat'],
      ['PHONE', 'Phone'],
      ['FORM', 'Form'],
      ['API', 'API'],
    ]),
  ],
  ['time_to_first_agent_reply', 'Time to first agent reply (ms)', 'number', 'number', 'ticketinformation', READ_ONLY],
  ['closed_date', 'Close date', 'datetime', 'date', 'ticketinformation'],
  ['hs_requester_email', 'Requester email (sandbox)', 'string', 'text', 'ticketinformation'],
  [
    'customer_tier',
    'Customer tier',
    'enumeration',
    'select',
    'ticketinformation',
    options([
      ['free', 'Free'],
      ['standard', 'Standard'],
      ['premium', 'Premium'],
      ['enterprise', 'Enterprise'],
    ]),
  ],
];

const GROUPS: Record<HubSpotObjectType, Array<[string, string]>> = {
  contacts: [
    ['contactinformation', 'Contact information'],
    ['analyticsinformation', 'Web analytics history'],
    ['emailinformation', 'Email information'],
    ['sales_properties', 'Sales properties'],
  ],
  deals: [['dealinformation', 'Deal information']],
  tickets: [['ticketinformation', 'Ticket information']],
};

const SEEDS: Record<HubSpotObjectType, Seed[]> = { contacts: CONTACT_PROPERTIES, deals: DEAL_PROPERTIES, tickets: TICKET_PROPERTIES };

/** Default properties a read returns when the caller names none (what the real CRM returns). */
export const HUBSPOT_DEFAULT_READ_PROPERTIES: Record<HubSpotObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  tickets: [
    'content',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_category',
    'hs_ticket_priority',
    'subject',
  ],
};

/** Properties every read includes even when the caller asks for others. */
export const HUBSPOT_ALWAYS_READ_PROPERTIES: Record<HubSpotObjectType, string[]> = {
  contacts: ['createdate', 'hs_object_id', 'lastmodifieddate'],
  deals: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tickets: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

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
    GROUPS[this.objectType].forEach(([name, label], i) => this.groups.set(name, { name, label, displayOrder: i, archived: false }));
    SEEDS[this.objectType].forEach(([name, label, type, fieldType, groupName, extra], i) => {
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
