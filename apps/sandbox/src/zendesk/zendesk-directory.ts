/**
 * The fixed part of the sandbox account: the account id, the agents (the integration user Fieldcast
 * authenticates as, a human agent whose edits are real customer activity, a restricted agent for
 * permission tests) and the two support tiers as groups (moving a ticket to tier 2 is an escalation).
 */
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskGroup, ZendeskOrganization, ZendeskUser } from './zendesk.types';

export const ZENDESK_ACCOUNT_ID = 12_514_403;
export const ZENDESK_SUBDOMAIN = 'fieldcast-sandbox';

export const ZENDESK_INTEGRATION_USER: ZendeskUser = {
  id: 361_000_000_001,
  name: 'Fieldcast Integration',
  email: 'fieldcast@fieldcast-sandbox.example',
  role: 'admin',
  organizationId: null,
  createdAt: '2024-01-02T09:00:00Z',
};

export const ZENDESK_HUMAN_AGENT: ZendeskUser = {
  id: 361_000_000_002,
  name: 'Alex Agent',
  email: 'alex.agent@fieldcast-sandbox.example',
  role: 'agent',
  organizationId: null,
  createdAt: '2024-01-02T09:00:00Z',
};

export const ZENDESK_RESTRICTED_AGENT: ZendeskUser = {
  id: 361_000_000_003,
  name: 'Riley Light-Agent',
  email: 'riley.light@fieldcast-sandbox.example',
  role: 'agent',
  organizationId: null,
  createdAt: '2024-01-02T09:00:00Z',
  restricted: true,
};

export const ZENDESK_TIER1_GROUP: ZendeskGroup = {
  id: 361_100_000_001,
  name: 'Tier 1 Support',
  description: 'First line: every new ticket lands here.',
  createdAt: '2024-01-02T09:00:00Z',
};

export const ZENDESK_TIER2_GROUP: ZendeskGroup = {
  id: 361_100_000_002,
  name: 'Tier 2 Support',
  description: 'Escalations: tickets tier 1 could not resolve.',
  createdAt: '2024-01-02T09:00:00Z',
};

export function seedZendeskDirectory(store: ZendeskStore): void {
  for (const user of [ZENDESK_INTEGRATION_USER, ZENDESK_HUMAN_AGENT, ZENDESK_RESTRICTED_AGENT]) store.addUser({ ...user });
  for (const group of [ZENDESK_TIER1_GROUP, ZENDESK_TIER2_GROUP]) store.groups.set(group.id, { ...group });
}

export function renderZendeskUser(user: ZendeskUser, baseUrl: string): Record<string, unknown> {
  return {
    id: user.id,
    url: `${baseUrl}/api/v2/users/${user.id}.json`,
    name: user.name,
    email: user.email,
    created_at: user.createdAt,
    updated_at: user.createdAt,
    time_zone: 'UTC',
    locale: 'en-US',
    organization_id: user.organizationId,
    role: user.role,
    role_type: user.restricted ? 1 : null,
    active: true,
    verified: true,
    suspended: false,
    restricted_agent: user.role !== 'end-user' && user.restricted === true,
    ticket_restriction: user.role === 'end-user' ? 'requested' : null,
    tags: [],
    user_fields: {},
  };
}

export function renderZendeskOrganization(organization: ZendeskOrganization, baseUrl: string): Record<string, unknown> {
  return {
    id: organization.id,
    url: `${baseUrl}/api/v2/organizations/${organization.id}.json`,
    name: organization.name,
    created_at: organization.createdAt,
    updated_at: organization.createdAt,
    domain_names: [],
    details: '',
    notes: '',
    group_id: null,
    shared_tickets: false,
    shared_comments: false,
    tags: [`tier_${organization.tier}`],
    organization_fields: { customer_tier: organization.tier },
  };
}

export function renderZendeskGroup(group: ZendeskGroup, baseUrl: string): Record<string, unknown> {
  return {
    id: group.id,
    url: `${baseUrl}/api/v2/groups/${group.id}.json`,
    name: group.name,
    description: group.description,
    default: group.id === ZENDESK_TIER1_GROUP.id,
    deleted: false,
    is_public: true,
    created_at: group.createdAt,
    updated_at: group.createdAt,
  };
}
