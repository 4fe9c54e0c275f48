/**
 * Starts the three vendor sandboxes together, seeded with one data set, the way `npm run sandbox`,
 * the demo mode and the e2e tests use them. It reads no environment variables: main.ts does that and
 * passes ports in, so tests can start a cluster on port 0 next to a running demo.
 */
import { existsSync } from 'node:fs';
import type { VendorSandbox, VendorSandboxOptions } from './common/vendor-sandbox.types';
import { DEFAULT_DEMO_DATA_OPTIONS, generateDemoData } from './data/demo-data.generator';
import { loadDemoDataSnapshot, saveDemoDataSnapshot } from './data/demo-data.snapshot';
import type { DemoDataOptions, DemoDataSet } from './data/demo-data.types';
import { createHubSpotSandbox } from './hubspot/hubspot.sandbox';
import { createSalesforceSandbox } from './salesforce/salesforce.sandbox';
import { createZendeskSandbox } from './zendesk/zendesk.sandbox';

export type SandboxVendor = 'salesforce' | 'hubspot' | 'zendesk';

export const SANDBOX_VENDORS: readonly SandboxVendor[] = ['salesforce', 'hubspot', 'zendesk'];

export const DEFAULT_SANDBOX_PORTS: Readonly<Record<SandboxVendor, number>> = { salesforce: 4101, hubspot: 4102, zendesk: 4103 };

const FACTORIES: Record<SandboxVendor, (options: VendorSandboxOptions) => VendorSandbox> = {
  salesforce: createSalesforceSandbox,
  hubspot: createHubSpotSandbox,
  zendesk: createZendeskSandbox,
};

export interface SandboxClusterOptions {
  /** Port per vendor; 0 picks a free port. Defaults: Salesforce 4101, HubSpot 4102, Zendesk 4103. */
  ports?: Partial<Record<SandboxVendor, number>>;
  /** Interface to listen on; loopback by default (the sandboxes accept demo credentials). */
  host?: string;
  /** A data set, or generator options. Default: 3,000 leads and 3,000 tickets, seed 42. */
  data?: DemoDataSet | DemoDataOptions;
  /**
   * JSON Lines snapshot of the seed data set: loaded when the file exists (then `data` is ignored),
   * otherwise written after the data set is built. Live changes (write-backs) are not saved.
   */
  snapshotFile?: string;
  /** Where each vendor sends webhooks / outbound messages. */
  webhookTargets?: Partial<Record<SandboxVendor, string>>;
  /** Access-token lifetime for all three vendors (token expiry tests set it low). */
  tokenTtlSeconds?: number;
}

export interface SandboxCluster extends Record<SandboxVendor, VendorSandbox> {
  urls: Record<SandboxVendor, string>;
  /** The data set the sandboxes were seeded with. */
  data: DemoDataSet;
  stop(): Promise<void>;
}

/** A port was taken: says which vendor and port, so the caller can name the setting to change. */
export class SandboxPortInUseError extends Error {
  constructor(
    readonly vendor: SandboxVendor,
    readonly port: number,
    readonly host: string,
  ) {
    super(`the ${vendor} sandbox cannot listen on ${host}:${port}: the port is already in use`);
    this.name = 'SandboxPortInUseError';
  }
}

function isDataSet(data: DemoDataSet | DemoDataOptions): data is DemoDataSet {
  return Array.isArray((data as DemoDataSet).leads) && Array.isArray((data as DemoDataSet).tickets);
}

/** The data set for a cluster: from the snapshot when it exists, else given or generated (and then saved). */
export function resolveSandboxData(options: Pick<SandboxClusterOptions, 'data' | 'snapshotFile'>): DemoDataSet {
  if (options.snapshotFile && existsSync(options.snapshotFile)) return loadDemoDataSnapshot(options.snapshotFile);
  const source = options.data ?? DEFAULT_DEMO_DATA_OPTIONS;
  const data = isDataSet(source) ? source : generateDemoData(source);
  if (options.snapshotFile) saveDemoDataSnapshot(options.snapshotFile, data);
  return data;
}

export async function startSandboxes(options: SandboxClusterOptions = {}): Promise<SandboxCluster> {
  const host = options.host ?? '127.0.0.1';
  const ports = { ...DEFAULT_SANDBOX_PORTS, ...(options.ports ?? {}) };
  for (const vendor of SANDBOX_VENDORS) {
    const port = ports[vendor];
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(
        `startSandboxes: ports.${vendor} must be a whole number from 0 to 65535 (0 = any free port), got ${JSON.stringify(port)}`,
      );
    }
  }
  const data = resolveSandboxData(options);
  const started: VendorSandbox[] = [];
  const sandboxes = {} as Record<SandboxVendor, VendorSandbox>;
  const urls = {} as Record<SandboxVendor, string>;
  try {
    for (const vendor of SANDBOX_VENDORS) {
      const sandbox = FACTORIES[vendor]({
        data,
        webhookTarget: options.webhookTargets?.[vendor],
        tokenTtlSeconds: options.tokenTtlSeconds,
      });
      try {
        urls[vendor] = await sandbox.start(ports[vendor], host);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new SandboxPortInUseError(vendor, ports[vendor], host);
        throw error;
      }
      started.push(sandbox);
      sandboxes[vendor] = sandbox;
    }
  } catch (error) {
    // Leave nothing half-started: a second attempt with another port must find the others free.
    await Promise.allSettled(started.map((s) => s.stop()));
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    ...sandboxes,
    urls,
    data,
    stop: () => (stopping ??= Promise.all(started.map((s) => s.stop())).then(() => undefined)),
  };
}
