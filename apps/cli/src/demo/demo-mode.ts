/**
 * Demo mode: `npm start` on a machine with no real connection starts the local vendor sandboxes,
 * creates (or refreshes) one demo connection per vendor with the sandbox's credentials and webhook
 * secrets, and points the sandboxes' webhooks at this Fieldcast, so a newcomer sees the whole loop
 * (sync → score → write back, webhooks → rescore) in the sandbox record viewers within a minute.
 * Off as soon as a real connection exists, or with FIELDCAST_DEMO=false.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ConnectionEntity } from '@fieldcast/database';
import type { Platform } from '@fieldcast/runtime';
import { startSandboxes, type SandboxCluster } from '@fieldcast/sandbox';
import { encryptSecrets, type StoredSecrets } from '@fieldcast/sync-engine';

type Vendor = 'salesforce' | 'hubspot' | 'zendesk';
type Credentials = Record<string, unknown>;

interface DemoConnectionSpec {
  name: string;
  authMode: 'oauth2' | 'api_token';
  secrets(c: Credentials): StoredSecrets;
  settings(c: Credentials): Record<string, unknown>;
  /** Registers this Fieldcast's webhook URL with the sandbox. */
  webhookRegistration(c: Credentials, url: string): { path: string; body: unknown };
  webhookPath(connection: ConnectionEntity, secrets: StoredSecrets): string;
}

const str = (v: unknown) => String(v);

/** Sandbox credentials → connection secrets and settings, per vendor (data, not code paths). */
const DEMO_CONNECTIONS: Record<Vendor, DemoConnectionSpec> = {
  salesforce: {
    name: 'Salesforce (demo sandbox)',
    authMode: 'oauth2',
    secrets: (c) => ({
      credentials: {
        kind: 'oauth2',
        accessToken: str(c.accessToken),
        refreshToken: str(c.refreshToken),
        clientId: str(c.clientId),
        clientSecret: str(c.clientSecret),
        loginUrl: str(c.loginUrl),
        instanceUrl: str(c.instanceUrl),
      },
      // Outbound messages cannot be signed: the URL carries this secret. The sandbox is new on every
      // start and is told the new URL below, so a new secret per start costs nothing.
      webhookSigningSecret: randomBytes(24).toString('base64url'),
    }),
    // Where the OAuth "Connect" flow stores it too (from the connection test's identity).
    settings: (c) => ({ baseUrl: c.instanceUrl, integrationUserId: c.integrationUserId, organizationId: c.organizationId }),
    webhookRegistration: (_c, url) => ({ path: '/__sandbox/outbound', body: { url, objects: ['Lead', 'Case'], retryBaseMs: 2000 } }),
    webhookPath: (conn, secrets) => `/webhooks/salesforce/${conn.id}/${secrets.webhookSigningSecret}`,
  },
  hubspot: {
    name: 'HubSpot (demo sandbox)',
    authMode: 'oauth2',
    secrets: (c) => ({
      credentials: {
        kind: 'oauth2',
        accessToken: str(c.accessToken),
        refreshToken: str(c.refreshToken),
        expiresAt: Date.parse(str(c.expiresAt)),
        clientId: str(c.clientId),
        clientSecret: str(c.clientSecret),
      },
      webhookSigningSecret: str(c.webhookSigningSecret),
    }),
    settings: (c) => ({ baseUrl: c.basePath, options: { appId: String(c.appId) } }),
    webhookRegistration: (_c, url) => ({ path: '/__sandbox/webhooks', body: { targetUrl: url } }),
    webhookPath: (conn) => `/webhooks/hubspot/${conn.id}`,
  },
  zendesk: {
    name: 'Zendesk (demo sandbox)',
    authMode: 'api_token',
    secrets: (c) => ({
      credentials: { kind: 'api_token', email: str(c.email), token: str(c.apiToken) },
      webhookSigningSecret: str((c.webhook as Credentials | undefined)?.signingSecret),
    }),
    settings: (c) => {
      const fields = (c.ticketFields ?? {}) as Record<string, number>;
      return {
        baseUrl: c.baseUrl,
        integrationUserId: String(c.integrationUserId),
        options: {
          ...(fields.category ? { categoryFieldId: fields.category } : {}),
          ...(fields.customerTier ? { tierFieldId: fields.customerTier } : {}),
        },
      };
    },
    webhookRegistration: (_c, url) => ({ path: '/__sandbox/webhooks/target', body: { url } }),
    webhookPath: (conn) => `/webhooks/zendesk/${conn.id}`,
  },
};

