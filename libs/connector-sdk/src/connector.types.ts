/**
 * The connector contract. Each vendor module under connectors/<vendor>/ implements `Connector`;
 * the sync engine, the worker and the API only ever see these types. Raw vendor types never leave
 * connectors/<vendor>/.
 */
import type { RateBudget } from './rate-budget.types';
import type { WebhookHandler } from './webhook.types';

export type VendorId = 'salesforce' | 'hubspot' | 'zendesk';

export type ScoringTask = 'lead-score' | 'ticket-category' | 'escalation-risk';

export type AuthMode = 'oauth2' | 'api_token';

/** What a connector writes back for a task: the logical field and its vendor-side definition. */
export interface FieldSpec {
  /** Logical key, the same for every vendor, e.g. `lead_score`, `score_confidence`, `ticket_category`. */
  key: string;
  /** Vendor API name, configurable per connection, e.g. `Fieldcast_Lead_Score__c`, `fieldcast_lead_score`. */
  name: string;
  label: string;
  type: 'number' | 'percent' | 'text' | 'long_text' | 'picklist';
  /** For picklists: the allowed values (ticket categories). */
  options?: string[];
  description?: string;
}

export interface StreamDescriptor {
  /** Stable stream name used in configuration, cursors and the CLI: `leads`, `cases`, `contacts`, `tickets`. */
  name: string;
  /** The vendor's object name: `Lead`, `Case`, `contacts`, `tickets`. */
  vendorObject: string;
  /** Which scoring tasks this stream feeds. */
  tasks: ScoringTask[];
  /** The vendor field the incremental cursor follows, e.g. `SystemModstamp`, `hs_lastmodifieddate`. */
  cursorField: string;
  /** The largest write batch the vendor accepts for this object (200 / 100 / 100). */
  writeBatchMax: number;
  /** Default write-back fields for this stream (names can be overridden per connection). */
  defaultFields: FieldSpec[];
  /**
   * How the vendor's fields feed the shared scoring module: canonical input name → vendor field
   * (e.g. `source` → `LeadSource`). Provider quirks as data; unmapped vendor fields are passed as-is.
   */
  scoringInputs?: Record<string, string>;
  /**
   * Where the training labels of this stream's history are (per-connection training): a binary task
   * names the field and its positive values; a category task names the field holding the category.
   */
  trainingLabels?: Partial<Record<ScoringTask, TrainingLabelRule>>;
  /** Fields that must never be features because they leak the label or only exist after it (e.g. ConvertedDate). */
  trainingExclude?: string[];
}

export interface TrainingLabelRule {
  field: string;
  /** Binary tasks: values that count as positive (compared case-insensitively as text). */
  positiveValues?: Array<string | number | boolean>;
}

export interface ConnectorDescriptor {
  vendor: VendorId;
  displayName: string;
  authModes: AuthMode[];
  streams: StreamDescriptor[];
  /** Human description of the vendor's rate-limit model, shown in the UI next to the budget. */
  rateLimitModel: string;
  supportsWebhooks: boolean;
}

/** Credentials as held in memory for one call; stored encrypted, decrypted only to build a context. */
export type ConnectionCredentials =
  | {
      kind: 'oauth2';
      accessToken: string;
      refreshToken?: string;
      /** Epoch ms when the access token expires, when the vendor says (HubSpot `expires_in`). */
      expiresAt?: number;
      clientId: string;
      clientSecret: string;
      /** Salesforce: where the token endpoint lives (login.salesforce.com or the sandbox). */
      loginUrl?: string;
      /** Salesforce: the org's instance URL from the token response. */
      instanceUrl?: string;
    }
  | {
      kind: 'api_token';
      /** Zendesk: agent email used with the API token. */
      email: string;
      token: string;
    };

/** Non-secret per-connection settings the connector needs. */
export interface ConnectionSettings {
  /** Vendor base URL: Salesforce instance URL, HubSpot API base, Zendesk `https://<subdomain>.zendesk.com`. */
  baseUrl: string;
  /** Overrides of the default write-back field names, by logical key. */
  fieldNames?: Record<string, string>;
  /** Vendor-specific options (e.g. the Zendesk category field id, tier-2 group ids), validated by the connector. */
  options?: Record<string, unknown>;
  /** The vendor user id Fieldcast writes as, for echo suppression (Salesforce LastModifiedById). */
  integrationUserId?: string;
}

export interface ConnectorLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

