/**
 * kill -9 of a real worker process at random points of a full sync, several times, restarting it
 * each time: the run completes and the sandbox's own write log shows every contact written exactly
 * once. The outbox lease is shortened through the job data (outboxLeaseSeconds), so rows a killed
 * worker left in_flight are reclaimed — after re-reading the vendor's current value — within the test.
 * Set FAULT_SEED to replay a kill schedule.
 */
import { SyncRunEntity, WritebackOutboxEntity } from '@fieldcast/database';
import { seededRandom, waitFor, waitForRun } from '../bench/pipeline-bed';
import { createFaultBed, type FaultBed } from './support/pipeline-fault-bed';

// The size: at ~1,000+ records/s a smaller sync was over before the second kill could land.
const CONTACTS = Number(process.env.FAULT_CONTACTS ?? 20_000);
const KILLS = 3;
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);

describe('kill -9 of the worker during a sync', () => {
  let bed: FaultBed;

  beforeAll(async () => {
    bed = await createFaultBed();
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
  }, 30_000);

  it(`${KILLS} kills at random points of a ${CONTACTS}-contact sync: every contact written exactly once`, async () => {
    const { control, connection } = await bed.hubspot(CONTACTS, 'kill-9');
    const { dataSource } = bed.db;
    // Each vendor call takes a little while, so the kills land inside fetches, scoring and batch writes.
    await control.faults({ latencyMs: 10 });
    const random = seededRandom(SEED);
    const kills: Array<{ target: number; afterMs: number; writesBefore: number; inFlight: number; pending: number }> = [];
    for (let i = 0; i < KILLS; i++) {
      const runId = await bed.startSync(connection.id, { outboxLeaseSeconds: 1 });
      process.stderr.write(`[kill-9] ${new Date().toISOString()} run ${i + 1} queued\n`);
      await waitFor(
        'the run to start',
        async () => (await dataSource.getRepository(SyncRunEntity).findOneByOrFail({ id: runId })).status !== 'queued',
        30_000,
        50,
      );
      // Kill at a random point of the write-back, judged by the vendor's own write log rather than by a
      // clock: on a loaded machine a timer would mostly hit start-up. Jitter moves the kill between
      // "batch sent", "batch answered" and "outbox marked".
      const before = (await control.writes('contacts')).length;
      const target = before + 1 + Math.floor(random() * (CONTACTS - before) * 0.4);
      const started = Date.now();
      await waitFor('the write log to reach the kill point', async () => (await control.writes('contacts')).length >= target, 40_000, 20);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 150)));
      const afterMs = Date.now() - started;
      await bed.worker.kill();
      const outbox = dataSource.getRepository(WritebackOutboxEntity);
      kills.push({
        target,
        afterMs,
        writesBefore: (await control.writes('contacts')).length,
        inFlight: await outbox.countBy({ connectionId: connection.id, status: 'in_flight' }),
        pending: await outbox.countBy({ connectionId: connection.id, status: 'pending' }),
      });
      process.stderr.write(`[kill-9] ${new Date().toISOString()} kill ${i + 1}: ${JSON.stringify(kills[i])}\n`);
      await bed.worker.start();
      process.stderr.write(`[kill-9] ${new Date().toISOString()} restarted in ${bed.worker.startMs.at(-1)} ms\n`);
    }
    const runId = await bed.startSync(connection.id, { outboxLeaseSeconds: 1 });
    const run = await waitForRun(dataSource, runId, 90_000).catch(async (error: Error) => {
      const runs = await dataSource.getRepository(SyncRunEntity).findBy({ connectionId: connection.id });
      console.log(
        `start-ups ${JSON.stringify(bed.worker.startMs)} kills ${JSON.stringify(kills)}\nruns ${JSON.stringify(runs.map((r) => [r.status, r.counts, r.error, r.startedAt]))}\nworker: ${bed.worker.output.slice(-3000)}`,
      );
      throw error;
    });
    // Where the kills landed, for whoever reads the CI output (and FAULT_SEED to replay it).
    console.log(
      `kill -9 schedule (FAULT_SEED=${SEED}): ${JSON.stringify(kills)}; final run ${run.status} ${JSON.stringify(run.counts)}; worker start-ups ${JSON.stringify(bed.worker.startMs)} ms`,
    );
    expect(run.status).toBe('succeeded');
    // The kills interrupted real work: something had been written before the last restart.
    expect(kills[kills.length - 1]!.writesBefore).toBeGreaterThan(0);
    await bed.expectExactlyOnce(control, connection.id, CONTACTS);
  }, 180_000);

  it('a sync whose worker was killed resumes by itself: the job heartbeat lapses and another worker retries it', async () => {
    const contacts = 600;
    const { control, connection } = await bed.hubspot(contacts, 'kill-resume');
    const { dataSource } = bed.db;
    await control.faults({ latencyMs: 10 });
    const runId = await bed.startSync(connection.id, { outboxLeaseSeconds: 1 });
    await waitFor('the first writes', async () => (await control.writes('contacts')).length >= 100, 60_000, 20);
    await bed.worker.kill();
    const runs = dataSource.getRepository(SyncRunEntity);
    expect((await runs.findOneByOrFail({ id: runId })).status).toBe('running');
    // A new worker process, and nobody queues anything: the queue notices the dead worker's job.
    await bed.worker.start();
    const killedAt = Date.now();
    const run = await waitForRun(dataSource, runId, 150_000);
    console.log(`kill -9 without re-queueing: the run finished ${Math.round((Date.now() - killedAt) / 1000)} s after the restart`);
    expect(run.status).toBe('succeeded');
    await bed.expectExactlyOnce(control, connection.id, contacts);
  }, 240_000);
});
