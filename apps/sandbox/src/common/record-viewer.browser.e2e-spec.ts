import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { mountRecordViewer, type RecordViewerObject } from './record-viewer';
import { SandboxRouter, SandboxServer } from './sandbox-http';

// The layout claims (no sideways scrolling on a 390 px phone, visible score meters) need a real browser.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`record viewer browser test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

const rows = Array.from({ length: 40 }, (_, i) => ({
  id: String(i + 1),
  fields: {
    subject: `Customer cannot download the invoice PDF from the billing page, attempt ${i + 1}`,
    status: 'open',
    requester: 'Diego Meyer <diego.meyer@example.com>',
    description: 'We need help with the API authentication headers. '.repeat(6),
    ...(i === 0
      ? {
          fieldcast_category: 'Billing',
          fieldcast_escalation_risk: 0.27,
          fieldcast_reasons: 'Mentions invoice (+1.2); Mentions charged twice (+0.8)',
          fieldcast_model_version: 'ticket-category@4',
        }
      : {}),
  },
}));

const tickets: RecordViewerObject = {
  name: 'tickets',
  label: 'Tickets',
  columns: ['subject', 'status', 'requester'],
  titleField: 'subject',
  isFieldcastField: (field) => field.startsWith('fieldcast_'),
  list: (offset, limit) => ({ total: rows.length, rows: rows.slice(offset, offset + limit) }),
  get: (id) => rows.find((r) => r.id === id),
};

(hasChromium ? describe : describe.skip)('record viewer in Chromium', () => {
  const router = new SandboxRouter();
  mountRecordViewer(router, { vendorLabel: 'Zendesk', objects: [tickets, { ...tickets, name: 'users', label: 'Users' }] });
  const server = new SandboxServer({
    vendor: {
      name: 'viewer-browser-test',
      rateLimited: () => ({ status: 429 }),
      serverError: (_req, status) => ({ status }),
      outage: () => ({ status: 503 }),
      notFound: () => ({ status: 404 }),
    },
    router,
    control: new SandboxRouter(),
  });
  let base = '';
  let browser: Browser;
  beforeAll(async () => {
    base = await server.listen(0);
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server.close();
  });

  it('fits a 390 px phone without sideways scrolling and draws the score meter', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const path of ['/', '/view/tickets/1']) {
      await page.goto(`${base}${path}`);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, 390]);
    }
    const meter = await page.evaluate(() => {
      const fill = document.querySelector('.meter i') as HTMLElement;
      return {
        fill: fill.getBoundingClientRect().width,
        track: (fill.parentElement as HTMLElement).getBoundingClientRect().width,
        height: fill.getBoundingClientRect().height,
      };
    });
    expect(meter.height).toBeGreaterThan(0);
    expect(meter.fill / meter.track).toBeCloseTo(0.27, 2);
    await page.close();
  }, 30_000);
});
