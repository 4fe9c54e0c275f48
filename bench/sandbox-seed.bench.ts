/**
 * How long it takes, and how much memory, to generate the demo data set and to seed it into each
 * vendor sandbox. Target (issue 3): 1,000,000 records seeded in under 60 s.
 *
 *   node scripts/run-ts.mjs bench/sandbox-seed.bench.ts [--records 1000000] [--vendors salesforce,hubspot,zendesk]
 *
 * Records are split half leads, half tickets. Each phase runs in its own process so that its peak RSS
 * is its own (process.resourceUsage().maxRSS), not the leftovers of the previous phase.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import type { VendorSandbox, VendorSandboxOptions } from '../apps/sandbox/src/common/vendor-sandbox.types';
import { generateDemoData } from '../apps/sandbox/src/data/demo-data.generator';
import { createHubSpotSandbox } from '../apps/sandbox/src/hubspot/hubspot.sandbox';
import { createSalesforceSandbox } from '../apps/sandbox/src/salesforce/salesforce.sandbox';
import { createZendeskSandbox } from '../apps/sandbox/src/zendesk/zendesk.sandbox';

type Phase = 'generate' | 'salesforce' | 'hubspot' | 'zendesk';
const VENDORS: Phase[] = ['salesforce', 'hubspot', 'zendesk'];

interface PhaseResult {
  phase: Phase;
  records: number;
  generateMs: number;
  /** CPU time (user + system, all threads incl. GC) — meaningful on a busy machine where wall time is not. */
  generateCpuMs: number;
  seedMs?: number;
  seedCpuMs?: number;
  peakRssMb: number;
  heapUsedMb: number;
}

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const FACTORIES: Record<Exclude<Phase, 'generate'>, (options: VendorSandboxOptions) => VendorSandbox> = {
  salesforce: createSalesforceSandbox,
  hubspot: createHubSpotSandbox,
  zendesk: createZendeskSandbox,
};

function runPhase(phase: Phase, records: number): PhaseResult {
  const leads = Math.floor(records / 2);
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let t = performance.now();
  let cpu = process.cpuUsage();
  const data = generateDemoData({ leads, tickets: records - leads, seed: 42 });
  const generateMs = performance.now() - t;
  const generateCpuMs = cpuMs(cpu);
  let seedMs: number | undefined;
  let seedCpuMs: number | undefined;
  if (phase !== 'generate') {
    const sandbox = FACTORIES[phase]({});
    t = performance.now();
    cpu = process.cpuUsage();
    sandbox.seed(data);
    seedMs = performance.now() - t;
    seedCpuMs = cpuMs(cpu);
  }
  return {
    phase,
    records: data.leads.length + data.tickets.length,
    generateMs,
    generateCpuMs,
    seedMs,
    seedCpuMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1e6,
  };
}

function format(result: PhaseResult): string {
  const total = result.generateMs + (result.seedMs ?? 0);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rate = (ms: number) => `${Math.round(result.records / (ms / 1000)).toLocaleString('en-US')} records/s`;
  const seed =
    result.seedMs === undefined
      ? ''
      : `  seed ${seconds(result.seedMs)} [cpu ${seconds(result.seedCpuMs ?? 0)}] (${rate(result.seedMs)})  total ${seconds(total)}`;
  return `${result.phase.padEnd(10)}  ${result.records.toLocaleString('en-US')} records  generate ${seconds(result.generateMs)} [cpu ${seconds(result.generateCpuMs)}] (${rate(result.generateMs)})${seed}  peak RSS ${Math.round(result.peakRssMb)} MB  heap ${Math.round(result.heapUsedMb)} MB  ${total < 60_000 ? 'under' : 'OVER'} 60 s`;
}

async function main(): Promise<void> {
  const records = Number(argument('records', '1000000'));
  if (!Number.isInteger(records) || records < 2 || records > 2_000_000) {
    console.error(`--records must be a whole number from 2 to 2000000, got ${argument('records', '')}`);
    process.exit(2);
  }
  const child = argument('phase', '');
  if (child) {
    // Child process: one phase, one JSON line on stdout.
    console.log(JSON.stringify(runPhase(child as Phase, records)));
    return;
  }
  const vendors = argument('vendors', VENDORS.join(',')).split(',') as Phase[];
  const unknown = vendors.filter((v) => !VENDORS.includes(v));
  if (unknown.length) {
    console.error(`--vendors: unknown ${unknown.join(', ')} (known: ${VENDORS.join(', ')})`);
    process.exit(2);
  }
  console.log(
    `sandbox seed benchmark: ${records.toLocaleString('en-US')} records (half leads, half tickets), seed 42, Node ${process.version}`,
  );
  // Wall times are only comparable on a quiet machine; the load average says how quiet it was.
  console.log(
    `${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; times are wall [cpu]`,
  );
  for (const phase of ['generate', ...vendors] as Phase[]) {
    const run = spawnSync(process.execPath, ['--max-old-space-size=6144', __filename, '--phase', phase, '--records', String(records)], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) {
      console.log(
        `${phase.padEnd(10)}  FAILED (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(0, 3).join(' | ')}`,
      );
      continue;
    }
    console.log(format(JSON.parse(line) as PhaseResult));
  }
}

void main();
