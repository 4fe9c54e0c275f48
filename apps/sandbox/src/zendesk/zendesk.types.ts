/**
 * Zendesk Support shapes as the sandbox stores and serves them. Wire shapes follow the Support API
 * OAS (TicketObject, JobStatusObject, TicketFieldObject) and ../shared/reference/vendor-apis.md §3.
 */
import type { DemoTicket } from '../data/demo-data.types';

export const ZENDESK_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const ZENDESK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const ZENDESK_TICKET_TYPES = ['problem', 'incident', 'question', 'task'] as const;

export type ZendeskStatus = (typeof ZENDESK_STATUSES)[number] | 'deleted';
export type ZendeskPriority = (typeof ZENDESK_PRIORITIES)[number];
export type ZendeskTicketType = (typeof ZENDESK_TICKET_TYPES)[number];

/** Zendesk returns checkbox values as booleans and every other custom field value as a string. */
export type ZendeskFieldValue = string | boolean | null;

export interface ZendeskVia {
  channel: string;
  source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null };
}

export interface ZendeskTicketRecord {
  id: number;
  externalId: string | null;
  subject: string;
  description: string;
  status: ZendeskStatus;
  priority: ZendeskPriority | null;
  type: ZendeskTicketType | null;
  tags: string[];
  groupId: number | null;
  assigneeId: number | null;
  requesterId: number;
  submitterId: number;
  organizationId: number | null;
  createdAt: string;
  updatedAt: string;
  /** Epoch seconds of the last change of any kind; the incremental export follows it. */
  generatedTimestamp: number;
  via: ZendeskVia;
  /** Custom field values by field id (unset fields are absent). */
  customFields: Map<number, ZendeskFieldValue>;
  /** Bumped on every change; export log entries of older versions are skipped. */
  version: number;
  /** The demo record the ticket came from: its history audits are derived on demand (cheap seeding). */
  demo?: DemoTicket;
  /** Audits written through the API after seeding. */
  audits: ZendeskAudit[];
}

export interface ZendeskAuditEvent {
  id: number;
  type: 'Create' | 'Change' | 'Comment';
  field_name?: string;
  value?: unknown;
  previous_value?: unknown;
  body?: string;
  public?: boolean;
}

export interface ZendeskAudit {
  id: number;
  ticket_id: number;
  created_at: string;
  author_id: number;
  metadata: Record<string, unknown>;
  via: { channel: string; source: Record<string, unknown> };
  events: ZendeskAuditEvent[];
}

export type ZendeskUserRole = 'admin' | 'agent' | 'end-user';

export interface ZendeskUser {
  id: number;
  name: string;
  email: string;
  role: ZendeskUserRole;
  organizationId: number | null;
  createdAt: string;
  /** Agents that may not create or change ticket fields (light / restricted agents). */
  restricted?: boolean;
}

export interface ZendeskOrganization {
  id: number;
  name: string;
  tier: string;
  createdAt: string;
}

export interface ZendeskGroup {
  id: number;
  name: string;
  description: string;
  createdAt: string;
}

export interface ZendeskCustomFieldOption {
  id: number;
  name: string;
  value: string;
}

export interface ZendeskTicketField {
  id: number;
  type: string;
  title: string;
  description: string;
  active: boolean;
  /** System fields (subject, status, ...) are listed but never appear in custom_fields. */
  system: boolean;
  removable: boolean;
  options: ZendeskCustomFieldOption[];
  tag: string | null;
  position: number;
  createdAt: string;
  updatedAt: string;
  /** Who created it (null for seeded fields); the record viewer highlights API-created fields. */
  creatorUserId: number | null;
}

export type ZendeskJobState = 'queued' | 'working' | 'completed' | 'failed' | 'killed';

export type ZendeskJobResult =
  | { action: 'update'; id: number; status: 'Updated'; success: true }
  | { action: 'update'; id: number; success: false; error: string; details: string };

export interface ZendeskTicketChange {
  id: number;
  changes: Record<string, unknown>;
}

export interface ZendeskJob {
  id: string;
  jobType: 'bulk_update';
  status: ZendeskJobState;
  total: number;
  progress: number | null;
  message: string | null;
  results: ZendeskJobResult[] | null;
  createdAt: number;
  work: ZendeskTicketChange[];
  actorId: number;
  viaChannel: string;
}

export interface ZendeskWebhook {
  id: string;
  name: string;
  status: 'active' | 'inactive';
  endpoint: string | null;
  httpMethod: 'POST';
  requestFormat: 'json';
  subscriptions: string[];
  signingSecret: string;
  createdAt: string;
  createdBy: number;
}
