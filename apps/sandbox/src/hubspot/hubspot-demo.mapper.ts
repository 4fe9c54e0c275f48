/**
 * Maps the vendor-neutral demo records into HubSpot shapes: a DemoLead becomes a contact (and, when
 * it converted, a deal), a DemoTicket becomes a ticket whose priority history shows escalations.
 * The original lead source survives in `hs_analytics_source_data_1` because HubSpot's source
 * buckets are coarser than the demo's and the scoring signal must stay learnable.
 */
import type { DemoLead, DemoTicket } from '../data/demo-data.types';
import { isoSeconds } from '../data/demo-timeline';
import type { HubSpotPropertyVersion } from './hubspot-sandbox.types';

const DAY_MS = 86_400_000;

const SOURCE_BUCKETS: Record<string, string> = {
  Web: 'ORGANIC_SEARCH',
  Referral: 'REFERRALS',
  Partner: 'REFERRALS',
  Webinar: 'OTHER_CAMPAIGNS',
  'Trade Show': 'OFFLINE',
  'Email Campaign': 'EMAIL_MARKETING',
  Advertisement: 'PAID_SEARCH',
  'Social Media': 'SOCIAL_MEDIA',
  'Cold Call': 'OFFLINE',
  'Purchased List': 'OFFLINE',
};

export function hubSpotSourceBucket(source: string): string {
  return SOURCE_BUCKETS[source] ?? 'OTHER_CAMPAIGNS';
}

export function hubSpotEmployeeBand(employees: number): string {
  if (employees < 5) return '1-5';
  if (employees < 25) return '5-25';
  if (employees < 50) return '25-50';
  if (employees < 100) return '50-100';
  if (employees < 500) return '100-500';
  if (employees < 1000) return '500-1000';
  return '1000+';
}

