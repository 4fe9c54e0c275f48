/**
 * Zendesk sandbox throughput with the real node-zendesk client over HTTP (issue 3: a sandbox is never
 * the bottleneck, >= 10,000 records/s through export pages and bulk updates).
 *
 *   node scripts/run-ts.mjs bench/sandbox-zendesk.bench.ts [--tickets 100000] [--updates 20000] [--concurrency 4]
 *
 * The sandbox runs in a child process (as it does for a real connector), so the numbers are the
 * sandbox's, not the client's JSON parsing in the same thread. Prints: seed time; records/s through
 * the cursor export (1000 per page, as the SDK reads it); records/s through update_many (100 per
 * request, per-ticket custom field values, open tickets only) from the first PUT until every job
 * reports completed (show_many polls included).
 */
import { fork } from 'node:child_process';
import { createClient } from 'node-zendesk';
import { generateDemoData } from '../apps/sandbox/src/data/demo-data.generator';
import { createZendeskSandbox } from '../apps/sandbox/src/zendesk/zendesk.sandbox';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1] ?? fallback);
}

interface SdkResult<T> {
  response: { status: number };
  result: T;
}

interface Ready {
  base: string;
  credentials: { endpointUri: string; email: string; apiToken: string };
  generateMs: number;
  seedMs: number;
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');

/** Child: generate, seed, serve until told to stop. */
async function serve(): Promise<void> {
  const tickets = argument('tickets', 100_000);
  let t = performance.now();
  const data = generateDemoData({ leads: 0, tickets, seed: 42 });
  const generateMs = performance.now() - t;
  const sandbox = createZendeskSandbox({});
  t = performance.now();
  sandbox.seed(data);
  const seedMs = performance.now() - t;
  const base = await sandbox.start(0);
  sandbox.settings = {
    ...sandbox.settings,
    requestsPerMinute: 1_000_000,
    exportRequestsPerMinute: 1_000_000,
    exportBufferSeconds: 0,
    jobStepMs: 0,
  };
  process.on('message', () => void sandbox.stop().then(() => process.exit(0)));
  process.send!({ base, credentials: sandbox.credentials() as unknown as Ready['credentials'], generateMs, seedMs } satisfies Ready);
}

async function main(): Promise<void> {
  const ticketCount = argument('tickets', 100_000);
  const updateCount = argument('updates', 20_000);
  const concurrency = argument('concurrency', 4);
  const child = fork(__filename, ['--serve', '--tickets', String(ticketCount)], { stdio: 'inherit' });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
  });
  const { credentials } = ready;
  const client = createClient({ username: credentials.email, token: credentials.apiToken, endpointUri: credentials.endpointUri });

  // Export: loop exportCursor until end_of_stream, as a connector does.
  let t = performance.now();
  let exported = 0;
  let pages = 0;
  const openIds: number[] = [];
  type Page = { tickets: Array<{ id: number; status: string }>; after_cursor: string; end_of_stream: boolean };
  let page = ((await client.ticketexport.exportCursor(0, undefined as unknown as string)) as SdkResult<Page>).result;
  for (;;) {
    exported += page.tickets.length;
    pages += 1;
    for (const ticket of page.tickets) if (ticket.status !== 'closed' && openIds.length < updateCount) openIds.push(ticket.id);
    if (page.end_of_stream) break;
    page = ((await client.ticketexport.exportCursor(undefined as unknown as number, page.after_cursor)) as SdkResult<Page>).result;
  }
  const exportMs = performance.now() - t;

  // update_many: per-ticket values on a decimal field, `concurrency` requests in flight, then poll to completion.
  const field = (
    (await client.ticketfields.create({ ticket_field: { type: 'decimal', title: 'Fieldcast Escalation Risk' } })) as SdkResult<{
      id: number;
    }>
  ).result;
  const batches: Array<Array<{ id: number; custom_fields: Array<{ id: number; value: number }> }>> = [];
  for (let i = 0; i < openIds.length; i += 100) {
    batches.push(openIds.slice(i, i + 100).map((id) => ({ id, custom_fields: [{ id: field.id, value: (id % 97) / 100 }] })));
  }
  // Zendesk keeps only the last 100 job statuses: submit in waves of 50 jobs and poll each wave to completion.
  t = performance.now();
  let puts = 0;
  let polls = 0;
  let updated = 0;
  let failed = 0;
  for (let wave = 0; wave < batches.length; wave += 50) {
    const waveBatches = batches.slice(wave, wave + 50);
    const jobIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < waveBatches.length) {
          const batch = waveBatches[next++]!;
          const { result } = (await client.tickets.put(['tickets', 'update_many'], { tickets: batch })) as unknown as SdkResult<{
            job_status: { id: string };
          }>;
          jobIds.push(result.job_status.id);
          puts += 1;
        }
      }),
    );
    let pending = jobIds;
    while (pending.length) {
      const { result } = (await client.jobstatuses.showMany(pending)) as unknown as SdkResult<{
        job_statuses: Array<{ id: string; status: string; results: Array<{ success: boolean }> | null }>;
      }>;
      polls += 1;
      pending = [];
      for (const job of result.job_statuses) {
        if (job.status !== 'completed') pending.push(job.id);
        else
          for (const r of job.results ?? []) {
            if (r.success) updated += 1;
            else failed += 1;
          }
      }
    }
  }
  const updateMs = performance.now() - t;
  child.send('stop');

  console.log(`Zendesk sandbox bench (${ready.base}, node ${process.versions.node}, sandbox in a child process)`);
  console.log(
    `  generate ${ticketCount.toLocaleString('en-US')} demo tickets: ${ready.generateMs.toFixed(0)} ms; seed: ${ready.seedMs.toFixed(0)} ms (${rate(ticketCount, ready.seedMs)} records/s)`,
  );
  console.log(
    `  cursor export: ${exported.toLocaleString('en-US')} tickets in ${pages} pages, ${exportMs.toFixed(0)} ms -> ${rate(exported, exportMs)} records/s`,
  );
  console.log(
    `  update_many: ${updated.toLocaleString('en-US')} updated, ${failed} failed, ${puts} PUTs + ${polls} show_many polls, ${updateMs.toFixed(0)} ms -> ${rate(updated + failed, updateMs)} records/s`,
  );
}

(process.argv.includes('--serve') ? serve() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
