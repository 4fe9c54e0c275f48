import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_VENDORS, SandboxPortInUseError, generateDemoData, startSandboxes, type SandboxCluster } from '@fieldcast/sandbox';

describe('startSandboxes', () => {
  const snapshotDir = mkdtempSync(join(tmpdir(), 'fieldcast-cluster-'));
  const snapshotFile = join(snapshotDir, 'demo.jsonl');
  let cluster: SandboxCluster;

  beforeAll(async () => {
    cluster = await startSandboxes({
      ports: { salesforce: 0, hubspot: 0, zendesk: 0 },
      data: { leads: 40, tickets: 30, seed: 9 },
      snapshotFile,
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(snapshotDir, { recursive: true, force: true });
  });

  it('starts the three vendors on free ports, each with its credentials', async () => {
    expect(Object.keys(cluster.urls).sort()).toEqual(['hubspot', 'salesforce', 'zendesk']);
    expect(new Set(Object.values(cluster.urls)).size).toBe(3);
    for (const vendor of SANDBOX_VENDORS) {
      const url = cluster.urls[vendor];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/__sandbox/credentials`);
      expect(response.status).toBe(200);
      const credentials = (await response.json()) as Record<string, unknown>;
      // The HTTP answer and the in-process accessor are the same credentials (a countdown like expiresIn may tick between the two).
      const inProcess = JSON.parse(JSON.stringify(cluster[vendor].credentials())) as Record<string, unknown>;
      expect(Object.keys(credentials).sort()).toEqual(Object.keys(inProcess).sort());
      for (const key of Object.keys(inProcess).filter((k) => !/expires/i.test(k)))
        expect([key, credentials[key]]).toEqual([key, inProcess[key]]);
      expect(JSON.stringify(credentials)).toContain('"accessToken":"');
      expect(JSON.stringify(credentials)).toContain(url);
    }
  });

  it('serves the record viewer on GET / of every vendor, listing the seeded records', async () => {
    let recordPages = 0;
    for (const vendor of SANDBOX_VENDORS) {
      const response = await fetch(`${cluster.urls[vendor]}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain('<nav class="tabs">');
      // Tickets are seeded everywhere (Case / tickets); the tab counts show the seeded 30 somewhere.
      expect(html).toMatch(/<small>30<\/small>/);
      // Every tab's list opens, and its first record opens as a record page with a Fieldcast section.
      for (const [, tab] of html.matchAll(/<a(?: class="active")? href="(\/view\/[^"]+)">/g)) {
        const list = await fetch(`${cluster.urls[vendor]}${tab}`);
        expect([vendor, tab, list.status]).toEqual([vendor, tab, 200]);
        const record = /<a href="(\/view\/[^"/]+\/[^"]+)">/.exec(await list.text())?.[1];
        if (!record) continue; // an object the vendor derives (deals) may be empty
        const page = await fetch(`${cluster.urls[vendor]}${record.replace(/&amp;/g, '&')}`);
        expect([vendor, record, page.status]).toEqual([vendor, record, 200]);
        expect(await page.text()).toContain('<section class="card fieldcast" aria-label="Fieldcast"><h3>Fieldcast</h3>');
        recordPages += 1;
      }
    }
    // Lead + Case, contacts + tickets, tickets at least.
    expect(recordPages).toBeGreaterThanOrEqual(5);
  });

  it('seeds the data set it was given and saved it as a snapshot that a second cluster reuses', async () => {
    expect(cluster.data).toEqual(generateDemoData({ leads: 40, tickets: 30, seed: 9 }));
    expect(existsSync(snapshotFile)).toBe(true);
    const again = await startSandboxes({
      ports: { salesforce: 0, hubspot: 0, zendesk: 0 },
      data: { leads: 1, tickets: 1, seed: 1 },
      snapshotFile,
    });
    try {
      expect(again.data).toEqual(cluster.data);
    } finally {
      await again.stop();
    }
  });

  it('reports a taken port with the vendor and port, and stops the sandboxes it had started', async () => {
    const listen = async (port: number): Promise<Server> => {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      return server;
    };
    const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
    const probe = await listen(0);
    const salesforcePort = (probe.address() as { port: number }).port;
    await close(probe);
    const blocker = await listen(0);
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startSandboxes({
        ports: { salesforce: salesforcePort, hubspot: port, zendesk: 0 },
        data: { leads: 1, tickets: 1, seed: 1 },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxPortInUseError);
      expect(error).toMatchObject({
        vendor: 'hubspot',
        port,
        message: `the hubspot sandbox cannot listen on 127.0.0.1:${port}: the port is already in use`,
      });
      // Salesforce had started on its port before HubSpot failed: the port is free again.
      await close(await listen(salesforcePort));
    } finally {
      await close(blocker);
    }
  });

  it('rejects an invalid port before starting anything', async () => {
    await expect(startSandboxes({ ports: { salesforce: 70000 } })).rejects.toThrow(
      'startSandboxes: ports.salesforce must be a whole number from 0 to 65535 (0 = any free port), got 70000',
    );
  });
});
