/**
 * A real process of the compiled CLI (`fieldcast start <role>`) for fault tests and benchmarks: it can
 * be killed with SIGKILL and started again, keeps the tail of its output, and reports its CPU time.
 * WorkerProcess (pipeline-bed.ts) and ApiProcess (api-process.ts) are its two roles.
 * Lives in bench/ because test/ is not compiled and the benchmarks run the production build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Repository root, from source (jest) or from dist/bench (compiled benchmark). */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const CLI_MAIN = path.join(REPO_ROOT, 'dist/apps/cli/src/main.js');

export class CliProcess {
  private child?: ChildProcess;
  private log = '';
  /** How many times it was killed (each kill -9 is followed by a restart in the fault tests). */
  restarts = 0;
  /** How long each start took until "ready" (start-up is most of a fault test's time). */
  readonly startMs: number[] = [];

  constructor(
    private readonly role: 'worker' | 'api',
    /** Environment on top of this process's, after `baseEnv`. */
    private readonly env: Record<string, string>,
    /** Extra node flags, e.g. --cpu-prof (written when the process exits normally). */
    private readonly nodeArgs: string[] = [],
    private readonly baseEnv: Record<string, string> = {},
  ) {}

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
    if (this.running) throw new Error(`${this.role} already running`);
    const child = spawn(process.execPath, [...this.nodeArgs, CLI_MAIN, 'start', this.role], {
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', FIELDCAST_DEMO: 'false', ...this.baseEnv, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const startedAt = Date.now();
    let ownOutput = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.role} not ready after ${timeoutMs} ms: ${ownOutput}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        ownOutput += chunk.toString();
        // Keep the tail only: a long run must not grow the test's memory.
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
        reject(new Error(`${this.role} exited (${code ?? signal}) before it was ready: ${ownOutput}`));
      });
    });
  }

  /** kill -9: no shutdown hook runs, connections drop, in-flight work is abandoned mid-step. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.restarts += 1;
  }

  /** Graceful stop (SIGTERM, as an orchestrator does); SIGKILL after the timeout. Returns the exit code. */
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
