/**
 * A sample of the fuzz in bench/webhook-fuzz.bench.ts (which sends 10,000+): malformed, mutated,
 * oversized and forged requests to the webhook and scoring endpoints are all refused with a 4xx,
 * nothing is stored and nothing answers 5xx or drops the connection.
 */
import { WebhookInboxEntity } from '@fieldcast/database';
import { prepareFuzzTargets, runFuzz } from '../../../bench/webhook-fuzz.bench';
import { startApiBed, storeLeadChampion, type ApiBed } from './scoring-webhooks.e2e-helpers';

const SAMPLE = Number(process.env.FIELDCAST_FUZZ_SAMPLE ?? 1_000);

describe('webhook and scoring fuzz (e2e sample)', () => {
  let bed: ApiBed;

  beforeAll(async () => {
    bed = await startApiBed();
    await storeLeadChampion(bed.platform);
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  }, 30_000);

  it(`refuses ${SAMPLE} hostile requests: 0 accepted, 0 stored, 0 server errors`, async () => {
    const targets = await prepareFuzzTargets(bed);
    const report = await runFuzz(targets, { count: SAMPLE, seed: 20261128, concurrency: 8, deadlineMs: 35_000 });
    expect(report.serverErrors).toEqual([]);
    expect(report.accepted.map((c) => c.kind)).toEqual([]);
    expect(await bed.platform.dataSource.getRepository(WebhookInboxEntity).count()).toBe(0);
    expect(report.sent).toBeGreaterThanOrEqual(Math.min(SAMPLE, 500));
    // Every kind of hostile request was exercised.
    expect(Object.keys(report.byKind).length).toBeGreaterThanOrEqual(16);
  }, 55_000);
});
