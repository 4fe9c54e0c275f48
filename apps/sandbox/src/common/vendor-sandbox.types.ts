import type { DemoDataSet } from '../data/demo-data.types';
import type { SandboxServer } from './sandbox-http';

/** What every vendor sandbox factory (createSalesforceSandbox, createHubSpotSandbox, createZendeskSandbox) returns. */
export interface VendorSandbox {
  readonly vendor: 'salesforce' | 'hubspot' | 'zendesk';
  readonly server: SandboxServer;
  /** Starts listening; returns the base URL (`http://127.0.0.1:4101`). Port 0 picks a free port. */
  start(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
  /** Replaces the vendor's records with the data set (mapped into the vendor's shapes). */
  seed(data: DemoDataSet): void;
  /** Demo credentials and ids, the same JSON as GET /__sandbox/credentials. */
  credentials(): Record<string, unknown>;
}

export interface VendorSandboxOptions {
  /** Seed data at creation (the demo set); omitted = empty. */
  data?: DemoDataSet;
  /** Access-token lifetime in seconds (token expiry tests set it low). */
  tokenTtlSeconds?: number;
  /** Where webhooks / outbound messages go, when known at start (can be changed via the control API). */
  webhookTarget?: string;
}
