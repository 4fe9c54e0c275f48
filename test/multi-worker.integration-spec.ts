/**
 * Two real worker processes against one database share the queue and never run a job twice:
 * this is how Fieldcast scales past one machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { In } from 'typeorm';
import { AuditLogEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';

const root = path.resolve(__dirname, '..');
const JOBS = 200;

function startWorker(databaseUrl: string): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  let output = '';
  const child = spawn(process.execPath, [path.join(root, 'dist/apps/cli/src/main.js'), 'start', 'worker'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', FIELDCAST_WORKER_CONCURRENCY: '4', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready in')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  return { child, output: () => output, ready };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('several workers on one database', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  const workers: Array<ReturnType<typeof startWorker>> = [];

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    db = await createTestDatabase();
    workers.push(startWorker(db.url), startWorker(db.url));
    await Promise.all(workers.map((w) => w.ready));
    queue = await JobQueue.start({ url: db.url, role: 'producer' });
  }, 60_000);

  afterAll(async () => {
    await queue?.stop();
    for (const w of workers) await stop(w.child);
    await db?.drop();
  }, 60_000);

  it('runs every job exactly once, spread over both processes, and both stop cleanly on SIGTERM', async () => {
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push((await queue.send(QUEUE_NAMES.diagnostic, { requestedBy: 'multi-worker test' }))!);
    const repo = db.dataSource.getRepository(AuditLogEntity);
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && (await repo.countBy({ action: 'worker.diagnostic', targetId: In(ids) })) < JOBS) {
      await new Promise((r) => setTimeout(r, 200));
    }
    // Give a double-processing a moment to show up before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await repo.findBy({ action: 'worker.diagnostic', targetId: In(ids) });
    expect(rows).toHaveLength(JOBS);
    expect(new Set(rows.map((r) => r.targetId)).size).toBe(JOBS);
    const pids = new Set(rows.map((r) => r.details['pid']));
    expect(pids).toEqual(new Set(workers.map((w) => w.child.pid)));
    for (const w of workers) expect(await stop(w.child)).toBe(0);
  }, 60_000);
});
