/**
 * Webhook ingress under load (issue 8): signed HubSpot deliveries (v3, batches of 10 events, the way
 * HubSpot batches) at a fixed rate, open loop, for a bounded time, against ONE real API process
 * (`fieldcast start api`, the production build; the load client runs in this process, so it does not
 * share the server's event loop). Then every event is looked up in webhook_inbox by its id and every
 * stored row for its queued job. Reports events/s achieved, lost events (acknowledged but not stored),
 * events never acknowledged, duplicates, acknowledgement latency p50/p95/p99/max, the API's CPU time
 * per request, and the load average before and after.
 * Goal (issue 8): 1,000 events/s for 60 s, 0 lost, p99 ack < 100 ms.
 *
 *   node scripts/run-ts.mjs bench/webhook-ingress.bench.ts [eventsPerSecond=1000] [seconds=60] [eventsPerRequest=10] [--cpu-prof DIR]
 *
 * Uses DATABASE_URL when set (the whole database: give it an empty one), else an embedded PostgreSQL
 * in a temporary folder. `--cpu-prof DIR` writes the API process's V8 CPU profile into DIR (open it
 * in Chrome DevTools, or summarise it with `node bench/cpu-profile-top.mjs DIR/*.cpuprofile`).
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { computeHubSpotSignatureV3, SecretBox } from '@fieldcast/common';
import type { DataSource } from 'typeorm';
import { ConnectionEntity, createDataSource } from '@fieldcast/database';
import { encryptSecrets } from '@fieldcast/sync-engine';
import { openLoop, percentile, withBenchDatabase } from './api-bench.bed';
import { ApiProcess, freePort } from './api-process';
import { newSecretKey } from './pipeline-bed';

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function args(): { eventsPerSecond: number; seconds: number; batch: number; cpuProfDir?: string } {
  const argv = process.argv.slice(2);
  const profAt = argv.indexOf('--cpu-prof');
  const cpuProfDir = profAt >= 0 ? path.resolve(argv[profAt + 1] ?? 'cpu-profiles') : undefined;
  const positional = argv.filter((_, i) => profAt < 0 || (i !== profAt && i !== profAt + 1));
  const [eventsPerSecond = 1000, seconds = 60, batch = 10] = positional.map(Number);
  if (!(eventsPerSecond > 0 && seconds > 0 && batch >= 1 && batch <= 100))
    throw new Error('usage: webhook-ingress.bench.ts [eventsPerSecond>0] [seconds>0] [eventsPerRequest 1-100] [--cpu-prof DIR]');
  return { eventsPerSecond, seconds, batch, cpuProfDir };
}

// The load client shares the machine with the server: node:http with keep-alive costs it about half
// the CPU of fetch per request, which leaves that much more to the server being measured.
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function post(uri: string, body: string, headers: Record<string, string>, retried = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      uri,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed as we reused it (Node's documented race): send again
      // once on a new socket, as any HTTP client does; the latency counts both attempts.
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') post(uri, body, headers, true).then(resolve, reject);
      else reject(error);
    });
    req.end(body);
  });
}

/** CPU seconds of one process from /proc (Linux; 0 when unreadable). */
function procCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving the API (its TypeORM and pg-boss pools), with their CPU so far. */
async function apiBackends(dataSource: DataSource): Promise<Map<number, number>> {
  const rows = (await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'fieldcast-producer'`,
  )) as Array<{ pid: number }>;
  return new Map(rows.map((r) => [r.pid, procCpuSeconds(r.pid)]));
}

async function main(): Promise<void> {
  const { eventsPerSecond, seconds, batch, cpuProfDir } = args();
  await withBenchDatabase(async (databaseUrl) => {
    const key = newSecretKey();
    const api = new ApiProcess(
      await freePort(),
      { DATABASE_URL: databaseUrl, FIELDCAST_SECRET_KEY: key, FIELDCAST_MIGRATE_ON_START: 'true' },
      cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
    );
    await api.start();
    const dataSource = createDataSource({ url: databaseUrl, applicationName: 'fieldcast-bench', poolSize: 2 });
    await dataSource.initialize();
    try {
      const secret = 'bench-hubspot-client-secret';
      const repo = dataSource.getRepository(ConnectionEntity);
      const connection = await repo.save(
        repo.create({
          name: `hubspot bench ${Date.now()}`,
          vendor: 'hubspot',
          status: 'active',
          authMode: 'oauth2',
          settings: { options: { appId: '1' } },
        }),
      );
      const secretsCiphertext = encryptSecrets(SecretBox.fromBase64(key), connection.id, {
        credentials: { kind: 'api_token', email: 'bench@example.com', token: 'bench' },
        webhookSigningSecret: secret,
      });
      await repo.update({ id: connection.id }, { secretsCiphertext });
      const uri = `${api.baseUrl}/webhooks/hubspot/${connection.id}`;
      let eventSeq = 0;
      const acknowledged = new Set<number>();
      let sentEvents = 0;
      // Per request: when it started (ms into the load phase) and how long its answer took.
      const timeline: Array<[number, number]> = [];
      let phaseStart = performance.now();
      const deliver = async (): Promise<number> => {
        const startedAt = performance.now();
        const ids = Array.from({ length: batch }, () => ++eventSeq);
        const body = JSON.stringify(
          ids.map((eventId) => ({
            eventId,
            subscriptionId: 101,
            portalId: 777,
            appId: 1,
            occurredAt: Date.now(),
            subscriptionType: 'contact.propertyChange',
            attemptNumber: 0,
            objectId: 100_000 + (eventId % 5_000),
            propertyName: 'lifecyclestage',
            propertyValue: 'x',
            changeSource: 'CRM_UI',
          })),
        );
        sentEvents += ids.length;
        const timestamp = String(Date.now());
        const status = await post(uri, body, {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': computeHubSpotSignatureV3(secret, 'POST', uri, body, timestamp),
        });
        timeline.push([startedAt - phaseStart, performance.now() - startedAt]);
        if (status >= 200 && status < 300) for (const id of ids) acknowledged.add(id);
        return status;
      };
      // Warm-up (JIT, pools, the connection cache), not counted.
      await openLoop(20, 2_000, () => deliver());
      const warmEvents = eventSeq;
      acknowledged.clear();
      sentEvents = 0;
      timeline.length = 0;
      phaseStart = performance.now();
      const rate = eventsPerSecond / batch;
      const loadBefore = load();
      console.log(
        `webhook ingress bench: ${eventsPerSecond} events/s as ${rate} HubSpot requests/s of ${batch} events, ${seconds} s, one API process (pid ${api.pid}); ${os.cpus().length} CPUs, load ${loadBefore}`,
      );
      const cpuBefore = api.cpuSeconds();
      const pgBefore = await apiBackends(dataSource);
      const result = await openLoop(rate, seconds * 1000, () => deliver());
      const apiCpu = api.cpuSeconds() - cpuBefore;
      // Backends that existed before count their growth; new ones (the pool grew under load) all of it.
      let pgCpu = 0;
      for (const [pid] of await apiBackends(dataSource)) pgCpu += procCpuSeconds(pid) - (pgBefore.get(pid) ?? 0);
      const loadAfter = load();
      const lat = result.latenciesMs;
      // Printed before the database checks, so a slow check never hides the load figures.
      console.log(
        `  requests: ${result.sent} sent, ${result.ok} acknowledged 2xx, failed ${JSON.stringify(result.failed)} in ${(result.elapsedMs / 1000).toFixed(1)} s → ${((acknowledged.size / result.elapsedMs) * 1000).toFixed(0)} events/s acknowledged`,
      );
      console.log(
        `  ack latency: p50 ${percentile(lat, 50).toFixed(1)} ms, p95 ${percentile(lat, 95).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms, max ${percentile(lat, 100).toFixed(1)} ms; max client start lag ${result.maxStartLagMs.toFixed(1)} ms`,
      );
      console.log(
        `  CPU: API process ${apiCpu.toFixed(1)} s = ${((apiCpu * 1000) / Math.max(1, result.sent)).toFixed(2)} ms/request (${((apiCpu * 1e6) / Math.max(1, sentEvents)).toFixed(0)} µs/event); PostgreSQL backends of the API ${pgCpu.toFixed(1)} s = ${((pgCpu * 1000) / Math.max(1, result.sent)).toFixed(2)} ms/request; load client ${result.cpuMsPerRequest.toFixed(2)} ms/request`,
      );
      console.log(`  load average: before ${loadBefore}, after ${loadAfter}`);
      // p99 per 10-second window: on a shared machine, shows whether the tail comes from bursts of other load.
      const windows = new Map<number, number[]>();
      for (const [at, ms] of timeline) windows.set(Math.floor(at / 10_000), [...(windows.get(Math.floor(at / 10_000)) ?? []), ms]);
      console.log(
        `  p99 per 10 s window: ${[...windows.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([w, values]) => `${w * 10}-${w * 10 + 10} s: ${percentile(values, 99).toFixed(0)} ms`)
          .join(', ')}`,
      );
      // The server's own view: time from receiving the request to answering it (the ack histogram,
      // so bucketed), event-loop delay and GC. Client p99 far above the server's means the wait was
      // outside the handler (CPU starvation, the kernel, the client itself).
      const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
      const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);
      const buckets = [
        ...metrics.matchAll(
          /^fieldcast_webhook_ack_seconds_bucket\{le="([^"]+)",(?:[^}]*,)?provider="hubspot",outcome="accepted"\} (\d+)$/gm,
        ),
      ].map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])] as const);
      const total = buckets.at(-1)?.[1] ?? 0;
      const serverP = (p: number) => buckets.find(([, n]) => n >= total * p)?.[0] ?? NaN;
      console.log(
        `  server side (whole run incl. warm-up): ack p50 ≤ ${serverP(0.5) * 1000} ms, p99 ≤ ${serverP(0.99) * 1000} ms (histogram buckets); event-loop delay p99 ${(metric('fieldcast_nodejs_eventloop_lag_p99_seconds') * 1000).toFixed(1)} ms, max ${(metric('fieldcast_nodejs_eventloop_lag_max_seconds') * 1000).toFixed(1)} ms; GC ${metric('fieldcast_nodejs_gc_duration_seconds_sum').toFixed(2)} s`,
      );
      // Every event by its own id: stored exactly once, and a job per stored row.
      const stored = (await dataSource.query(
        `SELECT split_part(event_id, ':', 4)::bigint AS n, count(*)::int AS copies, min(id::text) AS id FROM webhook_inbox
          WHERE connection_id = $1 GROUP BY 1`,
        [connection.id],
      )) as Array<{ n: string; copies: number; id: string }>;
      const storedIds = new Set(stored.map((r) => Number(r.n)));
      const jobInboxIds = new Set(
        (
          (await dataSource.query(`SELECT data->>'inboxId' AS id FROM pgboss.job WHERE name = 'fieldcast-webhook'`)) as Array<{
            id: string;
          }>
        ).map((r) => r.id),
      );
      let lost = 0;
      for (const id of acknowledged) if (!storedIds.has(id)) lost += 1;
      const duplicates = stored.filter((r) => r.copies > 1).length;
      const withoutJob = stored.filter((r) => Number(r.n) > warmEvents && !jobInboxIds.has(r.id)).length;
      const storedLoad = stored.filter((r) => Number(r.n) > warmEvents).length;
      console.log(
        `  events: ${sentEvents} sent, ${acknowledged.size} acknowledged, ${storedLoad} stored (${duplicates} stored twice), ${storedLoad - withoutJob} with a queued job; ` +
          `LOST (acknowledged, not stored) ${lost}; not acknowledged ${sentEvents - acknowledged.size} (a vendor redelivers those)`,
      );
      console.log(
        `  goal: 1,000 events/s for 60 s, 0 lost, p99 < 100 ms → ${eventsPerSecond >= 1000 && seconds >= 60 && lost === 0 && sentEvents === acknowledged.size && percentile(lat, 99) < 100 ? 'met' : 'NOT met'} at this run's settings`,
      );
      if (lost > 0 || duplicates > 0 || withoutJob > 0) process.exitCode = 1;
    } finally {
      agent.destroy();
      await dataSource.destroy();
      await api.stop();
      if (cpuProfDir) console.log(`  CPU profile of the API process written to ${cpuProfDir}`);
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
