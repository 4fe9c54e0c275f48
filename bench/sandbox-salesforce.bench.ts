/**
 * Throughput of the Salesforce sandbox as the real jsforce sees it (issue 3 target: at least 10,000
 * records/s through query pages and composite updates; the sandbox must never be the bottleneck).
 *
 *   node scripts/run-ts.mjs bench/sandbox-salesforce.bench.ts [--leads 200000] [--updates 20000]
 *
 * Numbers printed:
 * - seed: mapping + loading the generated leads into the sandbox (generation itself is timed separately).
 * - query pages: `SELECT ... ORDER BY SystemModstamp, Id` followed with queryMore (2,000 per page) via
 *   jsforce autoFetch with maxFetch lifted; records/s end to end including JSON over loopback HTTP.
 * - composite updates: `sobject('Lead').update(records, {allowRecursive: true})` = sequential
 *   PATCH composite/sobjects of 200; records/s end to end.
 * - composite, raw fetch: the same PATCH bodies prebuilt and sent with fetch, i.e. the sandbox's own
 *   cost without jsforce's client-side work (both share this process and the machine's cores).
 * - "records per CPU-second" divides by this process's CPU time (client + sandbox), which stays
 *   meaningful when other processes compete for the cores and wall-clock rates drop.
 * - write-back API calls per 1,000 changed scores (issue 4 goal: <= 5 for Salesforce): the connector's
 *   writeBatch (composite 200) next to the per-record jsforce loop a user would otherwise write,
 *   counted by the sandbox, in the same run.
 */
import type { ConnectorContext } from '@fieldcast/connector-sdk';
import { CountingRateBudget } from '@fieldcast/connector-sdk/testing';
import { Connection } from 'jsforce';
import { SALESFORCE_LEADS_STREAM, SalesforceConnector } from '../connectors/salesforce/src';
import { generateDemoData } from '../apps/sandbox/src/data/demo-data.generator';
import { createSalesforceSandbox } from '../apps/sandbox/src/salesforce/salesforce.sandbox';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1] ?? fallback);
}

/** CPU time of this process since `start` (client and sandbox share it, so it bounds the sandbox's cost). */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function perCpu(records: number, cpu: number): string {
  return `CPU ${cpu.toFixed(0)} ms = ${Math.round((records / cpu) * 1000).toLocaleString('en-US')} records per CPU-second`;
}

function rate(records: number, ms: number): string {
  return `${records.toLocaleString('en-US')} records in ${ms.toFixed(0)} ms = ${Math.round((records / ms) * 1000).toLocaleString('en-US')} records/s`;
}

