/**
 * The built-in HubSpot properties and property groups per object type, as the sandbox seeds them, and
 * which properties a read returns by default. Data only; the registry is in hubspot-properties.ts.
 */
import type { HubSpotPropertyDefinition, HubSpotPropertyType } from './hubspot-properties';
import type { HubSpotObjectType } from './hubspot-sandbox.types';

export type HubSpotPropertySeed = [
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

const CONTACT_PROPERTIES: HubSpotPropertySeed[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', 'contactinformation', READ_ONLY],
  ['createdate', 'Create Date', 'datetime', 'date', 'contactinformation', READ_ONLY],
  ['lastmodifieddate', 'Last Modified Date', 'datetime', 'date', 'contactinformation', READ_ONLY],
  ['phone', 'Phone Number', 'phone_number', 'phonenumber', 'contactinformation'],
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

const DEAL_PROPERTIES: HubSpotPropertySeed[] = [
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

const TICKET_PROPERTIES: HubSpotPropertySeed[] = [
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

export const HUBSPOT_PROPERTY_GROUPS: Record<HubSpotObjectType, Array<[string, string]>> = {
  contacts: [
    ['contactinformation', 'Contact information'],
    ['analyticsinformation', 'Web analytics history'],
    ['emailinformation', 'Email information'],
    ['sales_properties', 'Sales properties'],
  ],
  deals: [['dealinformation', 'Deal information']],
  tickets: [['ticketinformation', 'Ticket information']],
};

export const HUBSPOT_PROPERTY_SEEDS: Record<HubSpotObjectType, HubSpotPropertySeed[]> = {
  contacts: CONTACT_PROPERTIES,
  deals: DEAL_PROPERTIES,
  tickets: TICKET_PROPERTIES,
};

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
