import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoData, loadDemoDataSnapshot } from '@fieldcast/sandbox';
import { runSandboxMain } from '../src/main';

async function listen(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const portOf = (server: Server) => (server.address() as { port: number }).port;

/** Three ports that were free a moment ago (the config accepts 1-65535 only, not 0). */
async function freePorts(): Promise<string[]> {
  const servers = await Promise.all([listen(), listen(), listen()]);
  const ports = servers.map((s) => String(portOf(s)));
  await Promise.all(servers.map(close));
  return ports;
}

function collect() {
  const lines = { log: [] as string[], error: [] as string[] };
  return { lines, output: { log: (t: string) => lines.log.push(t), error: (t: string) => lines.error.push(t) } };
}

describe('npm run sandbox (runSandboxMain)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fieldcast-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on the configured ports and prints each URL, the record viewer and the demo credentials', async () => {
    const [sf, hs, zd] = await freePorts();
    const env = { SANDBOX_SALESFORCE_PORT: sf, SANDBOX_HUBSPOT_PORT: hs, SANDBOX_ZENDESK_PORT: zd };
    const { lines, output } = collect();
    const { cluster, exitCode } = await runSandboxMain(['--leads', '12', '--tickets', '7', '--seed', '3'], env, output);
    try {
      expect(exitCode).toBe(0);
      expect(cluster?.urls).toEqual({
        salesforce: `http://127.0.0.1:${sf}`,
        hubspot: `http://127.0.0.1:${hs}`,
        zendesk: `http://127.0.0.1:${zd}`,
      });
      const text = lines.log.join('\n');
      expect(text).toContain('Fieldcast vendor sandboxes: 12 leads, 7 tickets');
      for (const [label, port] of [
        ['Salesforce', sf],
        ['HubSpot', hs],
        ['Zendesk', zd],
      ] as const) {
        expect(text).toContain(`${label}  http://127.0.0.1:${port}\n  record viewer   http://127.0.0.1:${port}/`);
      }
      expect(text).toContain('"accessToken": "');
      expect(text).toContain('Press Ctrl-C to stop.');
      expect(lines.error).toEqual([]);
    } finally {
      await cluster?.stop();
    }
  });

  it('names the taken port and the variable to change, and starts nothing', async () => {
    const [sf, , zd] = await freePorts();
    const blocker = await listen();
    const hs = String(portOf(blocker));
    const { lines, output } = collect();
    try {
      const result = await runSandboxMain(
        ['--leads', '1', '--tickets', '1'],
        { SANDBOX_SALESFORCE_PORT: sf, SANDBOX_HUBSPOT_PORT: hs, SANDBOX_ZENDESK_PORT: zd },
        output,
      );
      expect(result).toEqual({ exitCode: 1 });
      expect(lines.error).toEqual([
        `Port ${hs} (HubSpot sandbox) is already in use on 127.0.0.1: stop the process using it or set SANDBOX_HUBSPOT_PORT to a free port.`,
      ]);
      // Salesforce started before HubSpot failed and was stopped again.
      await close(await listen(Number(sf)));
    } finally {
      await close(blocker);
    }
  });

  it('rejects a bad port variable and a bad option with the config and commander messages', async () => {
    const bad = collect();
    expect(await runSandboxMain([], { SANDBOX_ZENDESK_PORT: 'abc' }, bad.output)).toEqual({ exitCode: 1 });
    expect(bad.lines.error.join('\n')).toContain(
      'SANDBOX_ZENDESK_PORT="abc": expected a TCP port number (1-65535) for SANDBOX_ZENDESK_PORT',
    );
    const option = collect();
    expect(await runSandboxMain(['--leads', 'many'], {}, option.output)).toEqual({ exitCode: 1 });
    expect(option.lines.error.join('\n')).toContain("option '--leads <n>' argument 'many' is invalid. expected a whole number >= 0.");
  });

  it('seeds a dataset from data/ with --preset, generating only the other kind', async () => {
    const [sf, hs, zd] = await freePorts();
    const { lines, output } = collect();
    const { cluster } = await runSandboxMain(
      ['--leads', '5', '--preset', 'bitext-support-intents', '--preset-limit', '20'],
      { SANDBOX_SALESFORCE_PORT: sf, SANDBOX_HUBSPOT_PORT: hs, SANDBOX_ZENDESK_PORT: zd },
      output,
    );
    try {
      expect(lines.log.join('\n')).toContain('Fieldcast vendor sandboxes: 5 leads, 20 tickets');
      expect(cluster?.data.tickets[0]?.key).toBe('bitext-ticket-000001');
      expect(cluster?.data.leads).toEqual(generateDemoData({ leads: 5, tickets: 0, seed: 42 }).leads);
    } finally {
      await cluster?.stop();
    }
  });

  it('writes the requested data set to a new --snapshot file and reuses it next time', async () => {
    const snapshot = join(dir, 'demo.jsonl');
    const [sf, hs, zd] = await freePorts();
    const env = { SANDBOX_SALESFORCE_PORT: sf, SANDBOX_HUBSPOT_PORT: hs, SANDBOX_ZENDESK_PORT: zd };
    const first = await runSandboxMain(['--leads', '9', '--tickets', '4', '--snapshot', snapshot], env, collect().output);
    await first.cluster?.stop();
    expect(loadDemoDataSnapshot(snapshot).leads).toHaveLength(9);
    const second = collect();
    const again = await runSandboxMain(['--leads', '50', '--snapshot', snapshot], env, second.output);
    await again.cluster?.stop();
    expect(second.lines.log.join('\n')).toContain('Fieldcast vendor sandboxes: 9 leads, 4 tickets');
  });
});
