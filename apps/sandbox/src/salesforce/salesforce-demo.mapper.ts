/**
 * Vendor-neutral demo records → Salesforce Lead and Case rows. Ids are derived from the position in
 * the data set, so the same data set always yields the same ids.
 */
import type { DemoLead, DemoTicket } from '../data/demo-data.types';
import { toSalesforceDate, toSalesforceDateTime } from './salesforce-datetime';
import { salesforceId } from './salesforce-ids';
import type { SalesforceRecord } from './salesforce-store';

export interface SalesforceSeedContext {
  /** SystemModstamp given to every seeded record: a bulk load shares one stamp, like a Data Loader import. */
  stamp: string;
  ownerId: string;
  now: number;
}

const LEAD_STATUS: Record<string, string> = {
  lead: 'Open - Not Contacted',
  marketingqualifiedlead: 'Working - Contacted',
  salesqualifiedlead: 'Working - Contacted',
  opportunity: 'Working - Contacted',
  customer: 'Closed - Converted',
};

const CASE_PRIORITY: Record<string, string> = { low: 'Low', normal: 'Medium', medium: 'Medium', high: 'High', urgent: 'Critical' };
const CASE_STATUS: Record<string, string> = {
  new: 'New',
  open: 'Working',
  pending: 'On Hold',
  hold: 'On Hold',
  solved: 'Closed',
  closed: 'Closed',
};
const CASE_REASON: Record<string, string> = {
  Billing: 'Billing Question',
  Technical: 'Performance',
  Account: 'Login Problem',
  Shipping: 'Delivery',
  'Feature Request': 'New Feature',
};

/** The generator's `YYYY-MM-DDThh:mm:ss.sssZ` strings are rewritten without Date round trips (seeding a million records stays fast). */
function stampOf(iso: string, fallback: string): string {
  if (iso.length === 24 && iso.charCodeAt(23) === 90 && iso.charCodeAt(19) === 46 && iso.charCodeAt(10) === 84)
    return `${iso.slice(0, 23)}+0000`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? fallback : toSalesforceDateTime(ms);
}

const activityDates = new Map<number, string>();

function activityDate(now: number, daysAgo: number): string {
  const key = Math.floor(now / 86_400_000) - daysAgo;
  let date = activityDates.get(key);
  if (date === undefined) {
    date = toSalesforceDate(key * 86_400_000);
    if (activityDates.size > 10_000) activityDates.clear();
    activityDates.set(key, date);
  }
  return date;
}

function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

export function mapDemoLeadToSalesforce(lead: DemoLead, index: number, ctx: SalesforceSeedContext): SalesforceRecord {
  const created = stampOf(lead.createdAt, ctx.stamp);
  const status = lead.converted ? 'Closed - Converted' : (LEAD_STATUS[lead.lifecycleStage] ?? 'Open - Not Contacted');
  return {
    Id: salesforceId('00Q', index + 1),
    IsDeleted: false,
    CreatedDate: created,
    CreatedById: ctx.ownerId,
    LastModifiedDate: ctx.stamp,
    LastModifiedById: ctx.ownerId,
    SystemModstamp: ctx.stamp,
    FirstName: lead.firstName,
    LastName: lead.lastName,
    Name: `${lead.firstName} ${lead.lastName}`.trim(),
    Title: lead.title,
    Company: lead.company,
    Email: lead.email,
    Phone: null,
    Country: lead.country,
    LeadSource: lead.source,
    Status: status,
    Industry: lead.industry,
    AnnualRevenue: lead.annualRevenue,
    NumberOfEmployees: lead.employees,
    OwnerId: ctx.ownerId,
    IsConverted: lead.converted,
    ConvertedDate: lead.converted ? created.slice(0, 10) : null,
    LastActivityDate: activityDate(ctx.now, lead.daysSinceLastActivity),
    Website_Visits__c: lead.websiteVisits,
    Email_Opens__c: lead.emailOpens,
  };
}

export function mapDemoTicketToSalesforce(ticket: DemoTicket, index: number, ctx: SalesforceSeedContext): SalesforceRecord {
  const created = stampOf(ticket.createdAt, ctx.stamp);
  const status = CASE_STATUS[ticket.status] ?? 'New';
  const priority = CASE_PRIORITY[ticket.priority] ?? 'Medium';
  return {
    Id: salesforceId('500', index + 1),
    IsDeleted: false,
    CreatedDate: created,
    CreatedById: ctx.ownerId,
    LastModifiedDate: stampOf(ticket.updatedAt, ctx.stamp),
    LastModifiedById: ctx.ownerId,
    SystemModstamp: ctx.stamp,
    CaseNumber: String(1000 + index + 1).padStart(8, '0'),
    Subject: ticket.subject,
    Description: ticket.description,
    SuppliedName: ticket.requesterName,
    SuppliedEmail: ticket.requesterEmail,
    Type: ticket.category,
    Reason: ticket.category === null ? null : (CASE_REASON[ticket.category] ?? 'Other'),
    Status: ticket.escalated && status !== 'Closed' ? 'Escalated' : status,
    Origin: capitalize(ticket.channel),
    Priority: priority,
    IsEscalated: ticket.escalated,
    IsClosed: status === 'Closed',
    ClosedDate: status === 'Closed' ? stampOf(ticket.updatedAt, ctx.stamp) : null,
    OwnerId: ctx.ownerId,
    Customer_Tier__c: ticket.customerTier,
    Initial_Priority__c: CASE_PRIORITY[ticket.initialPriority] ?? 'Medium',
    Hours_To_First_Reply__c: Math.round(ticket.hoursToFirstReply * 100) / 100,
    Tags__c: ticket.tags.join(' ').slice(0, 255) || null,
  };
}
