/**
 * kill -9 of the real API process (`fieldcast start api`) in the middle of a stream of signed HubSpot
 * webhook deliveries, with a real worker process processing them against the HubSpot sandbox. Then,
 * as HubSpot does, every delivery that got no 2xx is sent again (freshly signed) until it does, and
 * some that did get one are redelivered too. Checked:
 *   - every event acknowledged before the kill is in webhook_inbox exactly once;
 *   - every event of every delivery ends up stored exactly once, and processed;
 *   - nothing is processed twice: the sandbox's own write log shows each record written once.
 * Set FAULT_SEED to replay the kill point.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { computeHubSpotSignatureV3 } from '@fieldcast/common';
import type { ConnectionEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createHubSpotSandbox, generateDemoData } from '@fieldcast/sandbox';
import { ApiProcess, freePort } from '../bench/api-process';
import {
  createHubSpotConnection,
  REPO_ROOT,
  SandboxControl,
  SecretBox,
  seededRandom,
  trainedLeadArtifact,
  waitFor,
  WorkerProcess,
  writeCounts,
} from '../bench/pipeline-bed';

const CONTACTS = 60;
const DELIVERIES = 150;
const EVENTS_PER_DELIVERY = 4;
const RATE_PER_SECOND = 60;
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);

interface Delivery {
  index: number;
  body: string;
  eventIds: number[];
  contactIds: string[];
  acknowledged: boolean;
  /** Acknowledged before the kill. */
  ackedBeforeKill: boolean;
  attempts: number;
}