export interface DemoMode {
  cluster: SandboxCluster;
  connections: ConnectionEntity[];
  banner: string[];
  stop(): Promise<void>;
}

export async function shouldRunDemo(platform: Platform): Promise<boolean> {
  const setting = platform.config.FIELDCAST_DEMO;
  if (setting === 'false') return false;
  if (setting === 'true') return true;
  return (await platform.dataSource.getRepository(ConnectionEntity).countBy({ isDemo: false })) === 0;
}

export async function startDemoMode(platform: Platform): Promise<DemoMode> {
  const { config } = platform;
  const cluster = await startSandboxes({
    ports: { salesforce: config.SANDBOX_SALESFORCE_PORT, hubspot: config.SANDBOX_HUBSPOT_PORT, zendesk: config.SANDBOX_ZENDESK_PORT },
  });
  const connections: ConnectionEntity[] = [];
  for (const vendor of Object.keys(DEMO_CONNECTIONS) as Vendor[]) {
    const spec = DEMO_CONNECTIONS[vendor];
    const credentials = cluster[vendor].credentials();
    const secrets = spec.secrets(credentials);
    const connection = await upsertDemoConnection(platform, vendor, spec, credentials, secrets);
    connections.push(connection);
    const registration = spec.webhookRegistration(credentials, `${config.publicUrl}${spec.webhookPath(connection, secrets)}`);
    const response = await fetch(`${cluster.urls[vendor]}${registration.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registration.body),
    });
    if (!response.ok)
      platform.log.warn(
        { vendor, status: response.status },
        'could not point the sandbox webhooks at Fieldcast; scheduled syncs still run',
      );
  }
  const banner = [
    'Demo mode (no real connection yet; FIELDCAST_DEMO=false turns it off):',
    ...(Object.keys(DEMO_CONNECTIONS) as Vendor[]).map(
      (v) => `  ${v.padEnd(10)} sandbox ${cluster.urls[v]}  (record viewer: ${cluster.urls[v]}/)`,
    ),
    '  Scores appear on the sandbox records within a minute of start-up.',
  ];
  return { cluster, connections, banner, stop: () => cluster.stop() };
}

async function upsertDemoConnection(
  platform: Platform,
  vendor: Vendor,
  spec: DemoConnectionSpec,
  credentials: Credentials,
  secrets: StoredSecrets,
): Promise<ConnectionEntity> {
  const repo = platform.dataSource.getRepository(ConnectionEntity);
  let connection = await repo.findOneBy({ isDemo: true, vendor });
  if (!connection) {
    connection = await repo.save(
      repo.create({
        name: spec.name,
        vendor,
        authMode: spec.authMode,
        isDemo: true,
        status: 'active',
        settings: spec.settings(credentials),
        schedule: { kind: 'interval', minutes: 1 },
      }),
    );
  }
  // Sandbox tokens and URLs are new on every start: refresh what the connection holds.
  await saveDemoSecrets(platform.dataSource, platform, connection, spec, credentials, secrets);
  return repo.findOneByOrFail({ id: connection.id });
}

async function saveDemoSecrets(
  dataSource: DataSource,
  platform: Platform,
  connection: ConnectionEntity,
  spec: DemoConnectionSpec,
  credentials: Credentials,
  secrets: StoredSecrets,
): Promise<void> {
  connection.settings = spec.settings(credentials);
  connection.secretsCiphertext = encryptSecrets(platform.secrets, connection.id, secrets);
  if (connection.status === 'needs_reauth') connection.status = 'active';
  await dataSource.getRepository(ConnectionEntity).save(connection);
}
