/**
 * A real API process of the compiled CLI (`fieldcast start api`) on a fixed loopback port, for the
 * webhook ingress bench and the API kill -9 fault test: the server runs alone in its process (the
 * load client does not share its event loop), can be killed with SIGKILL and restarted on the same
 * URL (vendors keep calling the URL they were given; HubSpot v3 signs it), and reports its CPU time.
 * Lives in bench/ because test/ is not compiled and the bench runs the production build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { CLI_MAIN } from './pipeline-bed';

/** A free loopback port (bound and released), so the API can be restarted on the same URL. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class ApiProcess {
  private child?: ChildProcess;
  private log = '';
  readonly startMs: number[] = [];
  readonly baseUrl: string;

  constructor(
    private readonly port: number,
    private readonly env: Record<string, string>,
    /** Extra node flags, e.g. --cpu-prof for profiling (written when the process exits normally). */
    private readonly nodeArgs: string[] = [],
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get output(): string {
    return this.log;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error('API already running');
    const child = spawn(process.execPath, [...this.nodeArgs, CLI_MAIN, 'start', 'api'], {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        LOG_LEVEL: 'warn',
        FIELDCAST_DEMO: 'false',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        FIELDCAST_PUBLIC_URL: this.baseUrl,
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const startedAt = Date.now();
    let ownOutput = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`API not ready after ${timeoutMs} ms: ${ownOutput}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        ownOutput += chunk.toString();
        this.log = (this.log + chunk.toString()).slice(-20_000);
        if (ownOutput.includes('ready in')) {
          this.startMs.push(Date.now() - startedAt);
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`API exited (${code ?? signal}) before it was ready: ${ownOutput}`));
      });
    });
  }

  /** kill -9: no shutdown hook, sockets reset, requests in flight get no answer. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Graceful stop (SIGTERM, as an orchestrator does); SIGKILL after the timeout. */
  async stop(timeoutMs = 20_000): Promise<number | null> {
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      child.kill('SIGTERM');
    });
  }

  /** User + system CPU seconds of the running process so far (Linux /proc; 0 elsewhere). */
  cpuSeconds(): number {
    if (!this.pid) return 0;
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return 0;
    }
  }
}
