/**
 * Scoring API latency: one-record POST /v1/predict/lead-score requests at a fixed rate (open loop,
 * default 200 req/s for 20 s) over HTTP on 127.0.0.1, with every record's fields unique (cache miss:
 * the real inference path), then the same with repeated inputs (cache hit). Goal (issue 5): p99 <= 20 ms.
 *
 *   node scripts/run-ts.mjs bench/api-scoring.bench.ts [ratePerSecond=200] [seconds=20] [--in-process]
 *
 * Uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder. By default the server
 * is a real `fieldcast start api` process (as deployed) and the load client uses keep-alive node:http,
 * so the client's event loop and garbage collection do not stall the server's; `--in-process` serves
 * from the bench process itself (the earlier set-up, for comparison).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { ApiProcess, freePort } from './api-process';
import { createApiKey, openLoop, percentile, startApiBed, storeLeadChampion, withBenchDatabase, type LoadResult } from './api-bench.bed';

function line(label: string, r: LoadResult): string {
  return `${label}: ${r.sent} requests in ${(r.elapsedMs / 1000).toFixed(1)} s, ok ${r.ok}, failed ${JSON.stringify(r.failed)}, p50 ${percentile(r.latenciesMs, 50).toFixed(2)} ms, p90 ${percentile(r.latenciesMs, 90).toFixed(2)} ms, p99 ${percentile(r.latenciesMs, 99).toFixed(2)} ms, max ${percentile(r.latenciesMs, 100).toFixed(1)} ms, max client start lag ${r.maxStartLagMs.toFixed(1)} ms, CPU ${r.cpuMsPerRequest.toFixed(2)} ms/request in the bench process (client, plus the server with --in-process)`;
}

async function main(): Promise<void> {
  const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const rate = Number(positional[0] ?? 200);
  const seconds = Number(positional[1] ?? 20);
  const inProcess = process.argv.includes('--in-process');
  await withBenchDatabase(async (databaseUrl) => {
    // The in-process bed stores the champion model and the API key (and serves with --in-process).
    const bed = await startApiBed({ databaseUrl });
    const api = inProcess
      ? undefined
      : new ApiProcess(await freePort(), { DATABASE_URL: databaseUrl, FIELDCAST_SECRET_KEY: randomBytes(32).toString('base64') });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    try {
      await storeLeadChampion(bed.platform);
      const { key } = await createApiKey(bed.platform, { rateLimitPerMinute: 1_000_000 });
      if (api) await api.start();
      const url = new URL(`${api?.baseUrl ?? bed.baseUrl}/v1/predict/lead-score`);
      const call = (fields: Record<string, unknown>, id: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const body = JSON.stringify({ records: [{ id, fields }] });
          const request = http.request(
            url,
            {
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` },
            },
            (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            },
          );
          request.on('error', reject);
          request.end(body);
        });
      // Warm-up: connections, JIT, the model cache.
      await openLoop(50, 2_000, (i) => call({ LeadSource: 'Web', NumberOfEmployees: -i }, `w${i}`));
      console.log(
        `scoring API bench: ${rate} req/s for ${seconds} s, one record per request, server ${api ? 'in its own process' : 'in the bench process'} (${os.cpus().length} CPUs, load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')})`,
      );
      const sources = ['Webinar', 'Web', 'Partner', 'Cold Call', 'Trade Show'];
      const hitFirst = await openLoop(rate, seconds * 1000, (i) =>
        call({ LeadSource: sources[i % sources.length], Industry: 'Software', NumberOfEmployees: 500 }, `h${i}`),
      );
      console.log(line('  repeated inputs (cache hit)', hitFirst));
      const miss = await openLoop(rate, seconds * 1000, (i) =>
        call(
          { LeadSource: sources[i % sources.length], Industry: 'Software', NumberOfEmployees: 10_000 + i, Description: `lead number ${i}` },
          `m${i}`,
        ),
      );
      console.log(line('  unique inputs (cache miss)', miss));
      console.log(
        `  load average after: ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      if (api) console.log(`  API process CPU: ${api.cpuSeconds().toFixed(1)} s`);
    } finally {
      agent.destroy();
      await api?.stop();
      await bed.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
