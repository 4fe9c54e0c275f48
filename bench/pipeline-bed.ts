/**
 * Shared machinery for the pipeline fault tests (test/pipeline-faults*.e2e-spec.ts) and the pipeline
 * benchmark (bench/pipeline-throughput.bench.ts): a HubSpot connection row the way the product stores
 * one (encrypted secrets, a champion model), real worker processes of the compiled CLI that can be
 * killed with SIGKILL, and the sandbox's control API (write log, faults, stats).
 * It lives in bench/ because test/ is not compiled and the benchmark runs the production build.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import { createHubSpotConnector } from '@fieldcast/connector-hubspot';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import { ConnectionEntity, ModelArtifactEntity, SyncRunEntity } from '@fieldcast/database';
import { trainModel, type LabeledRecord } from '@fieldcast/scoring';
import { buildConnectorContext, ConnectorRegistry, encryptSecrets } from '@fieldcast/sync-engine';
import { CliProcess } from './cli-process';

export { CLI_MAIN, REPO_ROOT } from './cli-process';

/** One key for the test process and the workers it spawns, so both can read the stored credentials. */
export function newSecretKey(): string {
  return randomBytes(32).toString('base64');
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/** A learnable lead model: referrals convert, cold calls do not (same toy history as the HubSpot pipeline spec). */
export function trainedLeadArtifact(version = 'fault-1'): Record<string, unknown> {
  const sources = ['REFERRALS', 'OFFLINE', 'PAID_SEARCH', 'ORGANIC_SEARCH', 'DIRECT_TRAFFIC'];
  const rows: LabeledRecord[] = [];
  for (let i = 0; i < 1200; i++) {
    const source = sources[i % sources.length]!;
    const p = source === 'REFERRALS' ? 0.7 : source === 'ORGANIC_SEARCH' ? 0.35 : 0.08;
    rows.push({
      id: `h${i}`,
      fields: { hs_analytics_source: source, jobtitle: i % 3 ? 'VP Sales' : 'Intern' },
      label: ((i * 7919) % 100) / 100 < p,
    });
  }
  const result = trainModel('lead-score', rows, {
    fields: [
      { name: 'hs_analytics_source', type: 'categorical', label: 'Source' },
      { name: 'jobtitle', type: 'text', label: 'Job title' },
    ],
    version,
  });
  if (!result.autoWriteAllowed) throw new Error('the toy lead model did not pass its fit check');
  return result.artifact as unknown as Record<string, unknown>;
}

export interface HubSpotConnectionOptions {
  dataSource: DataSource;
  secrets: SecretBox;
  baseUrl: string;
  credentials: Record<string, unknown>;
  name: string;
  artifact: Record<string, unknown>;
  /** Extra HubSpot connector options (retry base, attempts, ...). */
  options?: Record<string, unknown>;
}

/**
 * A connection as the product stores it, a champion lead model for it, and the Fieldcast properties
 * provisioned in the sandbox (first-run provisioning is not what these tests are about).
 */
export async function createHubSpotConnection(o: HubSpotConnectionOptions): Promise<ConnectionEntity> {
  const c = o.credentials;
  const repo = o.dataSource.getRepository(ConnectionEntity);
  const connection = await repo.save(
    repo.create({
      name: o.name,
      vendor: 'hubspot',
      authMode: 'oauth2',
      // Paused until it is complete (below): a worker's scheduler must never see it half made.
      status: 'paused',
      // A long interval: the worker's scheduler must not start runs of its own while a test drives them.
      schedule: { kind: 'interval', minutes: 600 },
      settings: { baseUrl: o.baseUrl, options: { appId: String(c['appId']), searchMinIntervalMs: 0, ...(o.options ?? {}) } },
    }),
  );
  connection.secretsCiphertext = encryptSecrets(o.secrets, connection.id, {
    credentials: {
      kind: 'oauth2',
      accessToken: String(c['accessToken']),
      refreshToken: String(c['refreshToken']),
      expiresAt: Date.now() + 1_800_000,
      clientId: String(c['clientId']),
      clientSecret: String(c['clientSecret']),
    },
    webhookSigningSecret: String(c['webhookSigningSecret']),
  });
  await repo.save(connection);
  await o.dataSource.getRepository(ModelArtifactEntity).save({
    connectionId: connection.id,
    task: 'lead-score',
    version: 1,
    status: 'champion',
    artifact: o.artifact,
    trainedAt: new Date(),
  });
  const registry = new ConnectorRegistry([createHubSpotConnector()]);
  const ctx = buildConnectorContext({
    dataSource: o.dataSource,
    secrets: o.secrets,
    connection,
    budget: new CountingRateBudget(),
    log: silent,
  });
  const provisioned = await registry.get('hubspot').ensureFields(ctx, 'contacts', registry.stream('hubspot', 'contacts').defaultFields);
  const failed = provisioned.fields.filter((f) => f.status === 'failed');
  if (failed.length) throw new Error(`provisioning failed: ${JSON.stringify(failed)}`);
  // The scheduler starts a first backfill of every stream that never ran: one settled run per stream
  // keeps it away, so the run a test or bench queues is the only one (a backfill holding the
  // stream's lock made it end "skipped" before it started).
  const runs = o.dataSource.getRepository(SyncRunEntity);
  for (const stream of registry.get('hubspot').describe().streams) {
    const now = new Date();
    await runs.save(
      runs.create({
        connectionId: connection.id,
        stream: stream.name,
        trigger: 'bed-setup',
        mode: 'full',
        status: 'succeeded',
        startedAt: now,
        finishedAt: now,
      }),
    );
  }
  await repo.update({ id: connection.id }, { status: 'active' });
  return repo.findOneByOrFail({ id: connection.id });
}

/** A queued run row, as the CLI creates one, so the caller can follow it. */
export async function queuedRun(dataSource: DataSource, connectionId: string, mode: 'full' | 'incremental'): Promise<string> {
  const runs = dataSource.getRepository(SyncRunEntity);
  const run = await runs.save(runs.create({ connectionId, stream: 'contacts', trigger: 'fault-test', mode, status: 'queued' }));
  return run.id;
}

export const TERMINAL_RUN_STATUSES = new Set(['succeeded', 'partial', 'failed', 'cancelled']);

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function waitForRun(dataSource: DataSource, runId: string, timeoutMs: number): Promise<SyncRunEntity> {
  const runs = dataSource.getRepository(SyncRunEntity);
  return waitFor(
    `run ${runId} to end`,
    async () => {
      const run = await runs.findOneBy({ id: runId });
      return run && TERMINAL_RUN_STATUSES.has(run.status) ? run : undefined;
    },
    timeoutMs,
    200,
  );
}

/** A real worker process of the compiled CLI (`fieldcast start worker`). */
export class WorkerProcess extends CliProcess {
  constructor(env: Record<string, string>) {
    super('worker', env);
  }
}

export interface SandboxWriteEntry {
  seq: number;
  object: string;
  id: string;
  fields: Record<string, unknown>;
  by: string;
}

/** Thin client of a sandbox's control API (`/__sandbox/...`). */
export class SandboxControl {
  constructor(readonly baseUrl: string) {}

  async writes(object?: string): Promise<SandboxWriteEntry[]> {
    const query = object ? `?object=${encodeURIComponent(object)}` : '';
    const body = (await this.get(`/__sandbox/writes${query}`)) as { writes?: SandboxWriteEntry[] };
    return body.writes ?? [];
  }

  async stats(): Promise<{ totalCalls: number; calls: Record<string, number>; rateLimitHits?: number }> {
    return (await this.get('/__sandbox/stats')) as { totalCalls: number; calls: Record<string, number>; rateLimitHits?: number };
  }

  async faults(settings: Record<string, unknown>): Promise<void> {
    await this.post('/__sandbox/faults', settings);
  }

  async get(route: string): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${route}`);
    if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  async post(route: string, body: unknown, method = 'POST'): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}

/**
 * The exactly-once check on the vendor's side: how often each record was written by Fieldcast
 * (`by` names the OAuth app), and which expected records were never written.
 */
export function writeCounts(
  writes: SandboxWriteEntry[],
  expectedIds: Iterable<string>,
): { duplicates: string[]; missing: string[]; written: number } {
  const counts = new Map<string, number>();
  for (const w of writes) counts.set(w.id, (counts.get(w.id) ?? 0) + 1);
  const duplicates = [...counts.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  const missing = [...expectedIds].filter((id) => !counts.has(id));
  return { duplicates, missing, written: counts.size };
}

/** A small seeded generator, so a failing kill schedule can be replayed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

export { SecretBox };
