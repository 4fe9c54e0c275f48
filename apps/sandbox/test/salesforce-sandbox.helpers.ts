/** Shared setup for the Salesforce sandbox e2e specs: a sandbox on a free port and a real jsforce connection to it. */
import { Connection } from 'jsforce';
import { createSalesforceSandbox, type SalesforceSandboxOptions } from '../src/salesforce/salesforce.sandbox';
import type { VendorSandbox } from '../src/common/vendor-sandbox.types';
import type { DemoLead, DemoTicket } from '../src/data/demo-data.types';

export interface SalesforceCredentials {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  instanceUrl: string;
  loginUrl: string;
  apiVersion: string;
  organizationId: string;
  integrationUserId: string;
  adminUserId: string;
  permissionSetId: string;
}

export interface StartedSalesforceSandbox {
  sandbox: VendorSandbox;
  baseUrl: string;
  credentials(): Promise<SalesforceCredentials>;
  connect(overrides?: Partial<SalesforceCredentials>): Promise<Connection>;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<StartedSalesforceSandbox> {
  const sandbox = createSalesforceSandbox(options);
  const baseUrl = await sandbox.start(0);
  const control = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}/__sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as T };
  };
  const credentials = async () => (await control<SalesforceCredentials>('GET', 'credentials')).body;
  const connect = async (overrides: Partial<SalesforceCredentials> = {}) => {
    const c = { ...(await credentials()), ...overrides };
    return new Connection({
      instanceUrl: c.instanceUrl,
      loginUrl: c.loginUrl,
      version: c.apiVersion,
      accessToken: c.accessToken,
      refreshToken: c.refreshToken,
      oauth2: { clientId: c.clientId, clientSecret: c.clientSecret, loginUrl: c.loginUrl },
    });
  };
  return { sandbox, baseUrl, credentials, connect, control };
}

/** Small hand-made demo records (the generator is exercised by the seed-by-counts test). */
export function demoLeads(n: number, overrides: (i: number) => Partial<DemoLead> = () => ({})): DemoLead[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `lead-${String(i + 1).padStart(6, '0')}`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    email: `lead${i}@example.com`,
    company: `Company ${i % 50}`,
    title: i % 3 === 0 ? 'VP Engineering' : 'Analyst',
    industry: i % 2 === 0 ? 'Technology' : 'Finance',
    source: i % 4 === 0 ? 'Referral' : 'Web',
    country: 'DE',
    employees: 10 + i,
    annualRevenue: 100_000 * (i + 1),
    websiteVisits: i % 20,
    emailOpens: i % 7,
    daysSinceLastActivity: i % 30,
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    converted: i % 5 === 0,
    lifecycleStage: i % 5 === 0 ? 'customer' : 'lead',
    ...overrides(i),
  }));
}

export function demoTickets(n: number): DemoTicket[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `ticket-${String(i + 1).padStart(6, '0')}`,
    subject: `Invoice ${i} charged twice`,
    description: 'I was charged twice for my subscription, please refund.',
    requesterName: `Requester ${i}`,
    requesterEmail: `req${i}@example.com`,
    customerTier: i % 2 === 0 ? 'premium' : 'free',
    category: i % 3 === 0 ? null : 'Billing',
    initialPriority: 'normal',
    priority: i % 4 === 0 ? 'urgent' : 'normal',
    status: i % 2 === 0 ? 'open' : 'solved',
    channel: 'email',
    hoursToFirstReply: 3.5,
    escalated: i % 4 === 0,
    tags: ['billing'],
    createdAt: new Date(Date.UTC(2024, 1, 1) + i * 60_000).toISOString(),
    updatedAt: new Date(Date.UTC(2024, 1, 2) + i * 60_000).toISOString(),
  }));
}
