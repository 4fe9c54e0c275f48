/**
 * End-to-end pipeline numbers with the production build: real worker processes of the CLI, a real
 * (embedded) PostgreSQL, the HubSpot sandbox over HTTP with the real SDK. Each section runs a full
 * sync of contacts (fetch → content hash → score → predictions + outbox in the page's transaction →
 * batched write-back) and reads the run's own history row for counts, duration and vendor calls.
 *
 *   node scripts/run-ts.mjs bench/pipeline-throughput.bench.ts [--leads 100000] [--limited 20000]
 *        [--scale 50000] [--rss 200000] [--only unlimited,limited,scale,rss,calls]
 *
 * unlimited  --leads contacts, sandbox rate limits off: records/s fetched → scored → written.
 * limited    --limited contacts with HubSpot's real limits (100 calls per rolling 10 s, 5 searches/s):
 *            % of the rate-limit-imposed maximum = shortest time the limits allow / measured time
 *            (the slower of: whole 10 s windows of 100 calls, whole seconds of 5 searches).
 * scale      two connections of --scale contacts each, synced by one worker process, then by two.
 * rss        peak RSS (VmHWM) of the worker process over a --rss-contact sync.
 * calls      vendor calls per 1,000 changed scores written, Fieldcast vs a naive per-record loop.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, EmbeddedPostgres, runMigrations, SyncRunEntity } from '@fieldcast/database';
import { createHubSpotSandbox, generateDemoData, type VendorSandbox } from '@fieldcast/sandbox';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';
import {
  createHubSpotConnection,
  newSecretKey,
  queuedRun,
  SandboxControl,
  SecretBox,
  trainedLeadArtifact,
  waitForRun,
  WorkerProcess,
} from './pipeline-bed';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const onlyIndex = process.argv.indexOf('--only');
const only = new Set(onlyIndex >= 0 ? process.argv[onlyIndex + 1]!.split(',') : ['unlimited', 'limited', 'scale', 'rss', 'calls']);
const LEADS = arg('leads', 100_000);
const LIMITED = arg('limited', 20_000);
const SCALE = arg('scale', 50_000);
const RSS = arg('rss', 200_000);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

interface Bed {
  dataSource: DataSource;
  url: string;
  queue: JobQueue;
  secretKey: string;
  secrets: SecretBox;
  artifact: Record<string, unknown>;
  sandboxes: VendorSandbox[];
}

async function hubspot(bed: Bed, contacts: number, name: string, rateLimit: Record<string, unknown>) {
  const sandbox = createHubSpotSandbox({ data: generateDemoData({ leads: contacts, tickets: 0, seed: 5 }), rateLimit });
  bed.sandboxes.push(sandbox);
  const baseUrl = await sandbox.start(0, '127.0.0.1');
  const limited = rateLimit['enabled'] !== false;
  const connection = await createHubSpotConnection({
    dataSource: bed.dataSource,
    secrets: bed.secrets,
    baseUrl,
    credentials: sandbox.credentials(),
    name,
    artifact: bed.artifact,
    // With limits on, the connector paces searches as it does against HubSpot (default 220 ms).
    options: limited ? { searchMinIntervalMs: 220 } : {},
  });
  const control = new SandboxControl(baseUrl);
  const statsBefore = await control.stats();
  return { sandbox, control, connection, statsBefore };
}

interface RunResult {
  run: SyncRunEntity;
  seconds: number;
  recordsPerSecond: number;
}

async function fullSync(bed: Bed, connectionId: string, timeoutMs: number): Promise<RunResult> {
  const runId = await queuedRun(bed.dataSource, connectionId, 'full');
  await bed.queue.send(QUEUE_NAMES.sync, { connectionId, stream: 'contacts', mode: 'full', trigger: 'bench', runId, pageSize: 200 });
  const run = await waitForRun(bed.dataSource, runId, timeoutMs);
  const seconds = (run.finishedAt!.getTime() - run.startedAt!.getTime()) / 1000;
  // The run's own account of where its wall time went (awaited stages of the page loop).
  const [waited] = (await bed.dataSource.query(
    `SELECT message FROM sync_run_log WHERE run_id = $1 AND message LIKE 'time waited:%' LIMIT 1`,
    [runId],
  )) as Array<{ message: string }>;
  if (waited) console.log(`   run ${runId.slice(0, 8)}: ${waited.message}`);
  if (run.status !== 'succeeded') console.log(`   run ${runId.slice(0, 8)} ended ${run.status}: ${run.error ?? ''}`);
  console.log(`   run ${runId.slice(0, 8)}: ${JSON.stringify(run.counts)}`);
  return { run, seconds, recordsPerSecond: run.counts.fetched / seconds };
}

function worker(bed: Bed): WorkerProcess {
  return new WorkerProcess({
    DATABASE_URL: bed.url,
    FIELDCAST_SECRET_KEY: bed.secretKey,
    FIELDCAST_WORKER_CONCURRENCY: '2',
    LOG_LEVEL: 'error',
    // The heap cap `npm run start:worker` uses (package.json), so peak RSS is what production sees.
    // e.g. BENCH_WORKER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker.
    NODE_OPTIONS: process.env['BENCH_WORKER_NODE_OPTIONS'] ?? '--max-old-space-size=320',
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** utime + stime of a process (and, with children, of its finished children), in seconds. */
function cpuSeconds(pid: number, withChildren = false): number {
  try {
    // Fields after the command name: state is field 3; utime 14, stime 15, cutime 16, cstime 17.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
    return ticks / 100;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** CPU of the PostgreSQL server: the postmaster, its finished backends and its live ones. */
function postgresCpuSeconds(dataDir: string): number {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const postmaster = pids.find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dataDir);
    } catch {
      return false;
    }
  });
  if (!postmaster) return 0;
  let total = cpuSeconds(Number(postmaster), true);
  for (const p of pids) {
    try {
      if (readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === postmaster) total += cpuSeconds(Number(p));
    } catch {
      // gone
    }
  }
  return total;
}

