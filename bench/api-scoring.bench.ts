/**
 * Scoring API latency: one-record POST /v1/predict/lead-score requests at a fixed rate (open loop,
 * default 200 req/s for 20 s) over HTTP on 127.0.0.1, with every record's fields unique (cache miss:
 * the real inference path), then the same with repeated inputs (cache hit). Goal (issue 5): p99 <= 20 ms.
 *
 *   node scripts/run-ts.mjs bench/api-scoring.bench.ts [ratePerSecond=200] [seconds=20]
 *
 * Uses DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder. The load client runs
 * in the same process as the server, so its CPU counts against the server's on a small machine.
 */
import os from 'node:os';
import { createApiKey, openLoop, percentile, startApiBed, storeLeadChampion, withBenchDatabase, type LoadResult } from './api-bench.bed';

function line(label: string, r: LoadResult): string {
  return `${label}: ${r.sent} requests in ${(r.elapsedMs / 1000).toFixed(1)} s, ok ${r.ok}, failed ${JSON.stringify(r.failed)}, p50 ${percentile(r.latenciesMs, 50).toFixed(2)} ms, p90 ${percentile(r.latenciesMs, 90).toFixed(2)} ms, p99 ${percentile(r.latenciesMs, 99).toFixed(2)} ms, max ${percentile(r.latenciesMs, 100).toFixed(1)} ms, max client start lag ${r.maxStartLagMs.toFixed(1)} ms, CPU ${r.cpuMsPerRequest.toFixed(2)} ms/request (server + client)`;
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 200);
  const seconds = Number(process.argv[3] ?? 20);
  await withBenchDatabase(async (databaseUrl) => {
    const bed = await startApiBed({ databaseUrl });
    try {
      await storeLeadChampion(bed.platform);
      const { key } = await createApiKey(bed.platform, { rateLimitPerMinute: 1_000_000 });
      const url = `${bed.baseUrl}/v1/predict/lead-score`;
      const call = async (fields: Record<string, unknown>, id: string): Promise<number> => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ records: [{ id, fields }] }),
        });
        await response.arrayBuffer();
        return response.status;
      };
      // Warm-up: connections, JIT, the model cache.
      await openLoop(50, 2_000, (i) => call({ LeadSource: 'Web', NumberOfEmployees: -i }, `w${i}`));
      console.log(
        `scoring API bench: ${rate} req/s for ${seconds} s, one record per request (${os.cpus().length} CPUs, load ${os
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
    } finally {
      await bed.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
