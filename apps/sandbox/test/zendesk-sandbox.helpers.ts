/**
 * Shared setup for the Zendesk sandbox e2e tests: a sandbox on a random port, the real node-zendesk
 * client pointed at it, and small typed helpers for the control API.
 */
import { createClient, type ZendeskClient } from 'node-zendesk';
import type { DemoTicket } from '../src/data/demo-data.types';
import { createZendeskSandbox, type ZendeskSandbox } from '../src/zendesk/zendesk.sandbox';

export interface ZendeskTestCredentials {
  baseUrl: string;
  endpointUri: string;
  email: string;
  apiToken: string;
  integrationUserId: number;
  oauth: { clientId: string; clientSecret: string; accessToken: string; refreshToken: string; authorizeUrl: string; tokenUrl: string };
  webhook: { id: string; signingSecret: string; testSigningSecret: string };
  humanAgent: { userId: number; email: string };
  restrictedAgent: { userId: number; email: string };
  ticketFields: { category: number; customerTier: number };
  groups: { tier1: number; tier2: number };
}

export interface ZendeskTestBed {
  sandbox: ZendeskSandbox;
  base: string;
  credentials: ZendeskTestCredentials;
  client: ZendeskClient;
  control<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  clientFor(options: { email?: string; token?: string; oauth?: boolean }): ZendeskClient;
}

export async function startZendeskTestBed(): Promise<ZendeskTestBed> {
  const sandbox = createZendeskSandbox({});
  const base = await sandbox.start(0);
  const credentials = sandbox.credentials() as unknown as ZendeskTestCredentials;
  const clientFor = (options: { email?: string; token?: string; oauth?: boolean }): ZendeskClient =>
    options.oauth
      ? createClient({ token: options.token ?? credentials.oauth.accessToken, oauth: true, endpointUri: credentials.endpointUri })
      : createClient({
          username: options.email ?? credentials.email,
          token: options.token ?? credentials.apiToken,
          endpointUri: credentials.endpointUri,
        });
  return {
    sandbox,
    base,
    credentials,
    client: clientFor({}),
    clientFor,
    async control<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const response = await fetch(`${base}/__sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as T };
    },
  };
}

/** A small hand-made data set: deterministic tickets with known priorities, tiers and escalations. */
export function zendeskDemoTickets(count: number, options: { sameUpdatedAt?: boolean } = {}): DemoTicket[] {
  const categories = ['Billing', 'Technical', 'Account', null];
  const tiers = ['free', 'standard', 'premium', 'enterprise'];
  const priorities = ['low', 'normal', 'high', 'urgent'];
  return Array.from({ length: count }, (_, i) => {
    const created = Date.parse('2025-01-01T00:00:00Z') + i * 60_000;
    const escalated = i % 5 === 0;
    const tier = tiers[i % 4]!;
    return {
      key: `ticket-${String(i + 1).padStart(6, '0')}`,
      subject: `Ticket ${i + 1}: ${categories[i % 4] ?? 'general'} question`,
      description: `Customer ${i + 1} needs help.`,
      requesterName: `Requester ${i % 7}`,
      requesterEmail: `requester${i % 7}@org${i % 3}.example`,
      customerTier: tier,
      category: categories[i % 4] ?? null,
      initialPriority: priorities[i % 3]!,
      priority: escalated ? 'urgent' : priorities[i % 3]!,
      status: i % 9 === 8 ? 'closed' : 'open',
      channel: 'email',
      hoursToFirstReply: 2,
      escalated,
      tags: [`tier_${tier}`, ...(escalated ? ['escalated'] : [])],
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(options.sameUpdatedAt ? Date.parse('2025-06-01T00:00:00Z') : created + 3_600_000).toISOString(),
      organization: `Org ${i % 3}`,
    };
  });
}

/** What node-zendesk's `request`-based methods resolve to (its .d.ts declares less precise types). */
export interface ZendeskSdkResult<T> {
  response: { status: number; headers: { get(name: string): string | null } };
  result: T;
}

export async function sdk<T>(call: Promise<unknown>): Promise<ZendeskSdkResult<T>> {
  return (await call) as ZendeskSdkResult<T>;
}

export interface WireTicket {
  id: number;
  url: string;
  subject: string;
  status: string;
  priority: string | null;
  type: string | null;
  group_id: number | null;
  requester_id: number;
  organization_id: number | null;
  tags: string[];
  custom_fields: Array<{ id: number; value: string | boolean | null }>;
  created_at: string;
  updated_at: string;
  generated_timestamp: number;
  via: { channel: string };
}
