/**
 * Design for failure, proven with a real worker process of the compiled CLI running full syncs of
 * HubSpot contacts (real SDK over HTTP against the sandbox, real PostgreSQL) while the vendor goes
 * down, storms Fieldcast with 429s, or revokes its tokens. The judge is the sandbox's own write log:
 * every scored contact written exactly once, none lost.
 * (kill -9: pipeline-faults-kill; PostgreSQL restart: pipeline-faults-postgres.)
 */
import { ConnectionEntity, SyncRunEntity } from '@fieldcast/database';
import { QUEUE_NAMES } from '@fieldcast/sync-engine';
import { waitFor, waitForRun } from '../bench/pipeline-bed';
import { createFaultBed, type FaultBed } from './support/pipeline-fault-bed';

const CONTACTS = 800;

describe('pipeline faults at the vendor, with a real worker process', () => {
  let bed: FaultBed;

  beforeAll(async () => {
    bed = await createFaultBed();
  }, 80_000);

  afterAll(async () => {
    await bed?.close();
  }, 60_000);

  it('a vendor outage in the middle of a sync: the run waits it out and no contact is lost or written twice', async () => {
    const { control, connection } = await bed.hubspot(CONTACTS, 'outage');
    await control.faults({ latencyMs: 10 });
    const runId = await bed.startSync(connection.id);
    await waitFor('the first write', async () => (await control.writes('contacts')).length > 0, 30_000, 50);
    await control.faults({ outageSeconds: 6 });
    const run = await waitForRun(bed.db.dataSource, runId, 60_000);
    const stats = await control.stats();
    console.log(`outage: run ${run.status} ${JSON.stringify(run.counts)}, ${stats.totalCalls} vendor calls`);
    expect(run.status).toBe('succeeded');
    await bed.expectExactlyOnce(control, connection.id, CONTACTS);
  }, 70_000);

  it('a 429 storm: the run honours Retry-After, completes, and writes nothing twice', async () => {
    const { control, connection } = await bed.hubspot(CONTACTS, '429 storm');
    await control.faults({ rateLimitNext: 12, retryAfterSeconds: 1 });
    const runId = await bed.startSync(connection.id);
    const run = await waitForRun(bed.db.dataSource, runId, 60_000);
    const stats = await control.stats();
    console.log(
      `429 storm: run ${run.status} ${JSON.stringify(run.counts)}, ${stats.rateLimitHits} 429s, ${stats.totalCalls} vendor calls`,
    );
    expect(run.status).toBe('succeeded');
    expect(stats.rateLimitHits).toBe(12);
    await bed.expectExactlyOnce(control, connection.id, CONTACTS);
  }, 70_000);

  it('revoked tokens: the connection is marked needs_reauth and Fieldcast stops calling the vendor', async () => {
    const { control, connection } = await bed.hubspot(CONTACTS, 'revoked');
    const credentials = (await control.get('/__sandbox/credentials')) as { refreshToken: string };
    // The customer uninstalls the app: the refresh token is revoked and every access token ends.
    await control.post(`/oauth/v1/refresh-tokens/${credentials.refreshToken}`, {}, 'DELETE').catch(() => undefined);
    await control.post('/__sandbox/tokens', { expireAll: true });
    const before = (await control.stats()).totalCalls;
    const runId = await bed.startSync(connection.id);
    const run = await waitForRun(bed.db.dataSource, runId, 30_000);
    expect(run.status).toBe('failed');
    const stored = await bed.db.dataSource.getRepository(ConnectionEntity).findOneByOrFail({ id: connection.id });
    expect(stored.status).toBe('needs_reauth');
    expect(stored.lastError).toMatch(/re-?auth|reconnect/i);
    const afterRun = (await control.stats()).totalCalls;
    // One refused call and one refused refresh, not a retry loop.
    expect(afterRun - before).toBeGreaterThan(0);
    expect(afterRun - before).toBeLessThanOrEqual(4);
    // Later syncs and write-backs of this connection do not call the vendor at all.
    const again = await bed.startSync(connection.id);
    await bed.queue.send(QUEUE_NAMES.writeback, { connectionId: connection.id, stream: 'contacts' });
    await waitFor(
      'the second run to be skipped',
      async () => {
        const r = await bed.db.dataSource.getRepository(SyncRunEntity).findOneByOrFail({ id: again });
        return r.status !== 'queued' && r.status !== 'running' ? r : undefined;
      },
      30_000,
      200,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const final = (await control.stats()).totalCalls;
    console.log(`revoked: ${afterRun - before} vendor calls in the failing run, ${final - afterRun} after it`);
    expect(final).toBe(afterRun);
    expect(await control.writes('contacts')).toHaveLength(0);
  }, 60_000);
});
