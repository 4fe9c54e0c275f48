/**
 * Zendesk wire shapes as node-zendesk returns them (only what the connector reads). They never leave
 * connectors/zendesk/: mappers turn them into SyncedRecord / WriteResult / WebhookEvent.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#json-format
 */
export interface ZendeskRawCustomField {
  id: number;
  value: string | number | boolean | null;
}

export interface ZendeskRawTicket {
  id: number;
  external_id?: string | null;
  subject?: string | null;
  description?: string | null;
  status: string;
  priority?: string | null;
  type?: string | null;
  tags?: string[];
  group_id?: number | null;
  assignee_id?: number | null;
  requester_id?: number | null;
  organization_id?: number | null;
  created_at?: string;
  updated_at?: string;
  generated_timestamp?: number;
  via?: { channel?: string };
  custom_fields?: ZendeskRawCustomField[];
}

export interface ZendeskRawExportPage {
  tickets: ZendeskRawTicket[];
  after_cursor: string | null;
  after_url?: string | null;
  end_of_stream: boolean;
}

export interface ZendeskRawTicketField {
  id: number;
  type: string;
  title: string;
  active?: boolean;
  agent_can_edit?: boolean;
  removable?: boolean;
  custom_field_options?: Array<{ id?: number; name: string; value: string }>;
}

export interface ZendeskRawJobResult {
  id: number;
  action?: string;
  success?: boolean;
  status?: string;
  error?: string;
  details?: string;
}

export interface ZendeskRawJobStatus {
  id: string;
  status: string;
  total?: number | null;
  progress?: number | null;
  message?: string | null;
  results?: ZendeskRawJobResult[] | null;
}

export interface ZendeskRawUser {
  id: number;
  name?: string;
  email?: string;
  role?: string;
  restricted_agent?: boolean;
}

/** What node-zendesk's request methods resolve to. */
export interface ZendeskSdkResponse<T> {
  response?: { status: number; headers: { get(name: string): string | null } };
  result: T | Error;
}
