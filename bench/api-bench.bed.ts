/**
 * Shared set-up for the scoring API and webhook benches and e2e tests (here rather than under
 * apps/api/test because the bench build skips test folders): a real Platform on a fresh test database
 * (or a given DATABASE_URL) with the shipped connectors, the real Nest app listening on 127.0.0.1:0,
 * and small builders for API keys, trained model artifacts and connections with encrypted secrets.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { generateApiKey } from '@fieldcast/common';
import { loadConfig } from '@fieldcast/config';
import { createAllConnectors } from '@fieldcast/connectors';
import { ApiKeyEntity, ConnectionEntity, EmbeddedPostgres, ModelArtifactEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createLogger, startPlatform, type Platform } from '@fieldcast/runtime';
import { trainModel, type LabeledRecord, type ScoringTask } from '@fieldcast/scoring';
import { encryptSecrets, type StoredSecrets } from '@fieldcast/sync-engine';
import { createApiApp } from '../apps/api/src/create-api-app';

export interface ApiBed {
  db: TestDatabase;
  platform: Platform;
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startApiBed(options: { databaseUrl?: string } = {}): Promise<ApiBed> {
  const db = options.databaseUrl ? undefined : await createTestDatabase();
  const url = options.databaseUrl ?? db!.url;
  const config = loadConfig({
    DATABASE_URL: url,
    FIELDCAST_SECRET_KEY: randomBytes(32).toString('base64'),
    FIELDCAST_MIGRATE_ON_START: db ? 'false' : 'true',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  // FIELDCAST_BENCH_LOG_LEVEL=warn shows the server's warnings and errors while a bench runs.
  const log = createLogger({ level: process.env.FIELDCAST_BENCH_LOG_LEVEL ?? 'silent' });
  const platform = await startPlatform({ config, log, role: 'producer', connectors: createAllConnectors() });
  const app = await createApiApp(platform);
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  // Vendors sign the public URL they call (HubSpot v3); in tests that is wherever the app listens.
  platform.config.publicUrl = baseUrl;
  return {
    db: db ?? ({ url, dataSource: platform.dataSource, drop: async () => undefined } as TestDatabase),
    platform,
    app,
    baseUrl,
    async close() {
      await app.close();
      await platform.shutdown();
      await db?.drop();
    },
  };
}

export async function createApiKey(
  platform: Platform,
  options: { scopes?: string[]; rateLimitPerMinute?: number; revoked?: boolean; name?: string } = {},
): Promise<{ id: string; key: string }> {
  const generated = generateApiKey();
  const row = await platform.dataSource.getRepository(ApiKeyEntity).save({
    name: options.name ?? 'e2e',
    prefix: generated.prefix,
    keyHash: generated.hash,
    scopes: options.scopes ?? ['lead-score', 'ticket-category', 'escalation-risk'],
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    revokedAt: options.revoked ? new Date() : null,
  });
  return { id: row.id, key: generated.key };
}

const SOURCES = ['Webinar', 'Web', 'Partner', 'Cold Call', 'Trade Show'];
const INDUSTRIES = ['Software', 'Retail', 'Banking', 'Healthcare'];

/** Synthetic leads whose conversion depends on source and size, so a trained model has real factors. */
export function syntheticLeads(n: number, seed = 1): LabeledRecord[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: n }, (_, i) => {
    const source = SOURCES[Math.floor(random() * SOURCES.length)]!;
    const employees = Math.round(10 + random() * 2000);
    const logit = (source === 'Webinar' ? 1.5 : source === 'Cold Call' ? -1.5 : 0) + (employees > 1000 ? 1 : -0.5) + (random() - 0.5) * 2;
    return {
      id: `lead-${i}`,
      fields: { LeadSource: source, Industry: INDUSTRIES[i % INDUSTRIES.length], NumberOfEmployees: employees },
      label: logit > 0,
    };
  });
}

export const LEAD_FIELDS = [
  { name: 'LeadSource', type: 'categorical' as const, label: 'Lead source' },
  { name: 'Industry', type: 'categorical' as const },
  { name: 'NumberOfEmployees', type: 'numeric' as const, label: 'Employees' },
];

