// Start-up smoke test (run by .ci/run): `npm start` with the embedded PostgreSQL in a fresh data
// folder must answer GET /health/ready with 200 within 60 s, stop cleanly on SIGINT, and find its
// data again on the second start. With DATABASE_URL set, the same against that server.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startOnce(env, label) {
  const started = Date.now();
  const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const url = `http://127.0.0.1:${env.PORT}/health/ready`;
  let ready = false;
  while (Date.now() - started < 60_000 && child.exitCode === null) {
    try {
      const res = await fetch(url);
      if (res.status === 200) {
        ready = true;
        break;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!ready) {
    process.kill(-child.pid, 'SIGKILL');
    throw new Error(`${label}: /health/ready did not answer 200 within 60 s. Output:\n${output}`);
  }
  console.log(`${label}: ready in ${seconds} s`);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  process.kill(-child.pid, 'SIGINT');
  const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 30_000))]);
  if (result.code !== 0 && result.signal !== 'SIGINT')
    throw new Error(`${label}: did not stop cleanly on SIGINT (${JSON.stringify(result)}). Output:\n${output}`);
  if (!/Stopped cleanly/.test(output)) throw new Error(`${label}: no clean shutdown message. Output:\n${output}`);
  return output;
}

const cli = (env, args) =>
  spawnSync(process.execPath, [path.join(root, 'bin/fieldcast.cjs'), ...args], { cwd: root, env, encoding: 'utf8' });

const dataDir = mkdtempSync(path.join(tmpdir(), 'fieldcast-smoke-'));
const base = { ...process.env, LOG_LEVEL: 'warn', FIELDCAST_DEMO: 'false', FIELDCAST_DATA_DIR: dataDir };
delete base.DATABASE_URL;
try {
  const env = { ...base, PORT: String(await freePort()), FIELDCAST_EMBEDDED_PG_PORT: String(await freePort()) };
  await startOnce(env, 'embedded PostgreSQL, first start');
  const created = cli({ ...env, FIELDCAST_ADMIN_PASSWORD: 'smoke-test-password' }, [
    'admin',
    'create',
    '--email',
    'smoke@example.com',
    '--json',
  ]);
  if (created.status !== 0) throw new Error(`admin create failed: ${created.stderr}`);
  await startOnce(env, 'embedded PostgreSQL, second start');
  const again = cli({ ...env, FIELDCAST_ADMIN_PASSWORD: 'smoke-test-password' }, ['admin', 'create', '--email', 'smoke@example.com']);
  if (again.status === 0 || !/already exists/.test(again.stderr))
    throw new Error(`the data of the first start was not found again: ${again.stderr}`);
  console.log('embedded PostgreSQL: data kept across restarts');
  if (process.env.SMOKE_DATABASE_URL) {
    await startOnce({ ...base, PORT: String(await freePort()), DATABASE_URL: process.env.SMOKE_DATABASE_URL }, 'DATABASE_URL');
  }
  const badPort = cli({ ...base, PORT: 'abc' }, ['start']);
  if (badPort.status !== 1 || badPort.stderr.trim().split('\n').length !== 1)
    throw new Error(`bad PORT should exit 1 with one line, got ${badPort.status}: ${badPort.stderr}`);
  const badDb = cli({ ...base, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, ['start']);
  if (badDb.status !== 1 || badDb.stderr.trim().split('\n').length !== 1)
    throw new Error(`bad DATABASE_URL should exit 1 with one line, got ${badDb.status}: ${badDb.stderr}`);
  console.log('bad PORT and bad DATABASE_URL: one-line explanation, exit code 1');
  console.log('smoke test passed');
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