const LIFECYCLE_ORDER = ['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];

const LEAD_STATUS: Record<string, string> = {
  'Closed - Converted': 'OPEN_DEAL',
  'Closed - Not Converted': 'UNQUALIFIED',
  'Working - Contacted': 'CONNECTED',
  'Open - Not Contacted': 'NEW',
};

export interface HubSpotSeedRecord {
  properties: Record<string, string | null>;
  createdAt: number;
  updatedAt: number;
  history?: Record<string, HubSpotPropertyVersion[]>;
}

/** Seeding formats millions of dates; whole seconds go through the generator's cached formatter. */
function iso(ms: number): string {
  return ms % 1000 === 0 ? isoSeconds(ms) : new Date(ms).toISOString();
}

/** The lifecycle stages a contact walked through to reach `stage`, oldest first. */
function lifecycleSteps(stage: string): string[] {
  const last = LIFECYCLE_ORDER.indexOf(stage);
  return last >= 0 ? LIFECYCLE_ORDER.slice(0, last + 1) : ['lead', stage];
}

/** When step i of n was reached: spread evenly between creation and the last update. */
function stepTime(i: number, n: number, createdAt: number, updatedAt: number): number {
  const at = createdAt + Math.floor((Math.max(1, updatedAt - createdAt) * i) / Math.max(1, n - 1));
  return i === n - 1 ? at : Math.floor(at / 1000) * 1000;
}

/**
 * lifecyclestage history, newest first. Derived on demand (not stored per record) because a million
 * seeded contacts with five version objects each would dominate the sandbox's memory and seed time.
 */
export function hubSpotLifecycleHistory(stage: string, createdAt: number, updatedAt: number): HubSpotPropertyVersion[] {
  const steps = lifecycleSteps(stage);
  return steps
    .map((value, i) => ({ value, timestamp: stepTime(i, steps.length, createdAt, updatedAt), sourceType: i === 0 ? 'FORM' : 'CRM_UI' }))
    .reverse();
}

export function mapDemoLeadToHubSpotContact(lead: DemoLead): HubSpotSeedRecord {
  const createdAt = Date.parse(lead.createdAt);
  const updatedAt = Math.max(createdAt, lead.updatedAt ? Date.parse(lead.updatedAt) : createdAt);
  const steps = lifecycleSteps(lead.lifecycleStage);
  const reached = (stage: string) => {
    const i = steps.indexOf(stage);
    return i < 0 ? null : iso(stepTime(i, steps.length, createdAt, updatedAt));
  };
  // One object literal with every key (ids and dates included) keeps all contacts on one hidden class.
  const properties: Record<string, string | null> = {
    hs_object_id: null,
    createdate: iso(createdAt),
    lastmodifieddate: iso(updatedAt),
    email: lead.email,
    phone: lead.phone ?? null,
    firstname: lead.firstName,
    lastname: lead.lastName,
    company: lead.company,
    jobtitle: lead.title,
    industry: lead.industry,
    country: lead.country,
    numemployees: hubSpotEmployeeBand(lead.employees),
    annualrevenue: String(lead.annualRevenue),
    lifecyclestage: lead.lifecycleStage,
    hs_lifecyclestage_opportunity_date: reached('opportunity'),
    hs_lifecyclestage_customer_date: reached('customer'),
    hs_analytics_source: hubSpotSourceBucket(lead.source),
    hs_analytics_source_data_1: lead.source,
    hs_analytics_num_page_views: String(lead.websiteVisits),
    hs_analytics_num_visits: String(Math.max(lead.websiteVisits > 0 ? 1 : 0, Math.round(lead.websiteVisits / 3))),
    hs_email_open: String(lead.emailOpens),
    notes_last_updated: iso(Math.max(createdAt, updatedAt - lead.daysSinceLastActivity * DAY_MS)),
    hs_lead_status: (lead.leadStatus && LEAD_STATUS[lead.leadStatus]) ?? null,
  };
  return { properties, createdAt, updatedAt };
}

/** Converted leads also have a deal (won for customers, in the pipeline for opportunities). */
export function mapDemoLeadToHubSpotDeal(lead: DemoLead, contactId: string): HubSpotSeedRecord | undefined {
  if (!lead.converted) return undefined;
  const createdAt = Date.parse(lead.createdAt);
  const updatedAt = Math.max(createdAt, lead.updatedAt ? Date.parse(lead.updatedAt) : createdAt);
  const won = lead.lifecycleStage === 'customer';
  const amount = Math.max(1000, Math.round(lead.annualRevenue / 2000 / 100) * 100);
  return {
    properties: {
      hs_object_id: null,
      createdate: iso(createdAt),
      hs_lastmodifieddate: iso(updatedAt),
      dealname: `${lead.company} - New Deal`,
      amount: String(amount),
      pipeline: 'default',
      dealstage: won ? 'closedwon' : 'presentationscheduled',
      closedate: won ? iso(updatedAt) : iso(updatedAt + 30 * DAY_MS),
      hs_primary_contact_id: contactId,
    },
    createdAt,
    updatedAt,
  };
}

const PRIORITY: Record<string, string> = { low: 'LOW', normal: 'MEDIUM', medium: 'MEDIUM', high: 'HIGH', urgent: 'URGENT' };
const SOURCE_TYPE: Record<string, string> = { email: 'EMAIL', web: 'FORM', chat: 'CHAT', phone: 'PHONE', api: 'API' };
const STAGE: Record<string, string> = { new: '1', open: '1', pending: '2', hold: '3', solved: '4', closed: '4' };

/** `Feature Request` → `FEATURE_REQUEST`: the enumeration value HubSpot would hold for a portal-defined category. */
export function hubSpotCategoryValue(category: string): string {
  return category
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function hubSpotPriority(priority: string): string {
  return PRIORITY[priority.toLowerCase()] ?? 'MEDIUM';
}

export function mapDemoTicketToHubSpotTicket(ticket: DemoTicket): HubSpotSeedRecord {
  const createdAt = Date.parse(ticket.createdAt);
  const updatedAt = Math.max(createdAt, Date.parse(ticket.updatedAt));
  const stage = STAGE[ticket.status.toLowerCase()] ?? '1';
  const initial = hubSpotPriority(ticket.initialPriority);
  const current = hubSpotPriority(ticket.priority);
  // Only escalated / re-prioritised tickets store history; the rest get the one-version default on read.
  const history: Record<string, HubSpotPropertyVersion[]> | undefined =
    initial === current
      ? undefined
      : {
          hs_ticket_priority: [
            // The escalation (priority raised) happened after the first reply window, before the last update.
            {
              value: current,
              timestamp: Math.min(updatedAt, createdAt + Math.max(1, ticket.hoursToFirstReply) * 3_600_000),
              sourceType: 'CRM_UI',
              sourceId: 'userId:2001',
            },
            { value: initial, timestamp: createdAt, sourceType: 'EMAIL' },
          ],
        };
  return {
    properties: {
      hs_object_id: null,
      createdate: iso(createdAt),
      hs_lastmodifieddate: iso(updatedAt),
      subject: ticket.subject,
      content: ticket.description,
      hs_pipeline: '0',
      hs_pipeline_stage: stage,
      hs_ticket_category: ticket.category === null ? null : hubSpotCategoryValue(ticket.category),
      hs_ticket_priority: current,
      source_type: SOURCE_TYPE[ticket.channel.toLowerCase()] ?? 'EMAIL',
      time_to_first_agent_reply: String(Math.round(ticket.hoursToFirstReply * 3_600_000)),
      closed_date: stage === '4' ? iso(updatedAt) : null,
      hs_requester_email: ticket.requesterEmail,
      customer_tier: ticket.customerTier,
    },
    createdAt,
    updatedAt,
    ...(history ? { history } : {}),
  };
}
