/**
 * Throughput of the HubSpot sandbox as the real @hubspot/api-client sees it (issue 3 target: at least
 * 10,000 records/s through pages and batch updates; the sandbox must never be the bottleneck).
 *
 *   node scripts/run-ts.mjs bench/sandbox-hubspot.bench.ts [--contacts 100000] [--updates 20000]
 *
 * Numbers printed:
 * - seed: mapping + loading the generated leads as contacts (and deals) into the sandbox.
 * - list pages: basicApi.getPage(100, after, 8 properties) followed to the end, sequentially.
 * - search pages: searchApi.doSearch sorted by lastmodifieddate, 200 per page, up to the 10,000 cap.
 * - batch updates: batchApi.update of 100 inputs, sequentially, then 4 in parallel.
 * All end to end: SDK serialization, JSON over loopback HTTP, SDK deserialization, in one process, so
 * the CPU figure (records per CPU-second of client + sandbox together) is a lower bound for the sandbox
 * alone and, unlike wall time, stays comparable on a busy machine. The rate limit is switched off
 * (with it on, 100 calls / 10 s would be the bottleneck by design).
 */
import { cpus, loadavg } from 'node:os';
import { Client } from '@hubspot/api-client';
import { generateDemoData } from '../apps/sandbox/src/data/demo-data.generator';
import { createHubSpotSandbox } from '../apps/sandbox/src/hubspot/hubspot.sandbox';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1] ?? fallback);
}

/** Wall time and process CPU time of one phase: on a busy shared machine only the CPU figure is comparable. */
interface Timing {
  ms: number;
  cpuMs: number;
}

function start(): () => Timing {
  const t = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
  };
}

function rate(records: number, timing: Timing): string {
  const perSecond = (ms: number) => Math.round((records / ms) * 1000).toLocaleString('en-US');
  return `${records.toLocaleString('en-US')} records in ${timing.ms.toFixed(0)} ms = ${perSecond(timing.ms)} records/s  [cpu ${timing.cpuMs.toFixed(0)} ms = ${perSecond(timing.cpuMs)} records per cpu-s]`;
}

async function main(): Promise<void> {
  const contacts = argument('contacts', 100_000);
  const updates = argument('updates', 20_000);
  let stop = start();
  const data = generateDemoData({ leads: contacts, tickets: 0, seed: 42 });
  const generateMs = stop();

  const sandbox = createHubSpotSandbox({ rateLimit: { enabled: false } });
  const baseUrl = await sandbox.start(0);
  stop = start();
  sandbox.seed(data);
  const seedMs = stop();

  const creds = sandbox.credentials() as { accessToken: string };
  const hubspot = new Client({ accessToken: creds.accessToken, basePath: baseUrl });
  await hubspot.crm.properties.coreApi.create('contacts', {
    name: 'fieldcast_lead_score',
    label: 'Fieldcast lead score',
    type: 'number' as never,
    fieldType: 'number' as never,
    groupName: 'contactinformation',
  });

  const properties = ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'industry', 'lifecyclestage', 'hs_analytics_source'];
  stop = start();
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await hubspot.crm.contacts.basicApi.getPage(100, after, properties);
    for (const r of page.results) ids.push(r.id);
    after = page.paging?.next?.after;
  } while (after);
  const listMs = stop();
  if (ids.length !== contacts) throw new Error(`expected ${contacts} contacts, got ${ids.length}`);

  stop = start();
  let searched = 0;
  let searchAfter: string | undefined = '0';
  while (searchAfter !== undefined && Number(searchAfter) < 10_000) {
    const page = await hubspot.crm.contacts.searchApi.doSearch({ sorts: ['lastmodifieddate'], properties, limit: 200, after: searchAfter });
    searched += page.results.length;
    searchAfter = page.paging?.next?.after;
  }
  const searchMs = stop();

  const batches: Array<Array<{ id: string; properties: Record<string, string> }>> = [];
  for (let i = 0; i < updates; i += 100)
    batches.push(ids.slice(i, i + 100).map((id, j) => ({ id, properties: { fieldcast_lead_score: String((i + j) % 100) } })));
  stop = start();
  let written = 0;
  for (const inputs of batches) written += (await hubspot.crm.contacts.batchApi.update({ inputs })).results.length;
  const updateMs = stop();

  stop = start();
  let parallelWritten = 0;
  for (let i = 0; i < batches.length; i += 4) {
    const results = await Promise.all(batches.slice(i, i + 4).map((inputs) => hubspot.crm.contacts.batchApi.update({ inputs })));
    parallelWritten += results.reduce((n, r) => n + r.results.length, 0);
  }
  const parallelMs = stop();
  if (written !== updates || parallelWritten !== updates)
    throw new Error(`expected ${updates} writes twice, got ${written} and ${parallelWritten}`);

  console.log(
    `HubSpot sandbox bench (Node ${process.version}, @hubspot/api-client, loopback HTTP; HTTP phases' cpu = SDK client + sandbox; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs)`,
  );
  console.log(`  generate demo data:        ${rate(contacts, generateMs)}`);
  console.log(`  seed contacts (+deals):    ${rate(contacts, seedMs)}`);
  console.log(`  list pages (100/page):     ${rate(ids.length, listMs)}`);
  console.log(`  search pages (200/page):   ${rate(searched, searchMs)}`);
  console.log(`  batch/update 100, serial:  ${rate(written, updateMs)}`);
  console.log(`  batch/update 100, 4 wide:  ${rate(parallelWritten, parallelMs)}`);
  console.log(`  heap used: ${Math.round(process.memoryUsage().heapUsed / 1024 / 1024)} MB`);
  await sandbox.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
