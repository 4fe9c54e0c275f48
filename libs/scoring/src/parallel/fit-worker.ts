// The helper thread's side of FitLane (fit-lane.ts): fits logistic regressions it is sent, one at a
// time in arrival order, and hands each result back on the lane's port. The main thread blocks on
// the shared counter rather than on its event loop (trainModel is synchronous), so every result is
// announced by bumping that counter after the message is posted.
import type { MessagePort } from 'node:worker_threads';
import {
  trainLogisticRegression,
  type LogisticFit,
  type LogisticParams,
  type LogisticTrainOptions,
} from '../models/logistic-regression.model';
import type { CsrMatrix } from '../features/csr-matrix';

export interface FitJob {
  id: number;
  X: CsrMatrix;
  y: Int32Array;
  nClasses: number;
  options: Omit<LogisticTrainOptions, 'onIteration'>;
}

export type FitReply = { id: number; fit: LogisticFit; wallMs: number } | { id: number; error: string };

export interface FitWorkerData {
  port: MessagePort;
  /** [0]: replies posted so far (the main thread waits on it); [1]: L-BFGS iterations done (liveness). */
  control: Int32Array;
}

export function announce(control: Int32Array): void {
  Atomics.add(control, 0, 1);
  Atomics.notify(control, 0);
}

function transferablesOf(params: LogisticParams): ArrayBuffer[] {
  return [params.weights.buffer as ArrayBuffer, params.intercept.buffer as ArrayBuffer];
}

export function runFitWorker({ port, control }: FitWorkerData): void {
  port.on('message', (job: FitJob) => {
    let reply: FitReply;
    let transfer: ArrayBuffer[] = [];
    const started = performance.now();
    try {
      Atomics.add(control, 1, 1);
      const fit = trainLogisticRegression(job.X, job.y, job.nClasses, {
        ...job.options,
        onIteration: () => Atomics.add(control, 1, 1),
      });
      reply = { id: job.id, fit, wallMs: performance.now() - started };
      transfer = transferablesOf(fit.params);
    } catch (error) {
      reply = { id: job.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply, transfer);
    announce(control);
  });
}
