/**
 * The set-up every pipeline fault spec shares: the production build, a fresh database, a pg-boss
 * producer, one real worker process, HubSpot sandboxes over HTTP with a connection each, and the
 * exactly-once check against the sandbox's own write log.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConnectionEntity, SyncedRecordEntity, WritebackOutboxEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createHubSpotSandbox, generateDemoData, type VendorSandbox } from '@fieldcast/sandbox';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';
import {
  createHubSpotConnection,
  newSecretKey,
  queuedRun,
  REPO_ROOT,
  SandboxControl,
  SecretBox,
  trainedLeadArtifact,
  WorkerProcess,
  writeCounts,
} from '../../bench/pipeline-bed';

export interface FaultBed {
  db: TestDatabase;
  queue: JobQueue;
  worker: WorkerProcess;
  hubspot(contacts: number, name: string): Promise<{ control: SandboxControl; connection: ConnectionEntity }>;
  startSync(connectionId: string, extra?: Record<string, unknown>): Promise<string>;
  expectExactlyOnce(control: SandboxControl, connectionId: string, contacts: number): Promise<void>;
  close(): Promise<void>;
}

export function buildOnce(): void {
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs'), '--quiet'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
}

export async function createFaultBed(options: { databaseUrl?: string; db?: TestDatabase } = {}): Promise<FaultBed> {
  buildOnce();
  const db = options.db ?? (await createTestDatabase());
  const secretKey = newSecretKey();
  const secrets = SecretBox.fromBase64(secretKey);
  const artifact = trainedLeadArtifact();
  const sandboxes: VendorSandbox[] = [];
  const queue = await JobQueue.start({ url: db.url, role: 'producer' });
  const worker = new WorkerProcess({ DATABASE_URL: db.url, FIELDCAST_SECRET_KEY: secretKey, FIELDCAST_WORKER_CONCURRENCY: '2' });
  await worker.start();

  return {
    db,
    queue,
    worker,
    async hubspot(contacts, name) {
      const sandbox = createHubSpotSandbox({
        data: generateDemoData({ leads: contacts, tickets: 0, seed: 11 }),
        // The rolling window is not under test here; injected faults are.
        rateLimit: { searchPerSecond: 0, maxPerWindow: 1_000_000 },
      });
      sandboxes.push(sandbox);
      const baseUrl = await sandbox.start(0, '127.0.0.1');
      const connection = await createHubSpotConnection({
        dataSource: db.dataSource,
        secrets,
        baseUrl,
        credentials: sandbox.credentials(),
        name,
        artifact,
        // A short in-connector backoff keeps the tests bounded; the policy is the same.
        options: { retryBaseMs: 100 },
      });
      return { control: new SandboxControl(baseUrl), connection };
    },
    async startSync(connectionId, extra = {}) {
      const runId = await queuedRun(db.dataSource, connectionId, 'full');
      await queue.send(QUEUE_NAMES.sync, { connectionId, stream: 'contacts', mode: 'full', trigger: 'fault-test', runId, ...extra });
      return runId;
    },
    async expectExactlyOnce(control, connectionId, contacts) {
      const synced = await db.dataSource.getRepository(SyncedRecordEntity).findBy({ connectionId });
      expect(synced).toHaveLength(contacts);
      const writes = (await control.writes('contacts')).filter((w) => w.by.startsWith('INTEGRATION'));
      const check = writeCounts(
        writes,
        synced.map((r) => r.externalId),
      );
      if (check.duplicates.length) {
        // What the vendor saw and what the outbox holds for one duplicated record: the first thing to read when this fails.
        const id = check.duplicates[0]!;
        const rows = await db.dataSource.getRepository(WritebackOutboxEntity).findBy({ connectionId, externalId: id });
        console.log(
          `${check.duplicates.length} records written more than once; record ${id}: writes ${JSON.stringify(writes.filter((w) => w.id === id))}; outbox ${JSON.stringify(rows.map((r) => ({ fields: r.fields, status: r.status, attempts: r.attempts, created: r.createdAt })))}`,
        );
      }
      expect({ duplicates: check.duplicates.slice(0, 10), missing: check.missing.slice(0, 10) }).toEqual({ duplicates: [], missing: [] });
      expect(writes).toHaveLength(contacts);
      // Every field of every record in one write: nothing written field by field, nothing twice.
      const fieldWrites = writes.flatMap((w) => Object.keys(w.fields).map((f) => `${w.id}:${f}`));
      expect(new Set(fieldWrites).size).toBe(fieldWrites.length);
      const outbox = await db.dataSource.getRepository(WritebackOutboxEntity).findBy({ connectionId });
      expect(outbox.length).toBeGreaterThanOrEqual(contacts);
      expect(outbox.filter((r) => r.status !== 'written' && r.status !== 'superseded').map((r) => `${r.externalId}:${r.status}`)).toEqual(
        [],
      );
    },
    async close() {
      await worker.stop();
      await queue.stop(2000).catch(() => undefined);
      for (const s of sandboxes) await s.stop();
      if (!options.db) await db.drop();
    },
  };
}
