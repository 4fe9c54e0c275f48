/**
 * Webhook → field written: how long after a CRM user edits a record the new score is in the
 * vendor's record. The whole event-driven path with real processes: HubSpot sandbox (its own webhook
 * dispatcher, signed v3 deliveries) → `fieldcast start api` (signature check, inbox, job) →
 * `fieldcast start worker` (fetch the record, score, outbox, batch/update) → the sandbox's write log.
 *
 *   node scripts/run-ts.mjs bench/webhook-latency.bench.ts [--contacts 2000] [--edits 120] [--rate 2]
 *
 * Goal (issue 6): p95 < 5 s. Latency = sandbox write-log entry for the record − the edit request's
 * start. Edits that change nothing the model reads produce no write and are counted separately.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SecretBox } from '@fieldcast/common';
import { createDataSource, EmbeddedPostgres, runMigrations } from '@fieldcast/database';
import { createHubSpotSandbox, generateDemoData } from '@fieldcast/sandbox';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';
import { ApiProcess, freePort } from './api-process';
import {
  createHubSpotConnection,
  newSecretKey,
  queuedRun,
  SandboxControl,
  trainedLeadArtifact,
  waitForRun,
  WorkerProcess,
} from './pipeline-bed';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const CONTACTS = arg('contacts', 2000);
const EDITS = arg('edits', 120);
const RATE = arg('rate', 2);
const TITLES = ['Intern', 'VP Sales', 'Student', 'Chief Executive Officer'];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fieldcast-bench-pg-'));
  const pg = new EmbeddedPostgres({ dataDir, port: await freePort() });
  const url = await pg.start();
  const dataSource = createDataSource({ url, poolSize: 2, applicationName: 'fieldcast-bench' });
  await dataSource.initialize();
  await runMigrations(dataSource);
  const secretKey = newSecretKey();
  const queue = await JobQueue.start({ url, role: 'producer' });
  const sandbox = createHubSpotSandbox({
    data: generateDemoData({ leads: CONTACTS, tickets: 0, seed: 11 }),
    rateLimit: { enabled: false },
  });
  const sandboxUrl = await sandbox.start(0, '127.0.0.1');
  const control = new SandboxControl(sandboxUrl);
  const env = { DATABASE_URL: url, FIELDCAST_SECRET_KEY: secretKey, LOG_LEVEL: 'error' };
  const worker = new WorkerProcess({ ...env, FIELDCAST_WORKER_CONCURRENCY: '4' });
  const api = new ApiProcess(await freePort(), env);
  try {
    console.log(`webhook latency bench: node ${process.version}, load average ${load()}`);
    await Promise.all([worker.start(120_000), api.start(120_000)]);
    const connection = await createHubSpotConnection({
      dataSource,
      secrets: SecretBox.fromBase64(secretKey),
      baseUrl: sandboxUrl,
      credentials: sandbox.credentials(),
      name: 'webhook-latency',
      artifact: trainedLeadArtifact(),
    });
    // The backfill first, so the webhook path scores records Fieldcast already knows (the usual case).
    const runId = await queuedRun(dataSource, connection.id, 'full');
    await queue.send(QUEUE_NAMES.sync, { connectionId: connection.id, stream: 'contacts', mode: 'full', trigger: 'bench', runId });
    const backfill = await waitForRun(dataSource, runId, 600_000);
    console.log(`backfill: ${backfill.status}, ${backfill.counts.fetched} contacts, ${backfill.counts.written} fields written`);
    await control.post('/__sandbox/webhooks', { targetUrl: `${api.baseUrl}/webhooks/hubspot/${connection.id}` });

    const contacts = (await control.writes('contacts')).map((w) => w.id);
    const ids = [...new Set(contacts)].slice(0, EDITS);
    const seqBefore = (await control.writes('contacts')).at(-1)?.seq ?? 0;
    const edits: Array<{ id: string; at: number }> = [];
    const startedAt = Date.now();
    for (let i = 0; i < ids.length; i++) {
      // Open loop: edit i is due at i / RATE seconds, whatever the previous edits took.
      const due = startedAt + (i * 1000) / RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const at = Date.now();
      await control.post(`/__sandbox/records/contacts/${ids[i]}`, { properties: { jobtitle: TITLES[i % TITLES.length] } }, 'PATCH');
      edits.push({ id: ids[i]!, at });
    }
    // Give the last edits time to arrive; the sandbox's write log stamps each write (same clock).
    const writtenAt = new Map<string, number>();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && writtenAt.size < edits.length) {
      const log = (await control.get(`/__sandbox/writes?object=contacts&sinceSeq=${seqBefore}`)) as {
        writes: Array<{ id: string; at: string }>;
      };
      for (const e of edits) {
        const hit = log.writes.find((w) => w.id === e.id && Date.parse(w.at) >= e.at);
        if (hit && !writtenAt.has(e.id)) writtenAt.set(e.id, Date.parse(hit.at));
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const latencies = edits
      .filter((e) => writtenAt.has(e.id))
      .map((e) => writtenAt.get(e.id)! - e.at)
      .sort((a, b) => a - b);
    console.log(`\nWebhook → field written (${edits.length} edits at ${RATE}/s, load ${load()}):`);
    console.table([
      {
        edits: edits.length,
        'written back': latencies.length,
        'no write (nothing the model reads changed)': edits.length - latencies.length,
        'p50 ms': percentile(latencies, 50),
        'p95 ms': percentile(latencies, 95),
        'p99 ms': percentile(latencies, 99),
        'max ms': latencies.at(-1) ?? NaN,
        'goal p95 ms': 5000,
      },
    ]);
  } finally {
    await Promise.allSettled([api.stop(), worker.stop()]);
    await queue.stop();
    await sandbox.stop();
    await dataSource.destroy();
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
