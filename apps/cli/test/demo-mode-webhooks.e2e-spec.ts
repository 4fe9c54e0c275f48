/**
 * Demo mode's Salesforce connection receives the sandbox's outbound messages: the org id is stored
 * where the OAuth flow stores it, the URL secret only inside the encrypted secrets, and the URL
 * registered with the sandbox (on the public URL) is accepted and acknowledged, before and after a
 * restart (which gives the same connection a new secret and registers the new URL).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@fieldcast/config';
import { createAllConnectors } from '@fieldcast/connectors';
import { ConnectionEntity, WebhookInboxEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createLogger, startPlatform, type Platform } from '@fieldcast/runtime';
import { decryptSecrets } from '@fieldcast/sync-engine';
import { createApiApp } from '../../api/src/create-api-app';
import { startDemoMode, type DemoMode } from '../src/demo/demo-mode';

jest.setTimeout(90_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('demo mode: Salesforce outbound messages reach the demo connection', () => {
  let db: TestDatabase;
  let platform: Platform;
  let app: INestApplication;
  let demo: DemoMode | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({
      DATABASE_URL: db.url,
      FIELDCAST_SECRET_KEY: randomBytes(32).toString('base64'),
      FIELDCAST_MIGRATE_ON_START: 'false',
      FIELDCAST_DEMO: 'true',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      SANDBOX_SALESFORCE_PORT: String(await freePort()),
      SANDBOX_HUBSPOT_PORT: String(await freePort()),
      SANDBOX_ZENDESK_PORT: String(await freePort()),
    });
    platform = await startPlatform({ config, log: createLogger({ level: 'silent' }), role: 'producer', connectors: createAllConnectors() });
    app = await createApiApp(platform);
    await app.listen(0, '127.0.0.1');
    platform.config.publicUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  }, 90_000);

  afterAll(async () => {
    await demo?.stop();
    await app?.close();
    await platform?.shutdown();
    await db?.drop();
  }, 60_000);

  /** The demo Salesforce connection, its registered endpoint URL, and one outbound message sent to it. */
  const deliverOne = async (running: DemoMode) => {
    const sf = running.cluster.urls.salesforce;
    const connection = await platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ isDemo: true, vendor: 'salesforce' });
    const { endpoints } = (await (await fetch(`${sf}/__sandbox/outbound`)).json()) as { endpoints: Array<{ url: string; object: string }> };
    const url = endpoints.find((e) => e.object === 'Lead')!.url;
    const call = async (path: string, body: unknown) =>
      (
        await fetch(`${sf}/__sandbox/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    // An existing lead, read as any API client would (changing one through the sandbox would also notify).
    const creds = running.cluster.salesforce.credentials();
    const query = await fetch(`${sf}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Lead ORDER BY Id LIMIT 1')}`, {
      headers: { authorization: `Bearer ${String(creds['accessToken'])}` },
    });
    const lead = ((await query.json()) as { records: Array<{ Id: string }> }).records[0]!;
    await platform.dataSource.getRepository(WebhookInboxEntity).delete({ connectionId: connection.id });
    const fired = (await call('webhooks/fire', { object: 'Lead', ids: [lead.Id] })) as {
      deliveries: Array<{ url: string; status: number; acknowledged: boolean }>;
    };
    const stored = await platform.dataSource
      .getRepository(WebhookInboxEntity)
      .countBy({ connectionId: connection.id, externalId: lead.Id });
    return { connection, url, fired, stored };
  };

  it('stores the org id in the settings, the URL secret only encrypted, and acknowledges what the sandbox sends', async () => {
    demo = await startDemoMode(platform);
    const { connection, url, fired, stored } = await deliverOne(demo);
    const org = String(demo.cluster.salesforce.credentials()['organizationId']);
    expect(connection.settings['organizationId']).toBe(org);
    const secret = decryptSecrets(platform.secrets, connection).webhookSigningSecret!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(url).toBe(`${platform.config.publicUrl}/webhooks/salesforce/${connection.id}/${secret}`);
    expect(JSON.stringify({ ...connection, secretsCiphertext: null })).not.toContain(secret);
    expect(fired.deliveries.length).toBeGreaterThan(0);
    expect(fired.deliveries.every((d) => d.url === url && d.status === 200 && d.acknowledged)).toBe(true);
    expect(stored).toBe(1);
  });

  it('after a restart, keeps the connection, gives it a new URL secret and the new URL works', async () => {
    const before = await platform.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ isDemo: true, vendor: 'salesforce' });
    await demo!.stop();
    demo = await startDemoMode(platform);
    // This API process outlived the restart (a real `npm start` restarts it too): its webhook
    // connection cache sees the changed row within its revalidation period, and Salesforce retries.
    const deadline = Date.now() + 15_000;
    let last = await deliverOne(demo);
    while (!last.fired.deliveries.some((d) => d.acknowledged) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      last = await deliverOne(demo);
    }
    const { connection, url, fired, stored } = last;
    expect(connection.id).toBe(before.id);
    const secret = decryptSecrets(platform.secrets, connection).webhookSigningSecret!;
    expect(secret).not.toBe(decryptSecrets(platform.secrets, before).webhookSigningSecret);
    expect(url).toBe(`${platform.config.publicUrl}/webhooks/salesforce/${connection.id}/${secret}`);
    expect(fired.deliveries.some((d) => d.url === url && d.status === 200 && d.acknowledged)).toBe(true);
    expect(stored).toBeGreaterThanOrEqual(1);
  });
});