interface CpuProbe {
  worker: number;
  sandbox: number;
  postgres: number;
}

function cpuProbe(workerPid: number, dataDir: string): CpuProbe {
  const own = process.cpuUsage();
  return { worker: cpuSeconds(workerPid), sandbox: (own.user + own.system) / 1e6, postgres: postgresCpuSeconds(dataDir) };
}

function cpuDelta(before: CpuProbe, after: CpuProbe): CpuProbe {
  return { worker: after.worker - before.worker, sandbox: after.sandbox - before.sandbox, postgres: after.postgres - before.postgres };
}

/** Transactions committed in the database (every process): where a pipeline's time goes with fsync on. */
async function commits(dataSource: DataSource): Promise<number> {
  const [row] = (await dataSource.query('SELECT sum(xact_commit)::bigint AS n FROM pg_stat_database')) as Array<{ n: string }>;
  return Number(row!.n);
}

/** `--pg-stats`: where PostgreSQL's time goes, per statement (pg_stat_statements), after section 1. */
const PG_STATS = process.argv.includes('--pg-stats');

async function printTopStatements(dataSource: DataSource): Promise<void> {
  const rows = (await dataSource.query(
    `SELECT calls, round(total_exec_time)::int AS total_ms, round((total_exec_time / calls)::numeric, 2)::float AS mean_ms, rows,
            regexp_replace(left(query, 110), '\\s+', ' ', 'g') AS query
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
  )) as Array<Record<string, string | number>>;
  console.log('\n   PostgreSQL time by statement during section 1 (pg_stat_statements):');
  console.table(rows);
}

const table = (rows: Array<Record<string, string | number>>) => console.table(rows);
const fmt = (n: number, digits = 0) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fieldcast-bench-pg-'));
  const pg = new EmbeddedPostgres({
    dataDir,
    port: await freePort(),
    serverSettings: PG_STATS ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {},
  });
  const url = await pg.start();
  const dataSource = createDataSource({ url, poolSize: 4, applicationName: 'fieldcast-bench' });
  await dataSource.initialize();
  await runMigrations(dataSource);
  if (PG_STATS) await dataSource.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const secretKey = newSecretKey();
  const bed: Bed = {
    dataSource,
    url,
    queue: await JobQueue.start({ url, role: 'producer' }),
    secretKey,
    secrets: SecretBox.fromBase64(secretKey),
    artifact: trainedLeadArtifact(),
    sandboxes: [],
  };
  const workers: WorkerProcess[] = [];
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`pipeline bench: node ${process.version}, load average ${load()}`);
  // Ctrl-C must not leave worker processes and a PostgreSQL server behind.
  const interrupt = () => {
    for (const w of workers) if (w.pid) process.kill(w.pid, 'SIGKILL');
    void pg.stop().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const one = worker(bed);
    workers.push(one);
    await one.start(120_000);

    if (only.has('unlimited') || only.has('calls')) {
      const { connection, control, statsBefore } = await hubspot(bed, LEADS, 'unlimited', { enabled: false });
      const commitsBefore = await commits(bed.dataSource);
      if (PG_STATS) await bed.dataSource.query('SELECT pg_stat_statements_reset()');
      const cpuBefore = cpuProbe(one.pid!, dataDir);
      const r = await fullSync(bed, connection.id, 1_800_000);
      if (PG_STATS) await printTopStatements(bed.dataSource);
      const cpu = cpuDelta(cpuBefore, cpuProbe(one.pid!, dataDir));
      const cpuTotal = cpu.worker + cpu.sandbox + cpu.postgres;
      const commitsPer1000 = ((await commits(bed.dataSource)) - commitsBefore) / (r.run.counts.fetched / 1000);
      const stats = await control.stats();
      const writeCalls = stats.calls['POST /crm/v3/objects/:type/batch/update'] ?? 0;
      const readCalls = (stats.calls['POST /crm/v3/objects/:type/search'] ?? 0) + (stats.calls['GET /crm/v3/objects/:type'] ?? 0);
      console.log(`\n1. End-to-end, no rate limit (${LEADS} contacts, load ${load()}):`);
      table([
        {
          contacts: r.run.counts.fetched,
          scored: r.run.counts.scored,
          'outbox rows written': r.run.counts.written,
          'seconds (run)': fmt(r.seconds, 1),
          'records/s': fmt(r.recordsPerSecond),
          'goal records/s': 5000,
          'vendor calls': stats.totalCalls - statsBefore.totalCalls,
          'PostgreSQL commits / 1,000 records': fmt(commitsPer1000),
        },
      ]);
      // On a shared machine the wall rate is the machine's load; CPU per record is the code's cost.
      console.log('   CPU seconds spent on the run, and records per CPU-second (what the code costs, whatever the load):');
      table([
        {
          'worker CPU s': fmt(cpu.worker, 1),
          'sandbox CPU s (bench process)': fmt(cpu.sandbox, 1),
          'PostgreSQL CPU s': fmt(cpu.postgres, 1),
          'records per worker CPU-s': fmt(r.run.counts.fetched / cpu.worker),
          'records per CPU-s, all three': fmt(r.run.counts.fetched / cpuTotal),
          'ceiling on 2 idle cores (records/s)': fmt((r.run.counts.fetched / cpuTotal) * 2),
        },
      ]);
      if (only.has('calls')) {
        const records = r.run.counts.fetched;
        console.log('\n5. Vendor calls per 1,000 changed scores written (HubSpot contacts, 4 Fieldcast properties each):');
        table([
          {
            approach: 'Fieldcast (batch/update 100, whole records)',
            'write calls / 1,000': fmt((writeCalls / records) * 1000, 1),
            'read calls / 1,000': fmt((readCalls / records) * 1000, 1),
            'total / 1,000': fmt(((writeCalls + readCalls) / records) * 1000, 1),
          },
          {
            approach: 'naive per-record SDK loop (PATCH per record)',
            'write calls / 1,000': 1000,
            'read calls / 1,000': fmt((readCalls / records) * 1000, 1),
            'total / 1,000': fmt(1000 + (readCalls / records) * 1000, 1),
          },
          {
            approach: 'naive per-field loop (PATCH per property)',
            'write calls / 1,000': 4000,
            'read calls / 1,000': fmt((readCalls / records) * 1000, 1),
            'total / 1,000': fmt(4000 + (readCalls / records) * 1000, 1),
          },
        ]);
      }
    }

    if (only.has('limited')) {
      const windowMs = 10_000;
      const maxPerWindow = 100;
      const { connection, control, statsBefore } = await hubspot(bed, LIMITED, 'limited', {
        enabled: true,
        maxPerWindow,
        windowMs,
        searchPerSecond: 5,
      });
      const r = await fullSync(bed, connection.id, 1_800_000);
      const stats = await control.stats();
      const calls = stats.totalCalls - statsBefore.totalCalls;
      // The shortest schedule a rolling window allows: any windowMs may hold maxPerWindow calls, so N
      // calls need floor((N - 1) / max) whole windows between the first and the last (bursts of 100
      // at 0, 10, 20 s … — a steadier schedule is only slower). Searches obey their own 5 per rolling
      // second (HubSpot's SECONDLY policy) the same way; the slower of the two binds.
      const searchCalls = (counts: Record<string, number>) => counts['POST /crm/v3/objects/:type/search'] ?? 0;
      const searches = searchCalls(stats.calls) - searchCalls(statsBefore.calls);
      const minSeconds = Math.max(
        Math.floor(Math.max(0, calls - 1) / maxPerWindow) * (windowMs / 1000),
        Math.floor(Math.max(0, searches - 1) / 5),
      );
      console.log(`\n2. With HubSpot's limits (${maxPerWindow} calls / ${windowMs / 1000} s rolling, 5 searches/s; ${LIMITED} contacts):`);
      table([
        {
          contacts: r.run.counts.fetched,
          'vendor calls': calls,
          '429s': (stats.rateLimitHits ?? 0) - (statsBefore.rateLimitHits ?? 0),
          'seconds (run)': fmt(r.seconds, 1),
          'min seconds the limits allow': fmt(minSeconds, 1),
          '% of the rate-limit maximum': fmt((minSeconds / r.seconds) * 100, 1),
          goal: '>= 90 %',
          'rate-limit wait (ms)': r.run.rateLimitWaitMs,
        },
      ]);
      const byEndpoint = Object.entries(stats.calls)
        .map(([endpoint, n]) => [endpoint, n - (statsBefore.calls[endpoint] ?? 0)] as const)
        .filter(([, n]) => n > 0);
      console.log(`   calls: ${byEndpoint.map(([endpoint, n]) => `${endpoint} ${n}`).join(', ')}`);
    }

    if (only.has('scale')) {
      const measure = async () => {
        const a = await hubspot(bed, SCALE, `scale-a-${Date.now()}`, { enabled: false });
        const b = await hubspot(bed, SCALE, `scale-b-${Date.now()}`, { enabled: false });
        const started = Date.now();
        const runs = await Promise.all([fullSync(bed, a.connection.id, 1_800_000), fullSync(bed, b.connection.id, 1_800_000)]);
        const seconds = (Date.now() - started) / 1000;
        const records = runs.reduce((n, r) => n + r.run.counts.fetched, 0);
        for (const s of bed.sandboxes.splice(-2)) await s.stop();
        return { seconds, records, perSecond: records / seconds };
      };
      const single = await measure();
      const two = worker(bed);
      workers.push(two);
      await two.start(120_000);
      const double = await measure();
      await two.stop();
      console.log(
        `\n3. Two connections x ${SCALE} contacts, one worker process vs two (2 cores shared with the sandboxes and PostgreSQL):`,
      );
      table([
        { workers: 1, records: single.records, 'seconds (wall)': fmt(single.seconds, 1), 'records/s': fmt(single.perSecond) },
        { workers: 2, records: double.records, 'seconds (wall)': fmt(double.seconds, 1), 'records/s': fmt(double.perSecond) },
      ]);
      console.log(`   ratio two/one: ${fmt(double.perSecond / single.perSecond, 2)}`);
    }

    if (only.has('rss')) {
      // A fresh worker, so its high-water mark belongs to this sync alone.
      await one.stop();
      const fresh = worker(bed);
      workers.push(fresh);
      await fresh.start(120_000);
      const idle = peakRssMb(fresh.pid!);
      const { connection } = await hubspot(bed, RSS, 'rss', { enabled: false });
      const r = await fullSync(bed, connection.id, 3_600_000);
      const peak = peakRssMb(fresh.pid!);
      console.log(`\n4. Worker peak RSS over one large sync (${RSS} contacts):`);
      table([
        {
          contacts: r.run.counts.fetched,
          'seconds (run)': fmt(r.seconds, 1),
          'records/s': fmt(r.recordsPerSecond),
          'RSS after start-up (MB)': fmt(idle),
          'peak RSS (MB)': fmt(peak),
          'goal (1,000,000 records)': '< 512 MB',
        },
      ]);
    }
  } finally {
    for (const w of workers) await w.stop().catch(() => undefined);
    await bed.queue.stop(2000).catch(() => undefined);
    for (const s of bed.sandboxes) await s.stop().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
