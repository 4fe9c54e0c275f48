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
 */
import { Connection } from 'jsforce';
import { generateDemoData } from '../apps/sandbox/src/data/demo-data.generator';
import { createSalesforceSandbox } from '../apps/sandbox/src/salesforce/salesforce.sandbox';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1] ?? fallback);
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
  const result = await conn.query<{ Id: string }>(
    'SELECT Id, FirstName, LastName, Company, Title, Industry, LeadSource, Status, NumberOfEmployees, AnnualRevenue, IsConverted, SystemModstamp, LastModifiedById FROM Lead ORDER BY SystemModstamp, Id',
    { autoFetch: true, maxFetch: leads },
  );
  const queryMs = performance.now() - t;
  if (result.records.length !== leads) throw new Error(`expected ${leads} records, got ${result.records.length}`);

  const batch = result.records.slice(0, updates).map((r, i) => ({ Id: r.Id, Title: `Bench ${i}` }));
  t = performance.now();
  const saved = (await conn.sobject('Lead').update(batch, { allowRecursive: true })) as Array<{ success: boolean }>;
  const updateMs = performance.now() - t;
  if (saved.filter((s) => s.success).length !== updates) throw new Error('some bench updates failed');

  const stats = sandbox.server.stats.toJSON();
  await sandbox.stop();

  console.log(`Salesforce sandbox bench (Node ${process.version}, jsforce over loopback HTTP)`);
  console.log(`  generate demo leads : ${rate(leads, generateMs)}`);
  console.log(`  seed into sandbox   : ${rate(leads, seedMs)}`);
  console.log(
    `  query + queryMore   : ${rate(leads, queryMs)} (${stats.calls['GET /services/data/:version/query/:locator'] ?? 0} queryMore calls)`,
  );
  console.log(
    `  composite updates   : ${rate(updates, updateMs)} (${stats.calls['PATCH /services/data/:version/composite/sobjects'] ?? 0} PATCH calls of <= 200)`,
  );
  console.log(`  peak RSS            : ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
