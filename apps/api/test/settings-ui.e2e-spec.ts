/// <reference lib="dom" />
/**
 * The settings UI in Debian's Chromium (playwright-core), served by the real API with the real worker,
 * against the vendor sandboxes: first-run setup, connect HubSpot through its OAuth consent page, map
 * the lead score and create the fields, shadow mode on with its preview, off, sync now with progress,
 * the score on the contact in the sandbox record viewer, a dead letter replayed from the UI, API keys,
 * audit log. Screenshots of each main page go to test-artifacts/settings-ui/ (1280 px and 390 px).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ModelArtifactEntity, SyncRunEntity, WritebackOutboxEntity } from '@fieldcast/database';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startAdminBed, type AdminBed } from './admin-bed.e2e-helpers';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(__dirname, '../../..');
const artifacts = path.join(root, 'test-artifacts', 'settings-ui');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`settings UI browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
const describeWithBrowser = hasChromium ? describe : describe.skip;

jest.setTimeout(60_000);

describeWithBrowser('settings UI in Chromium', () => {
  let bed: AdminBed;
  let browser: Browser;
  let page: Page;
  let connectionUrl = '';

  const shot = async (name: string, target: Page = page) => {
    await target.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/build-ui.mjs'), '--quiet'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the settings UI failed: ${build.stderr}`);
    mkdirSync(artifacts, { recursive: true });
    bed = await startAdminBed({ sandboxes: true, worker: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await bed?.close();
  }, 60_000);

  it('runs first-run setup and signs in', async () => {
    await page.goto(bed.baseUrl);
    await page.getByRole('heading', { name: 'Set up Fieldcast' }).waitFor();
    await shot('01-setup');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel(/Password/).fill('short');
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByText('The password must be at least 12 characters long').waitFor();
    await page.getByLabel(/Password/).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    await page.getByText('No connections yet.').waitFor();
    await shot('02-connections-empty');
  });

  it('connects the HubSpot sandbox through its OAuth consent page', async () => {
    await page.getByRole('link', { name: 'Add connection' }).click();
    await page.getByLabel(/HubSpot/).check();
    await page.getByLabel('Connection name').fill('HubSpot demo');
    await shot('03-add-connection');
    await page.getByRole('button', { name: 'Connect HubSpot' }).click();
    // The sandbox's own consent page (another origin), as a real admin would see HubSpot's.
    await page.waitForURL((url) => url.origin === bed.sandboxes!.urls.hubspot);
    await shot('04-hubspot-consent');
    await page.getByRole('button', { name: 'Connect app' }).click();
    await page.waitForURL(/\/connections\/[0-9a-f-]{36}\/streams/);
    connectionUrl = page.url().replace(/\/streams.*$/, '');
    await page.getByRole('heading', { name: 'HubSpot demo' }).waitFor();
    await page.getByText(/HubSpot is connected/).waitFor();
  });

  it('maps the lead score, creates the field, and previews in shadow mode', async () => {
    const contacts = page.locator('section.card', { has: page.getByRole('heading', { name: /contacts/ }) });
    await expectChecked(contacts.getByLabel('Lead score', { exact: true }));
    const leadField = contacts.getByLabel('Lead score field');
    await leadField.fill('1 not a name');
    await contacts.getByRole('button', { name: 'Save' }).click();
    await contacts.getByText(/expected a vendor field API name/).waitFor();
    await leadField.fill('fieldcast_lead_score');
    // Keyboard only: Home puts the threshold slider at 0 so every confident-or-not score is written later.
    const slider = contacts.getByRole('slider');
    await slider.press('Home');
    expect(await slider.inputValue()).toBe('0');
    await contacts.getByText(/^Auto-write threshold: 0 % confidence$/).waitFor();
    await contacts.getByRole('button', { name: 'Save' }).click();
    await contacts.getByText('Saved').waitFor();
    await contacts.getByRole('button', { name: 'Create fields in HubSpot' }).click();
    await contacts.getByText(/fieldcast_lead_score: (created|exists), writable/).waitFor();
    // Shadow mode is on for a new connection: scores are previewed, nothing is written.
    await expectChecked(contacts.getByRole('switch'));
    await contacts.getByText('Nothing scored in shadow mode yet').waitFor();

    await page.getByRole('link', { name: 'Schedule' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.locator('.run-progress').first().waitFor();
    await shot('05-sync-progress');
    await page
      .getByText(/fetched · \d+ scored/)
      .first()
      .waitFor();
    await waitForRuns(bed, 2);
    await waitForNoActiveRuns(page);

    await page.getByRole('link', { name: 'Streams & fields' }).click();
    const preview = page.locator('.shadow-preview').first();
    await preview.getByRole('cell', { name: 'fieldcast_lead_score' }).first().waitFor();
    await shot('06-streams-shadow-preview');
    const writtenBefore = await bed.platform.dataSource.getRepository(WritebackOutboxEntity).countBy({ status: 'written' });
    expect(writtenBefore).toBe(0);
  });

  it('turns shadow mode off, syncs changed records, and the score shows on the contact in HubSpot', async () => {
    const contacts = page.locator('section.card', { has: page.getByRole('heading', { name: /contacts/ }) });
    await contacts.getByRole('switch').uncheck();
    await contacts.getByRole('button', { name: 'Save' }).click();
    await contacts.getByText('Saved').waitFor();
    await expect0(contacts.locator('.shadow-preview'));

    // The connector only reads changes older than HubSpot's search-settle window; the sandbox indexes at once.
    const id = connectionUrl.split('/').pop()!;
    await bed.platform.dataSource.query(
      `UPDATE connection SET settings = jsonb_set(settings, '{options,searchSettleMs}', '0') WHERE id = $1`,
      [id],
    );
    // A CRM user edits three contacts: the next sync rescores them and, shadow mode off, writes the scores.
    const edited = ['51', '52', '53'];
    for (const id of edited) {
      const response = await fetch(`${bed.sandboxes!.urls.hubspot}/__sandbox/records/contacts/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { jobtitle: 'VP Operations' } }),
      });
      expect(response.status).toBe(200);
    }
    const runsBefore = await bed.platform.dataSource.getRepository(SyncRunEntity).count();
    await page.getByRole('link', { name: 'Schedule' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.locator('.run-progress').first().waitFor();
    await waitForRuns(bed, runsBefore + 2);
    await waitForNoActiveRuns(page);

    const outbox = bed.platform.dataSource.getRepository(WritebackOutboxEntity);
    const written = await outbox.findBy({ status: 'written', stream: 'contacts' });
    // Shadow mode off: what the preview showed is written (previews become real writes), and so are
    // the rescored edits; nothing is left waiting in preview.
    const writtenIds = new Set(written.map((w) => w.externalId));
    for (const id of edited) expect(writtenIds.has(id)).toBe(true);
    expect(writtenIds.size).toBeGreaterThan(edited.length);
    expect(await outbox.countBy({ status: 'shadow', stream: 'contacts' })).toBe(0);
    const sample = written.find((w) => 'fieldcast_lead_score' in w.fields)!;
    const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await viewer.goto(`${bed.sandboxes!.urls.hubspot}/view/contacts/${sample.externalId}`);
    await viewer.getByText('Fieldcast', { exact: false }).first().waitFor();
    expect(await viewer.content()).toContain(String(sample.fields['fieldcast_lead_score']));
    await shot('07-hubspot-record-viewer-score', viewer);
    await viewer.close();

    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('table').waitFor();
    await shot('08-runs');
    await page.getByRole('row').nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: /Run of/ }).waitFor();
    await shot('09-run-detail');
  });

  it('replays a dead letter from the UI and the write reaches HubSpot', async () => {
    const id = connectionUrl.split('/').pop()!;
    const outbox = bed.platform.dataSource.getRepository(WritebackOutboxEntity);
    const dead = await outbox.save({
      idempotencyKey: `ui-dead-letter-${Date.now()}`,
      connectionId: id,
      stream: 'contacts',
      object: 'contacts',
      externalId: '60',
      fields: { fieldcast_lead_score: 42 },
      modelVersion: 'replay-test',
      status: 'dead',
      attempts: 6,
      errorCode: 'PERMISSION',
      vendorErrorCode: 'MISSING_SCOPES',
      lastError: 'This app has not been granted all required scopes (crm.objects.contacts.write)',
    });
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByText('MISSING_SCOPES').waitFor();
    expect(await page.getByRole('row', { name: /contacts #60/ }).textContent()).toContain('fieldcast_lead_score = 42');
    await shot('10-dead-letters');
    await page.getByRole('button', { name: 'Replay the write to contacts 60' }).click();
    await page.getByText('1 write queued again.').waitFor();
    const deadline = Date.now() + 30_000;
    while ((await outbox.findOneByOrFail({ id: dead.id })).status !== 'written' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 300));
    expect((await outbox.findOneByOrFail({ id: dead.id })).status).toBe('written');
    const record = (await (await fetch(`${bed.sandboxes!.urls.hubspot}/__sandbox/records/contacts/60`)).json()) as {
      properties: Record<string, unknown>;
    };
    expect(String(record.properties['fieldcast_lead_score'])).toBe('42');
    await page.getByText('No dead letters').waitFor();
  });

  it('shows models, health, API keys (key shown once) and the audit log, also at 390 px', async () => {
    // A trained artifact as the retrain job stores it, with its held-out curves in `evaluation` (the
    // retrain itself, from synced history, is driven in model-card.e2e-spec.ts).
    const id = connectionUrl.split('/').pop()!;
    const grid = Array.from({ length: 11 }, (_, i) => i / 10);
    await bed.platform.dataSource.getRepository(ModelArtifactEntity).save({
      connectionId: id,
      task: 'lead-score',
      version: 1,
      status: 'champion',
      trainingRows: 1840,
      trainedAt: new Date(),
      promotedAt: new Date(),
      decisionReason: 'passed data gates and fit check',
      artifact: {
        explanation: {
          fieldImportance: [
            { field: 'source', meanAbsContribution: 0.9 },
            { field: 'title', meanAbsContribution: 0.5 },
            { field: 'visits', meanAbsContribution: 0.3 },
          ],
        },
        evaluation: {
          rows: 1840,
          kind: 'binary',
          roc: grid.map((fpr) => ({ fpr, tpr: Math.min(1, Math.sqrt(fpr) * 1.02) })),
          calibrationBins: grid.slice(1).map((p) => ({ predicted: p - 0.05, observed: Math.max(0, p - 0.08), count: 184 })),
          scoreHistogram: grid.slice(0, 10).map((start, i) => ({
            start: i * 10 + 1,
            end: i === 9 ? 99 : i * 10 + 10,
            count: 200 - i * 15,
            positives: Math.round((200 - i * 15) * (start + 0.05)),
          })),
        },
      },
      metrics: { auc: 0.83, brier: 0.11 },
    });
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { name: 'Lead score' }).waitFor();
    await page.getByText('ROC curve').waitFor();
    for (const name of [/^ROC curve: /, /^Calibration: /, /^Score distribution: /]) await page.getByRole('img', { name }).waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    expect(await page.locator('.recharts-surface').count()).toBe(4);
    await shot('11-models');
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByText('Last successful sync').waitFor();
    await shot('12-health');

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('website lead form');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByTestId('new-api-key').textContent();
    expect(key).toMatch(/^fck_/);
    await shot('13-api-keys');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await page.getByRole('cell', { name: 'website lead form' }).first().waitFor();
    expect(await page.content()).not.toContain(key!);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page
      .getByRole('cell', { name: /api_key\.create/ })
      .first()
      .waitFor();
    await shot('14-audit-log');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${bed.baseUrl}/connections`);
    await page.getByRole('link', { name: 'HubSpot demo' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('15-connections-390px');
    await page.goto(`${connectionUrl}/streams`);
    await page.getByRole('heading', { name: /contacts/ }).waitFor();
    await shot('16-streams-390px');
  });
});

async function expectChecked(locator: ReturnType<Page['locator']>): Promise<void> {
  expect(await locator.isChecked()).toBe(true);
}

async function expect0(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'detached' });
}

/** `count` runs exist and none is queued or running any more (the worker finished them). */
async function waitForRuns(bed: AdminBed, count: number): Promise<void> {
  const runs = bed.platform.dataSource.getRepository(SyncRunEntity);
  const deadline = Date.now() + 45_000;
  for (;;) {
    const all = await runs.find();
    if (all.length >= count && all.every((r) => r.status !== 'queued' && r.status !== 'running')) return;
    if (Date.now() > deadline) throw new Error(`runs did not finish: ${JSON.stringify(all.map((r) => [r.stream, r.status, r.error]))}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Every followed run on the Schedule tab has reached a final status. */
async function waitForNoActiveRuns(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const bars = [...document.querySelectorAll('.run-progress')];
      return (
        bars.length > 0 &&
        bars.every((bar) => !/queued|running|starting/.test(bar.querySelector('.run-progress-head')?.textContent ?? 'starting'))
      );
    },
    undefined,
    { timeout: 45_000 },
  );
}
