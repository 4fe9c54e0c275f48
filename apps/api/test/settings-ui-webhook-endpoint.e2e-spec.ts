/// <reference lib="dom" />
/**
 * The webhook endpoint panel of the settings UI in Debian's Chromium: an admin connects Salesforce
 * through the sandbox's consent page, sees the Outbound Message endpoint URL masked with where to
 * paste it and that it is ready (org id recorded), copies it (the clipboard gets the full URL that
 * the API accepts outbound messages on); a viewer sees it masked with no way to copy it.
 * Screenshots go to test-artifacts/settings-ui/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { hashPassword } from '@fieldcast/common';
import { AdminUserEntity, WebhookInboxEntity } from '@fieldcast/database';
import { ADMIN_EMAIL, ADMIN_PASSWORD, AdminClient, startAdminBed, type AdminBed } from './admin-bed.e2e-helpers';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(__dirname, '../../..');
const artifacts = path.join(root, 'test-artifacts', 'settings-ui');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`webhook endpoint UI tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
const describeWithBrowser = hasChromium ? describe : describe.skip;

jest.setTimeout(60_000);

describeWithBrowser('settings UI: webhook endpoint panel in Chromium', () => {
  let bed: AdminBed;
  let browser: Browser;
  let connectionUrl = '';
  let fullUrl = '';

  const signIn = async (email: string, password: string, viewport = { width: 1280, height: 900 }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    // The page may write the clipboard (the Copy button) and the test reads it back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bed.baseUrl });
    const page = await context.newPage();
    await page.goto(bed.baseUrl);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    return page;
  };
  const panel = (page: Page) => page.locator('section.card', { has: page.getByRole('heading', { name: 'Webhooks' }) });

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/build-ui.mjs'), '--quiet'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the settings UI failed: ${build.stderr}`);
    mkdirSync(artifacts, { recursive: true });
    bed = await startAdminBed({ sandboxes: true });
    expect((await new AdminClient(bed.baseUrl).signIn(ADMIN_EMAIL, ADMIN_PASSWORD, '/admin/api/setup')).status).toBe(201);
    await bed.platform.dataSource
      .getRepository(AdminUserEntity)
      .save({ email: 'viewer@fieldcast.test', role: 'viewer', passwordHash: await hashPassword('viewer password 123') });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bed?.close();
  }, 60_000);

  it('shows an admin the Salesforce Outbound Message URL to paste, masked until copied, ready to receive', async () => {
    const page = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Add connection' }).click();
    await page.getByLabel(/Salesforce/).check();
    await page.getByLabel('Connection name').fill('Salesforce demo');
    await page.getByRole('button', { name: 'Connect Salesforce' }).click();
    await page.waitForURL((url) => url.origin === bed.sandboxes!.urls.salesforce);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/connections\/[0-9a-f-]{36}\/streams/);
    connectionUrl = page.url().replace(/\/streams.*$/, '');
    const id = connectionUrl.split('/').pop()!;

    const webhooks = panel(page);
    const field = webhooks.getByLabel('Outbound Message endpoint URL');
    await field.waitFor();
    expect(await field.inputValue()).toBe(`${bed.baseUrl}/webhooks/salesforce/${id}/••••••••`);
    await webhooks.getByText(/Salesforce Setup.*Endpoint URL/).waitFor();
    await webhooks.getByText(/Outbound messages from org 00D\w+ are accepted\./).waitFor();
    await page.screenshot({ path: path.join(artifacts, '19-salesforce-webhook-endpoint.png'), fullPage: true });

    await webhooks.getByRole('button', { name: 'Copy URL' }).click();
    await webhooks.getByText('Copied').waitFor();
    fullUrl = await field.inputValue();
    expect(fullUrl).toMatch(new RegExp(`^${bed.baseUrl}/webhooks/salesforce/${id}/[A-Za-z0-9_-]{32}$`));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fullUrl);
    await page.context().close();

    // The copied URL is the one Fieldcast accepts the sandbox's outbound messages on.
    const sf = bed.sandboxes!.urls.salesforce;
    const call = (p: string, body: unknown) =>
      fetch(`${sf}/__sandbox/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const lead = (await (await call('records/Lead', { LastName: 'Copied URL', Company: 'Acme' })).json()) as { Id: string };
    await call('outbound', { url: fullUrl, objects: ['Lead'] });
    const fired = (await (await call('webhooks/fire', { object: 'Lead', ids: [lead.Id] })).json()) as {
      deliveries: Array<{ acknowledged: boolean }>;
    };
    expect(fired.deliveries).toEqual([expect.objectContaining({ acknowledged: true })]);
    expect(await bed.platform.dataSource.getRepository(WebhookInboxEntity).countBy({ connectionId: id, externalId: lead.Id })).toBe(1);
    await fetch(`${sf}/__sandbox/outbound`, { method: 'DELETE' });
  });

  it('tells a viewer only admins can see it (no copy button, nothing of the secret in the page), also at 390 px', async () => {
    const page = await signIn('viewer@fieldcast.test', 'viewer password 123', { width: 390, height: 844 });
    await page.goto(`${connectionUrl}/streams`);
    const webhooks = panel(page);
    await webhooks.getByText('Only admins can see this URL: its last part is a secret.').waitFor();
    expect(await webhooks.getByRole('button').count()).toBe(0);
    expect(await page.content()).not.toContain(fullUrl.split('/').pop()!);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(artifacts, '20-salesforce-webhook-endpoint-viewer-390px.png'), fullPage: true });
    await page.context().close();
  });
});
