/** Shapes of the admin API answers (see /docs for the OpenAPI document). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface User {
  id: string;
  email: string;
  role: 'admin' | 'viewer';
}

export interface SessionState {
  needsSetup: boolean;
  user: User | null;
  csrfToken: string | null;
}

export interface Health {
  lastSuccessfulSyncAt: string | null;
  lastRunApiCalls: number | null;
  lastRunStatus: string | null;
  errorRate: number | null;
  runsCounted: number;
  webhookLagMs: number | null;
  webhookPending: number;
  oldestPendingWebhookMs: number | null;
  deadLetters: number;
  runningRunId: string | null;
}

export interface StreamView {
  name: string;
  vendorObject: string;
  availableTasks: string[];
  defaultFields: Array<{ key: string; name: string; label: string; type: string }>;
  enabled: boolean;
  tasks: string[];
  fields: Record<string, string>;
  writePolicy: 'overwrite' | 'only_when_empty';
  autoWriteThreshold: number;
  shadowMode: boolean;
}

export type Schedule = { kind: 'interval'; minutes: number } | { kind: 'cron'; expression: string };

export interface Connection {
  id: string;
  name: string;
  vendor: string;
  vendorName: string;
  status: 'pending' | 'active' | 'paused' | 'needs_reauth' | 'error';
  authMode: string;
  baseUrl: string | null;
  isDemo: boolean;
  hasCredentials: boolean;
  lastError: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
  schedule: Schedule;
  streams: StreamView[];
  health: Health | null;
}

/** GET /connections/:id/webhook-endpoint (masked) and POST …/webhook-endpoint/reveal (admins: full URL). */
export interface WebhookEndpoint {
  vendor: string;
  /** What the vendor calls the field the URL goes into. */
  label: string;
  /** Where to paste it, one line. */
  instructions: string;
  /** The full URL, or (secretInUrl and not revealed) with its secret segment masked. */
  url: string;
  /** The URL's last segment is a secret (Salesforce outbound messages): admins only. */
  secretInUrl: boolean;
  revealed: boolean;
  ready: boolean;
  problems: string[];
  warnings: string[];
  organizationId: string | null;
}

export interface Vendor {
  vendor: string;
  displayName: string;
  authModes: string[];
  oauth: boolean;
  rateLimitModel: string;
  streams: Array<{ name: string; vendorObject: string; tasks: string[] }>;
  demoBaseUrl: string | null;
}

export interface CheckResult {
  ok: boolean;
  checks: Array<{ name: string; status: 'pass' | 'warn' | 'fail'; message: string; fix?: string }>;
  identity?: { userId?: string; name?: string; organizationId?: string };
}

export interface Counts {
  fetched: number;
  deleted: number;
  scored: number;
  written: number;
  skippedUnchanged: number;
  failed: number;
}

export interface Run {
  id: string;
  stream: string | null;
  trigger: string;
  mode: string;
  status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
  counts: Counts;
  apiCalls: number;
  rateLimitWaitMs: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface RunDetail {
  run: Run & { apiCallsByEndpoint: Record<string, number> };
  log: Page<{ at: string; level: string; message: string; details: Record<string, unknown> | null }>;
}

export interface ShadowRow {
  id: string;
  externalId: string;
  object: string;
  field: string;
  recordLabel: string | null;
  currentValue: unknown;
  newValue: unknown;
  confidence: number | null;
  modelVersion: string;
  createdAt: string;
}

export interface DeadLetter {
  id: string;
  stream: string;
  object: string;
  externalId: string;
  /** Vendor field name → the value Fieldcast tried to write (one dead letter per record write). */
  fields: Record<string, unknown>;
  modelVersion: string;
  attempts: number;
  errorCode: string | null;
  vendorErrorCode: string | null;
  lastError: string | null;
  failedAt: string;
}

/** Mirrors apps/api/src/admin/models/model-version.view.ts (RocPointView, CalibrationBinView, HistogramBinView). */
export interface RocPoint {
  fpr: number;
  tpr: number;
}

export interface CalibrationBin {
  predicted: number;
  observed: number;
  count: number | null;
}

export interface HistogramBin {
  start: number;
  end: number | null;
  count: number;
  positives: number | null;
  correct: number | null;
}

export interface ModelVersion {
  id: string;
  version: number;
  status: string;
  trainingRows: number;
  trainedAt: string;
  promotedAt: string | null;
  decisionReason: string | null;
  metrics: Record<string, number>;
  /** 'binary': P(positive) and the 1–99 score; 'categories': top-class confidence in %. */
  curveKind: 'binary' | 'categories';
  curveRows: number | null;
  roc: RocPoint[] | null;
  calibration: CalibrationBin[] | null;
  scoreHistogram: HistogramBin[] | null;
  topFields: Array<{ field: string; importance: number }>;
}

export interface ModelCard {
  task: string;
  champion: ModelVersion | null;
  versions: ModelVersion[];
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitPerMinute: number;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorType: string;
  actor: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}