/** Trains a small lead-score model and stores it as champion (instance-wide, or for a connection). */
export async function storeLeadChampion(
  platform: Platform,
  options: { connectionId?: string; version?: number; seed?: number } = {},
): Promise<string> {
  const version = options.version ?? 1;
  const trained = trainModel('lead-score' as ScoringTask, syntheticLeads(600, options.seed ?? 1), {
    fields: LEAD_FIELDS,
    modelId: `lead-e2e-${options.connectionId ? 'conn' : 'instance'}`,
    version: String(version),
    folds: 3,
    gates: { minRows: 100, minPositives: 20 },
  });
  const row = await platform.dataSource.getRepository(ModelArtifactEntity).save({
    connectionId: options.connectionId ?? null,
    task: 'lead-score',
    version,
    status: 'champion',
    artifact: trained.artifact as unknown as Record<string, unknown>,
    metrics: trained.artifact.metrics,
    trainingRows: trained.artifact.trainingSize,
    trainedAt: new Date(trained.artifact.trainedAt),
    promotedAt: new Date(),
  });
  return row.id;
}

export async function createConnection(
  platform: Platform,
  options: {
    vendor: 'hubspot' | 'zendesk' | 'salesforce';
    status?: ConnectionEntity['status'];
    webhookSigningSecret?: string;
    /** Salesforce: the outbound-message URL secret (stored where the app keeps it: the encrypted webhookSigningSecret). */
    webhookPathSecret?: string;
    settings?: Record<string, unknown>;
  },
): Promise<ConnectionEntity> {
  const repo = platform.dataSource.getRepository(ConnectionEntity);
  const saved = await repo.save({
    name: `${options.vendor} e2e`,
    vendor: options.vendor,
    status: options.status ?? 'active',
    authMode: 'api_token',
    settings: { baseUrl: 'http://127.0.0.1:1', ...(options.settings ?? {}) },
  });
  const stored: StoredSecrets = {
    credentials: { kind: 'api_token', email: 'e2e@example.com', token: 'token' },
    ...((options.webhookSigningSecret ?? options.webhookPathSecret)
      ? { webhookSigningSecret: options.webhookSigningSecret ?? options.webhookPathSecret }
      : {}),
  };
  saved.secretsCiphertext = encryptSecrets(platform.secrets, saved.id, stored);
  await repo.save(saved);
  return saved;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: Record<string, number>;
  latenciesMs: number[];
  /** How late the generator itself started requests (client-side lag; large values mean the box is saturated). */
  maxStartLagMs: number;
  elapsedMs: number;
  /** CPU time of this process (server and load client together) per request: the load-independent cost. */
  cpuMsPerRequest: number;
}

/**
 * Open-loop load: starts one request every 1/rate seconds whether or not earlier ones finished (a
 * closed loop would slow down with the server and hide its latency), for a bounded time.
 */
export async function openLoop(ratePerSecond: number, durationMs: number, request: (i: number) => Promise<number>): Promise<LoadResult> {
  const result: LoadResult = { sent: 0, ok: 0, failed: {}, latenciesMs: [], maxStartLagMs: 0, elapsedMs: 0, cpuMsPerRequest: 0 };
  const cpuBefore = process.cpuUsage();
  const interval = 1000 / ratePerSecond;
  const total = Math.floor((durationMs / 1000) * ratePerSecond);
  const started = performance.now();
  const inflight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    result.maxStartLagMs = Math.max(result.maxStartLagMs, performance.now() - due);
    const t0 = performance.now();
    result.sent += 1;
    inflight.push(
      request(i).then(
        (status) => {
          result.latenciesMs.push(performance.now() - t0);
          if (status >= 200 && status < 300) result.ok += 1;
          else result.failed[String(status)] = (result.failed[String(status)] ?? 0) + 1;
        },
        (error: Error) => {
          result.failed[error.message] = (result.failed[error.message] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  result.elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  result.cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, result.sent);
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Benches: DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder (removed afterwards). */
export async function withBenchDatabase<T>(fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fieldcast-bench-pg-'));
  const embedded = new EmbeddedPostgres({ dataDir, port: 20_000 + Math.floor(Math.random() * 20_000) });
  try {
    return await fn(await embedded.start());
  } finally {
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