describe('kill -9 of the API during a webhook stream', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let worker: WorkerProcess;
  let sandbox: ReturnType<typeof createHubSpotSandbox>;
  let control: SandboxControl;
  let connection: ConnectionEntity;
  let secret: string;
  let appId: number;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [`${REPO_ROOT}/scripts/build.mjs`, '--quiet'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    db = await createTestDatabase();
    const key = randomBytes(32).toString('base64');
    sandbox = createHubSpotSandbox({
      data: generateDemoData({ leads: CONTACTS, tickets: 0, seed: 5 }),
      rateLimit: { searchPerSecond: 0, maxPerWindow: 1_000_000 },
    });
    const sandboxUrl = await sandbox.start(0, '127.0.0.1');
    control = new SandboxControl(sandboxUrl);
    const credentials = sandbox.credentials();
    secret = String(credentials['webhookSigningSecret']);
    appId = Number(credentials['appId']);
    connection = await createHubSpotConnection({
      dataSource: db.dataSource,
      secrets: SecretBox.fromBase64(key),
      baseUrl: sandboxUrl,
      credentials,
      name: 'kill-9 api',
      artifact: trainedLeadArtifact(),
      options: { retryBaseMs: 100 },
    });
    const env = { DATABASE_URL: db.url, FIELDCAST_SECRET_KEY: key, FIELDCAST_MIGRATE_ON_START: 'false' };
    api = new ApiProcess(await freePort(), env);
    worker = new WorkerProcess({ ...env, FIELDCAST_WORKER_CONCURRENCY: '2' });
    await Promise.all([api.start(), worker.start()]);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await sandbox?.stop();
    await db?.drop();
  }, 60_000);

  it('every acknowledged event stored once; every event stored once after redelivery; each record written once', async () => {
    const random = seededRandom(SEED);
    const contacts = sandbox.stores.contacts
      .all()
      .filter((r) => !r.archived)
      .map((r) => String(r.id));
    const url = `${api.baseUrl}/webhooks/hubspot/${connection.id}`;
    let nextEventId = 1;
    const deliveries: Delivery[] = Array.from({ length: DELIVERIES }, (_, index) => {
      const picked = Array.from({ length: EVENTS_PER_DELIVERY }, () => contacts[Math.floor(random() * contacts.length)]!);
      const eventIds = picked.map(() => nextEventId++);
      const body = JSON.stringify(
        picked.map((objectId, i) => ({
          eventId: eventIds[i],
          subscriptionId: 7,
          portalId: 777,
          appId,
          occurredAt: 1_790_000_000_000 + eventIds[i]!,
          subscriptionType: 'contact.propertyChange',
          attemptNumber: 0,
          objectId: Number(objectId),
          propertyName: 'jobtitle',
          propertyValue: 'VP Sales',
          changeSource: 'CRM_UI',
        })),
      );
      return { index, body, eventIds, contactIds: picked, acknowledged: false, ackedBeforeKill: false, attempts: 0 };
    });
    // HubSpot signs every attempt afresh (v3 covers the timestamp); the body, and so the event ids, stay.
    const deliver = async (d: Delivery): Promise<number> => {
      d.attempts += 1;
      const timestamp = String(Date.now());
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hubspot-request-timestamp': timestamp,
            'x-hubspot-signature-v3': computeHubSpotSignatureV3(secret, 'POST', url, d.body, timestamp),
          },
          body: d.body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300) d.acknowledged = true;
        return response.status;
      } catch {
        return 0; // connection refused or reset: no answer, as a vendor sees it
      }
    };

    // Phase 1: an open-loop stream; SIGKILL as soon as a random share of it has been acknowledged
    // (watched apart from the sending loop, so a slow server still gets killed with work in flight).
    const killAfter = Math.floor(DELIVERIES * (0.25 + random() * 0.35));
    let inFlightAtKill = 0;
    let inFlight = 0;
    const killer = waitFor('the kill point', async () => deliveries.filter((x) => x.acknowledged).length >= killAfter, 120_000, 2).then(
      async () => {
        inFlightAtKill = inFlight;
        for (const x of deliveries) x.ackedBeforeKill = x.acknowledged;
        await api.kill();
      },
    );
    const sends: Array<Promise<number>> = [];
    const started = Date.now();
    for (const d of deliveries) {
      const due = started + (d.index * 1000) / RATE_PER_SECOND;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      inFlight += 1;
      sends.push(
        deliver(d).finally(() => {
          inFlight -= 1;
        }),
      );
    }
    await killer;
    await Promise.all(sends);
    const ackedBeforeKill = deliveries.filter((d) => d.ackedBeforeKill);
    const unanswered = deliveries.filter((d) => !d.acknowledged);
    expect(ackedBeforeKill.length).toBeGreaterThanOrEqual(killAfter);
    expect(unanswered.length).toBeGreaterThan(0);

    // Nothing acknowledged was lost by the kill: each of those events is stored, once.
    const copies = async (): Promise<Map<number, number>> => {
      const rows = (await db.dataSource.query(
        `SELECT split_part(event_id, ':', 4)::int AS n, count(*)::int AS copies FROM webhook_inbox WHERE connection_id = $1 GROUP BY 1`,
        [connection.id],
      )) as Array<{ n: number; copies: number }>;
      return new Map(rows.map((r) => [r.n, r.copies]));
    };
    const afterKill = await copies();
    const storedButUnacknowledged = unanswered.filter((d) => d.eventIds.some((id) => afterKill.has(id))).length;
    for (const d of ackedBeforeKill) for (const id of d.eventIds) expect([id, afterKill.get(id)]).toEqual([id, 1]);

    // Phase 2: restart on the same URL; redeliver what got no 2xx (until it does) and some that did.
    await api.start();
    const redelivered = deliveries.filter((d) => d.acknowledged && random() < 0.25);
    for (let round = 0; round < 6 && deliveries.some((d) => !d.acknowledged); round++) {
      await Promise.all(deliveries.filter((d) => !d.acknowledged).map((d) => deliver(d)));
      if (deliveries.some((d) => !d.acknowledged)) await new Promise((r) => setTimeout(r, 500 * (round + 1)));
    }
    const redeliveryStatuses = await Promise.all(redelivered.map((d) => deliver(d)));
    expect(deliveries.filter((d) => !d.acknowledged).map((d) => d.index)).toEqual([]);
    expect(redeliveryStatuses.every((s) => s === 200)).toBe(true);

    // Every event of every delivery stored exactly once.
    const final = await copies();
    const allIds = deliveries.flatMap((d) => d.eventIds);
    expect(allIds.filter((id) => final.get(id) !== 1)).toEqual([]);
    expect(final.size).toBe(allIds.length);

    // Every stored event gets processed (no row stranded without a job), by the real worker.
    const strandedAfter = async () =>
      (
        (await db.dataSource.query(`SELECT count(*)::int AS n FROM webhook_inbox WHERE connection_id = $1 AND status = 'received'`, [
          connection.id,
        ])) as Array<{ n: number }>
      )[0]!.n;
    await waitFor('every webhook event to be processed', async () => (await strandedAfter()) === 0, 90_000, 500).catch(
      async (error: Error) => {
        console.log(`still received: ${await strandedAfter()}; worker: ${worker.output.slice(-2000)}`);
        throw error;
      },
    );
    const statuses = (await db.dataSource.query(
      `SELECT status, count(*)::int AS n FROM webhook_inbox WHERE connection_id = $1 GROUP BY 1 ORDER BY 1`,
      [connection.id],
    )) as Array<{ status: string; n: number }>;
    expect(statuses.filter((s) => s.status !== 'processed')).toEqual([]);

    // Nothing processed twice: the vendor saw each touched record written once, and no other.
    const touched = new Set(deliveries.flatMap((d) => d.contactIds));
    const writes = (await control.writes('contacts')).filter((w) => w.by.startsWith('INTEGRATION'));
    const check = writeCounts(writes, touched);
    console.log(
      `API kill -9 (FAULT_SEED=${SEED}): killed after ${ackedBeforeKill.length}/${DELIVERIES} deliveries acknowledged, ${inFlightAtKill} in flight; ` +
        `${unanswered.length} unanswered (${storedButUnacknowledged} of them already stored), ${redelivered.length} acknowledged ones redelivered; ` +
        `${allIds.length} events stored once each; ${touched.size} records written ${writes.length} times; API restarts in ${JSON.stringify(api.startMs)} ms`,
    );
    expect({ duplicates: check.duplicates, missing: check.missing }).toEqual({ duplicates: [], missing: [] });
    expect(writes.length).toBe(touched.size);
  }, 240_000);
});