async function main(): Promise<void> {
  const leads = argument('leads', 200_000);
  const updates = argument('updates', 20_000);
  let t = performance.now();
  const data = generateDemoData({ leads, tickets: 0, seed: 42 });
  const generateMs = performance.now() - t;

  const sandbox = createSalesforceSandbox({ dailyApiLimit: 10_000_000 });
  const baseUrl = await sandbox.start(0);
  t = performance.now();
  sandbox.seed(data);
  const seedMs = performance.now() - t;

  const creds = sandbox.credentials() as { accessToken: string; refreshToken: string; clientId: string; clientSecret: string };
  const conn = new Connection({
    instanceUrl: baseUrl,
    loginUrl: baseUrl,
    version: '62.0',
    accessToken: creds.accessToken,
    refreshToken: creds.refreshToken,
    oauth2: { clientId: creds.clientId, clientSecret: creds.clientSecret, loginUrl: baseUrl },
  });

  t = performance.now();
  let cpu = process.cpuUsage();
  const result = await conn.query<{ Id: string }>(
    'SELECT Id, FirstName, LastName, Company, Title, Industry, LeadSource, Status, NumberOfEmployees, AnnualRevenue, IsConverted, SystemModstamp, LastModifiedById FROM Lead ORDER BY SystemModstamp, Id',
    { autoFetch: true, maxFetch: leads },
  );
  const queryMs = performance.now() - t;
  const queryCpu = cpuMs(cpu);
  if (result.records.length !== leads) throw new Error(`expected ${leads} records, got ${result.records.length}`);

  // Twice: the first pass includes JIT warm-up and GC of the generated data, the second is steady state.
  const updateMs: number[] = [];
  const updateCpu: number[] = [];
  for (const pass of [1, 2]) {
    const batch = result.records.slice(0, updates).map((r, i) => ({ Id: r.Id, Title: `Bench ${pass}-${i}` }));
    t = performance.now();
    cpu = process.cpuUsage();
    const saved = (await conn.sobject('Lead').update(batch, { allowRecursive: true })) as Array<{ success: boolean }>;
    updateMs.push(performance.now() - t);
    updateCpu.push(cpuMs(cpu));
    if (saved.filter((s) => s.success).length !== updates) throw new Error('some bench updates failed');
  }

  // The same updates as prebuilt PATCH bodies over plain fetch: the sandbox's own cost without jsforce's.
  const rawBodies: string[] = [];
  for (let i = 0; i < updates; i += 200) {
    const records = result.records.slice(i, i + 200).map((r, j) => ({ id: r.Id, attributes: { type: 'Lead' }, Title: `Raw ${i + j}` }));
    rawBodies.push(JSON.stringify({ allOrNone: false, records }));
  }
  t = performance.now();
  cpu = process.cpuUsage();
  for (const body of rawBodies) {
    const res = await fetch(`${baseUrl}/services/data/v62.0/composite/sobjects`, {
      method: 'PATCH',
      body,
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Content-Type': 'application/json' },
    });
    if (res.status !== 200) throw new Error(`raw PATCH failed: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
  const rawUpdateMs = performance.now() - t;
  const rawUpdateCpu = cpuMs(cpu);

  const stats = sandbox.server.stats.toJSON();
  const writeBack = await writeBackCalls(
    conn,
    baseUrl,
    sandbox.credentials() as Record<string, string>,
    result.records.slice(0, 1000).map((r) => r.Id),
  );
  await sandbox.stop();

  console.log(`Salesforce sandbox bench (Node ${process.version}, jsforce over loopback HTTP)`);
  console.log(`  generate demo leads : ${rate(leads, generateMs)}`);
  console.log(`  seed into sandbox   : ${rate(leads, seedMs)}`);
  console.log(
    `  query + queryMore   : ${rate(leads, queryMs)}; ${perCpu(leads, queryCpu)} (${stats.calls['GET /services/data/:version/query/:locator'] ?? 0} queryMore calls)`,
  );
  console.log(
    `  composite updates   : pass 1 ${rate(updates, updateMs[0])}; pass 2 ${rate(updates, updateMs[1])}, ${perCpu(updates, updateCpu[1])} (${stats.calls['PATCH /services/data/:version/composite/sobjects'] ?? 0} PATCH calls of <= 200)`,
  );
  console.log(`  composite, raw fetch: ${rate(updates, rawUpdateMs)}; ${perCpu(updates, rawUpdateCpu)} (no jsforce on the client side)`);
  console.log(
    `  write-back, 1,000 scores: connector ${writeBack.connectorCalls} calls in ${writeBack.connectorMs.toFixed(0)} ms; naive per-record loop ${writeBack.naiveCalls} calls in ${writeBack.naiveMs.toFixed(0)} ms; ratio ${(writeBack.naiveCalls / writeBack.connectorCalls).toFixed(0)}x fewer calls`,
  );
  console.log(`  peak RSS            : ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

/** API calls (counted by the sandbox) to write 1,000 lead scores: connector writeBatch vs a per-record jsforce loop. */
async function writeBackCalls(
  conn: Connection,
  baseUrl: string,
  creds: Record<string, string>,
  ids: string[],
): Promise<{ connectorCalls: number; connectorMs: number; naiveCalls: number; naiveMs: number }> {
  const connector = new SalesforceConnector();
  const ctx: ConnectorContext = {
    connectionId: 'bench',
    credentials: {
      kind: 'oauth2',
      accessToken: creds.accessToken,
      refreshToken: creds.refreshToken,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      loginUrl: baseUrl,
      instanceUrl: baseUrl,
    },
    settings: { baseUrl, integrationUserId: creds.integrationUserId },
    budget: new CountingRateBudget(),
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined },
    onCredentialsRefreshed: async () => undefined,
  };
  const [score] = connector.fieldSpecs(ctx, SALESFORCE_LEADS_STREAM);
  await connector.ensureFields(ctx, 'leads', [score]);
  const calls = async () => ((await (await fetch(`${baseUrl}/__sandbox/stats`)).json()) as { totalCalls: number }).totalCalls;

  let before = await calls();
  let t = performance.now();
  const results = await connector.writeBatch(ctx, {
    stream: 'leads',
    ops: ids.map((id, i) => ({ opId: String(i), externalId: id, fields: { [score.name]: (i % 100) + 0.5 } })),
  });
  const connectorMs = performance.now() - t;
  if (results.some((r) => r.status !== 'written')) throw new Error('connector write-back failed');
  const connectorCalls = (await calls()) - before;

  before = await calls();
  t = performance.now();
  for (const [i, id] of ids.entries()) await conn.sobject('Lead').update({ Id: id, [score.name]: (i % 100) + 1.5 });
  const naiveMs = performance.now() - t;
  const naiveCalls = (await calls()) - before;
  return { connectorCalls, connectorMs, naiveCalls, naiveMs };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