export interface ConnectorContext {
  connectionId: string;
  credentials: ConnectionCredentials;
  settings: ConnectionSettings;
  /** The connection's API budget, shared by reads and writes; the connector calls it before every vendor call. */
  budget: RateBudget;
  log: ConnectorLogger;
  signal?: AbortSignal;
  /** Called when the SDK refreshed the token, so the new one is persisted (encrypted) before it is used again. */
  onCredentialsRefreshed(next: ConnectionCredentials): Promise<void>;
  /**
   * Optional (the engine provides it where it can): runs one token refresh of this connection alone
   * across every process and machine (e.g. under a PostgreSQL advisory lock on the connection), handing
   * `refresh` the credentials stored NOW, which another process may have refreshed already, and storing
   * (encrypted) what it returns before the lock is released; `onCredentialsRefreshed` is not called for
   * such a refresh. Vendors that rotate refresh tokens (Zendesk) need it: two processes refreshing with
   * the same refresh token make the second one look revoked. Resolves to the credentials to use.
   */
  refreshCredentialsExclusively?(
    refresh: (stored: ConnectionCredentials) => Promise<ConnectionCredentials>,
  ): Promise<ConnectionCredentials>;
}

export interface CheckItem {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  /** What was found, in words an admin can act on. */
  message: string;
  /** How to fix it, when it failed. */
  fix?: string;
}

export interface CheckResult {
  ok: boolean;
  checks: CheckItem[];
  /** Who we are authenticated as, for the UI ("Connected as integration@acme.com"). */
  identity?: { userId?: string; name?: string; organizationId?: string };
}

/** A vendor record, normalized: vendor field names are kept in `fields` (mappers decide what they mean). */
export interface SyncedRecord {
  externalId: string;
  /** Vendor object name (`Lead`, `contacts`, `tickets`). */
  object: string;
  /** The vendor's modification stamp as an ISO-8601 string; the compound cursor's first part. */
  modstamp: string;
  /** Who last modified it (vendor user id or change source), for echo suppression. */
  lastModifiedBy?: string;
  fields: Record<string, unknown>;
}

export type SyncMode = 'incremental' | 'full';

export interface FetchPageRequest {
  stream: string;
  /** Opaque cursor returned by the previous page (or the previous run); null starts from the beginning. */
  cursor: string | null;
  pageSize: number;
  mode: SyncMode;
}

export interface FetchPageResult {
  records: SyncedRecord[];
  /** External ids deleted at the vendor since the cursor (only from complete, successful listings). */
  deletedIds: string[];
  /** Cursor to save with this page's records, in the same transaction. */
  nextCursor: string | null;
  hasMore: boolean;
}

export interface FieldProvisionResult {
  fields: Array<{ key: string; name: string; status: 'created' | 'exists' | 'failed'; writable: boolean; message?: string }>;
}

export interface WriteOp {
  /** The outbox idempotency key; results are matched back by it. */
  opId: string;
  externalId: string;
  /** Vendor field name → value. */
  fields: Record<string, string | number | boolean | null>;
}

export interface WriteResult {
  opId: string;
  status: 'written' | 'failed';
  /** For failures: coded like ConnectorException, with the vendor's own code and message. */
  error?: { code: string; vendorCode?: string; message: string; retryable: boolean };
}

/** The OAuth 2.0 authorization-code flow of a vendor ("Connect" in the settings UI). */
export interface ConnectorOAuth {
  /** The vendor's consent page for this client and redirect URI; `state` comes back unchanged. */
  authorizeUrl(p: { baseUrl: string; clientId: string; redirectUri: string; state: string }): string;
  /** Trades the code from the redirect for tokens (through the vendor SDK) and the settings they imply. */
  exchangeCode(p: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    code: string;
  }): Promise<{ credentials: ConnectionCredentials; settings: Partial<ConnectionSettings> }>;
}

export interface Connector {
  describe(): ConnectorDescriptor;
  check(ctx: ConnectorContext): Promise<CheckResult>;
  fetchPage(ctx: ConnectorContext, request: FetchPageRequest): Promise<FetchPageResult>;
  /** Reads the current state of specific records (webhook processing, diff before write). */
  fetchByIds(ctx: ConnectorContext, stream: string, externalIds: string[]): Promise<SyncedRecord[]>;
  ensureFields(ctx: ConnectorContext, stream: string, fields: FieldSpec[]): Promise<FieldProvisionResult>;
  writeBatch(ctx: ConnectorContext, request: { stream: string; ops: WriteOp[] }): Promise<WriteResult[]>;
  readonly webhooks?: WebhookHandler;
  /** Present for vendors connected through OAuth consent (Salesforce, HubSpot). */
  readonly oauth?: ConnectorOAuth;
}
