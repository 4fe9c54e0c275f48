/**
 * `npm run sandbox`: starts the Salesforce, HubSpot and Zendesk sandboxes on loopback with the demo
 * data set, prints where they are and the demo credentials, and stops cleanly on Ctrl-C.
 * Ports come from the validated config (SANDBOX_SALESFORCE_PORT, SANDBOX_HUBSPOT_PORT, SANDBOX_ZENDESK_PORT);
 * the data set from the command-line options (`--help`).
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '@fieldcast/config';
import { Command, InvalidArgumentError } from 'commander';
import { DATA_PRESETS, loadDataPreset } from './data/csv-import.presets';
import { DEFAULT_DEMO_DATA_OPTIONS, generateDemoData } from './data/demo-data.generator';
import type { DemoDataSet } from './data/demo-data.types';
import { SANDBOX_VENDORS, SandboxPortInUseError, startSandboxes, type SandboxCluster, type SandboxVendor } from './sandbox-cluster';

const PORT_VARIABLES: Record<SandboxVendor, string> = {
  salesforce: 'SANDBOX_SALESFORCE_PORT',
  hubspot: 'SANDBOX_HUBSPOT_PORT',
  zendesk: 'SANDBOX_ZENDESK_PORT',
};

const LABELS: Record<SandboxVendor, string> = { salesforce: 'Salesforce', hubspot: 'HubSpot', zendesk: 'Zendesk' };

interface SandboxCliOptions {
  leads: number;
  tickets: number;
  seed: number;
  host: string;
  snapshot?: string;
  preset?: string;
  presetLimit?: number;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number >= 0.');
  return Number(value);
}

function sandboxCommand(): Command {
  return new Command('sandbox')
    .description('Start the local Salesforce, HubSpot and Zendesk sandboxes seeded with demo data.')
    .option('--leads <n>', 'generated leads (Salesforce Leads, HubSpot contacts)', wholeNumber, DEFAULT_DEMO_DATA_OPTIONS.leads)
    .option(
      '--tickets <n>',
      'generated tickets (Salesforce Cases, HubSpot tickets, Zendesk tickets)',
      wholeNumber,
      DEFAULT_DEMO_DATA_OPTIONS.tickets,
    )
    .option('--seed <n>', 'generator seed (same seed, same records)', wholeNumber, DEFAULT_DEMO_DATA_OPTIONS.seed)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--snapshot <file>', 'load the seed data set from this JSON Lines file, or write it there when it does not exist')
    .option('--preset <name>', `replace the generated leads or tickets with a dataset from data/ (${Object.keys(DATA_PRESETS).join(', ')})`)
    .option('--preset-limit <n>', 'read at most this many rows of the preset', wholeNumber)
    .exitOverride();
}

function buildData(options: SandboxCliOptions): DemoDataSet {
  const preset = options.preset ? loadDataPreset(options.preset, { limit: options.presetLimit }) : undefined;
  // Generate only the kind the preset does not replace (each kind has its own random stream, so the other kind is unchanged).
  const leads = preset?.leads.length ? preset.leads : undefined;
  const tickets = preset?.tickets.length ? preset.tickets : undefined;
  const generated = generateDemoData({ leads: leads ? 0 : options.leads, tickets: tickets ? 0 : options.tickets, seed: options.seed });
  return { leads: leads ?? generated.leads, tickets: tickets ?? generated.tickets };
}

function describeCluster(cluster: SandboxCluster): string {
  const lines = [
    `Fieldcast vendor sandboxes: ${cluster.data.leads.length.toLocaleString('en-US')} leads, ${cluster.data.tickets.length.toLocaleString('en-US')} tickets`,
    '',
  ];
  for (const vendor of SANDBOX_VENDORS) {
    const url = cluster.urls[vendor];
    lines.push(`${LABELS[vendor]}  ${url}`);
    lines.push(`  record viewer   ${url}/`);
    lines.push(`  control API     ${url}/__sandbox/credentials  (stats, seed, reset, faults: see apps/sandbox/README.md)`);
    const credentials = JSON.stringify(cluster[vendor].credentials(), null, 2).replace(/\n/g, '\n  ');
    lines.push(`  demo credentials ${credentials}`, '');
  }
  lines.push('Records live in memory. Press Ctrl-C to stop.');
  return lines.join('\n');
}

/** Where the command writes: the console, or lines collected by a test. */
export interface SandboxMainOutput {
  log(text: string): void;
  error(text: string): void;
}

/**
 * Runs the sandbox command. Returns the running cluster (the caller stops it), or no cluster and the
 * exit code after writing a one-line error (0 after --help).
 */
export async function runSandboxMain(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  output: SandboxMainOutput = { log: (text) => console.log(text), error: (text) => console.error(text) },
): Promise<{ cluster?: SandboxCluster; exitCode: number }> {
  let options: SandboxCliOptions;
  let ports: Record<SandboxVendor, number>;
  try {
    const command = sandboxCommand().configureOutput({
      writeOut: (text) => output.log(text.trimEnd()),
      writeErr: (text) => output.error(text.trimEnd()),
    });
    options = command.parse(argv, { from: 'user' }).opts<SandboxCliOptions>();
    const config = loadConfig(env);
    ports = { salesforce: config.SANDBOX_SALESFORCE_PORT, hubspot: config.SANDBOX_HUBSPOT_PORT, zendesk: config.SANDBOX_ZENDESK_PORT };
  } catch (error) {
    if (error instanceof ConfigError) output.error(error.message);
    // commander has already printed its own message (or the help text).
    return { exitCode: (error as { exitCode?: number }).exitCode ?? 1 };
  }
  try {
    // An existing snapshot wins over the data options, so there is nothing to generate.
    const data = options.snapshot && existsSync(options.snapshot) ? undefined : buildData(options);
    const cluster = await startSandboxes({ ports, host: options.host, data, snapshotFile: options.snapshot });
    output.log(describeCluster(cluster));
    return { cluster, exitCode: 0 };
  } catch (error) {
    if (error instanceof SandboxPortInUseError) {
      output.error(
        `Port ${error.port} (${LABELS[error.vendor]} sandbox) is already in use on ${error.host}: stop the process using it or set ${PORT_VARIABLES[error.vendor]} to a free port.`,
      );
    } else {
      output.error(`The sandboxes could not start: ${(error as Error).message}`);
    }
    return { exitCode: 1 };
  }
}

if (require.main === module) {
  void runSandboxMain(process.argv.slice(2)).then(({ cluster, exitCode }) => {
    process.exitCode = exitCode;
    if (!cluster) return;
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) process.exit(1); // a second Ctrl-C does not wait
      stopping = true;
      console.log(`\n${signal}: stopping the sandboxes…`);
      void cluster.stop().then(() => {
        console.log('Sandboxes stopped.');
        process.exit(0);
      });
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });
}
