/**
 * Vendor-neutral demo records. The generator (demo-data.generator.ts) and the CSV importer produce
 * these; each vendor sandbox maps them into its own object shapes (Lead / contacts, Case / tickets).
 * Signal is learnable on purpose: conversion depends on source, title, company size, industry and
 * engagement; category shows in subject and body; escalation depends on priority, wording, tier, waiting time.
 */
export interface DemoLead {
  /** Stable within a data set: `lead-000001`. Vendors assign their own ids from it. */
  key: string;
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  title: string;
  industry: string;
  /** Lead source: Web, Webinar, Referral, Trade Show, Cold Call, Partner, Advertisement, ... */
  source: string;
  country: string;
  employees: number;
  annualRevenue: number;
  /** Engagement signals. */
  websiteVisits: number;
  emailOpens: number;
  /** Days since the last activity (0 = today). */
  daysSinceLastActivity: number;
  createdAt: string;
  /** History used as the training label: the lead converted (Salesforce IsConverted, HubSpot lifecycle reached opportunity/customer). */
  converted: boolean;
  /** Lifecycle stage as HubSpot shows it (lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer). */
  lifecycleStage: string;
  /** Last change (>= createdAt). Optional: CSV imports may not have it; vendors fall back to createdAt. */
  updatedAt?: string;
  /** Salesforce-style lead status: Open - Not Contacted, Working - Contacted, Closed - Converted, Closed - Not Converted. */
  leadStatus?: string;
  phone?: string;
}

export interface DemoTicket {
  key: string;
  subject: string;
  description: string;
  /** Requester and their organisation's tier (free, standard, premium, enterprise). */
  requesterName: string;
  requesterEmail: string;
  customerTier: string;
  /** Category label for training: e.g. Billing, Technical, Account, Shipping, Feature Request, ... (null = not yet categorised). */
  category: string | null;
  /** Priority at creation and now (low, normal, high, urgent). */
  initialPriority: string;
  priority: string;
  status: string;
  channel: string;
  /** Hours the customer waited for a first reply. */
  hoursToFirstReply: number;
  /** Training label: escalated (Salesforce IsEscalated, priority raised, `escalated` tag, moved to tier 2). */
  escalated: boolean;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  /** Requester's organisation (Zendesk organization, Salesforce Account name). */
  organization?: string;
}

export interface DemoDataSet {
  leads: DemoLead[];
  tickets: DemoTicket[];
}

export interface DemoDataOptions {
  leads: number;
  tickets: number;
  seed: number;
  /**
   * "Now" for the generated history (ISO string); timestamps spread over the two years before it.
   * Fixed by default (DEMO_REFERENCE_TIME) so the same seed gives the same records on any day.
   */
  referenceTime?: string;
}
