/**
 * Shared set-up for the scoring API and webhook benches and e2e tests (here rather than under
 * apps/api/test because the bench build skips test folders): a real Platform on a fresh test database
 * (or a given DATABASE_URL) with the shipped connectors, the real Nest app listening on 127.0.0.1:0,
 * and small builders for API keys, trained model artifacts and connections with encrypted secrets.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { generateApiKey } from '@fieldcast/common';
import { loadConfig } from '@fieldcast/config';
import { createAllConnectors } from '@fieldcast/connectors';
import { ApiKeyEntity, ConnectionEntity, ModelArtifactEntity } from '@fieldcast/database';
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
  const log = createLogger({ level: 'silent' });
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
    webhookPathSecret: options.webhookPathSecret ?? null,
  });
  const stored: StoredSecrets = {
    credentials: { kind: 'api_token', email: 'e2e@example.com', token: 'token' },
    ...(options.webhookSigningSecret ? { webhookSigningSecret: options.webhookSigningSecret } : {}),
  };
  saved.secretsCiphertext = encryptSecrets(platform.secrets, saved.id, stored);
  await repo.save(saved);
  return saved;
}
