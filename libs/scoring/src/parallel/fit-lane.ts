// A second lane for model fits: one helper thread (node:worker_threads) that fits while the main
// thread fits something else, so the fold models of cross-fitting use both cores.
//
// trainModel is synchronous (callers, the sync-engine worker among them, call it as one blocking
// step), so the lane is too: results come back through receiveMessageOnPort while the main thread
// blocks on a shared counter with Atomics.wait, never through the event loop. Inputs are handed over
// by transfer (no copy); the fit is the same code on the same data, so a helper's fit is
// bit-identical to an in-thread one.
//
// The helper must load this package's code wherever it runs: compiled JavaScript (dist/, scripts/
// run-ts.mjs, the production build) loads fit-worker.js beside this file; TypeScript sources (jest
// with @swc/jest) load fit-worker.ts through @swc/core when it is installed. Whenever a helper
// cannot be had (no worker threads, one core, no loader, the helper failed or went silent) a fit
// runs in the calling thread instead: the result is the same, only slower. No servers, no network.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { CsrMatrix } from '../features/csr-matrix';
import { trainLogisticRegression, type LogisticFit, type LogisticTrainOptions } from '../models/logistic-regression.model';
import type { FitJob, FitReply } from './fit-worker';

export interface FitInput {
  X: CsrMatrix;
  y: Int32Array;
  nClasses: number;
  options: Omit<LogisticTrainOptions, 'onIteration'>;
}

export interface PendingFit {
  /** Blocks until the fit is done (fitting it here if the helper could not). */
  wait(): LogisticFit;
  /** Wall milliseconds of the fit itself, once waited for. */
  readonly wallMs: number;
  /** Whether the helper thread did (or is doing) the fit. */
  readonly onHelper: boolean;
}

/** A helper that has not advanced an L-BFGS iteration (nor answered) for this long is given up. */
const SILENCE_LIMIT_MS = 120_000;

/**
 * Code the helper starts with: an eval'd bootstrap, so the entry can be a .js or a .ts file. For .ts
 * it registers @swc/core as the loader of .ts files (the same compiler jest and the build use).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { port, control, entry, swcCore } = workerData;
try {
  if (swcCore) {
    const Module = require('node:module');
    const fs = require('node:fs');
    const { transformSync } = require(swcCore);
    Module._extensions['.ts'] = (module, filename) => {
      const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
        filename,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
  }
  require(entry).runFitWorker({ port, control });
} catch (error) {
  port.postMessage({ id: -1, error: 'helper thread could not start: ' + ((error && error.stack) || error) });
  Atomics.add(control, 0, 1);
  Atomics.notify(control, 0);
}
`;

function helperEntry(): { entry: string; swcCore?: string } | undefined {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `fit-worker${extension}`);
  if (!existsSync(entry)) return undefined;
  if (extension === '.js') return { entry };
  if (extension !== '.ts') return undefined;
  try {
    return { entry, swcCore: require.resolve('@swc/core') };
  } catch {
    return undefined;
  }
}

function transferables(input: FitInput): ArrayBuffer[] {
  const buffers = [input.X.indptr.buffer, input.X.indices.buffer, input.X.values.buffer, input.y.buffer];
  if (input.options.sampleWeights) buffers.push(input.options.sampleWeights.buffer);
  // A buffer listed twice (or shared with data the caller still uses) must not be transferred: the
  // caller builds fresh arrays per input (see FitLane.submit), so only duplicates are dropped.
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

export class FitLane {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly replies = new Map<number, FitReply>();
  private consumed = 0;
  private nextId = 0;
  private broken: string | undefined;

  private constructor(entry: { entry: string; swcCore?: string }) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { port: port2, control: this.control, ...entry },
      transferList: [port2],
    });
    // An 'error' event without a listener would crash the process; the lane falls back instead.
    this.worker.on('error', (error) => {
      this.broken ??= `helper thread failed: ${error.message}`;
    });
    this.worker.unref();
  }

  /**
   * A lane with one helper thread, or undefined when this process cannot have one. `entry` (tests)
   * replaces the helper's module.
   */
  static open(entry = helperEntry()): FitLane | undefined {
    if (os.availableParallelism() < 2 || !entry) return undefined;
    try {
      return new FitLane(entry);
    } catch {
      return undefined;
    }
  }

  /** Why fits stopped going to the helper, if they did. */
  get failure(): string | undefined {
    return this.broken;
  }

  /**
   * Queues a fit on the helper (fits run there one at a time, in submission order). `build` must
   * return arrays the caller does not keep: they are transferred. It is called again, here, if the
   * helper cannot do the fit.
   */
  submit(build: () => FitInput): PendingFit {
    const id = this.nextId++;
    const awaitReply = (): FitReply | undefined => this.awaitReply(id);
    let onHelper = this.broken === undefined;
    if (onHelper) {
      const input = build();
      const job: FitJob = { id, ...input };
      try {
        this.port.postMessage(job, transferables(input));
      } catch (error) {
        this.broken = `could not hand a fit to the helper: ${(error as Error).message}`;
        onHelper = false;
      }
    }
    let result: LogisticFit | undefined;
    let wallMs = 0;
    return {
      get onHelper() {
        return onHelper;
      },
      get wallMs() {
        return wallMs;
      },
      wait(): LogisticFit {
        if (result) return result;
        if (onHelper) {
          const reply = awaitReply();
          if (reply && 'fit' in reply) {
            wallMs = reply.wallMs;
            result = reply.fit;
            return result;
          }
          onHelper = false;
        }
        const started = performance.now();
        const input = build();
        result = trainLogisticRegression(input.X, input.y, input.nClasses, input.options);
        wallMs = performance.now() - started;
        return result;
      },
    };
  }

  /** Ends the helper thread (queued fits are dropped; call after waiting for them). */
  close(): void {
    this.broken ??= 'closed';
    this.port.close();
    this.worker.terminate().catch(() => undefined);
  }

  private receive(): void {
    for (let got = receiveMessageOnPort(this.port); got; got = receiveMessageOnPort(this.port)) {
      this.consumed += 1;
      const reply = got.message as FitReply;
      if (reply.id === -1 && 'error' in reply) this.broken ??= reply.error;
      else this.replies.set(reply.id, reply);
    }
  }

  /** The helper's reply to `id`, or undefined once the helper is known to be unusable. */
  private awaitReply(id: number): FitReply | undefined {
    let lastHeard = performance.now();
    let lastProgress = Atomics.load(this.control, 1);
    for (;;) {
      this.receive();
      const reply = this.replies.get(id);
      if (reply) {
        this.replies.delete(id);
        if ('error' in reply) {
          this.broken ??= reply.error;
          return undefined;
        }
        return reply;
      }
      if (this.broken) return undefined;
      const announced = Atomics.load(this.control, 0);
      // Announced but not yet readable (the post and the announcement are two steps): look again soon.
      Atomics.wait(this.control, 0, announced, announced > this.consumed ? 1 : 1000);
      const progress = Atomics.load(this.control, 1);
      if (progress !== lastProgress || Atomics.load(this.control, 0) !== announced) {
        lastProgress = progress;
        lastHeard = performance.now();
      } else if (performance.now() - lastHeard > SILENCE_LIMIT_MS) {
        this.broken = `helper thread silent for ${SILENCE_LIMIT_MS / 1000} s`;
        this.worker.terminate().catch(() => undefined);
        return undefined;
      }
    }
  }
}
