// The helper thread must give exactly the fit the calling thread would (same code, same data), run
// under jest too (it loads the TypeScript sources through @swc/core), and never be needed: when it
// cannot be used the fit still happens, in the calling thread.
import { createRng } from '../evaluation/random';
import { encodeRecords, fitEncoder } from '../features/feature-encoder.features';
import { selectRows } from '../features/csr-matrix';
import { trainLogisticRegression } from '../models/logistic-regression.model';
import type { LabeledRecord } from '../scoring.types';
import { trainModel } from '../training/train-model.service';
import { FitLane, type FitInput } from './fit-lane';

const rng = createRng(7);
const topics = ['printer', 'password', 'laptop', 'network'];
const rows: LabeledRecord[] = Array.from({ length: 600 }, (_, i) => {
  const topic = topics[i % topics.length];
  const noise = Array.from({ length: 6 }, () => `w${Math.floor(rng() * 300)}`).join(' ');
  return { id: String(i), fields: { text: `${topic} ${rng() < 0.7 ? topic : 'misc'} issue ${noise}` }, label: topic };
});
const fields = [{ name: 'text', type: 'text' as const }];
const encoderOptions = { text: { hashBits: 12 } };
const encoder = fitEncoder(fields, rows, encoderOptions);
const X = encodeRecords(encoder, rows);
const y = Int32Array.from(rows, (r) => topics.indexOf(String(r.label)));
const someRows = Int32Array.from({ length: 400 }, (_, i) => i);

function input(): FitInput {
  return { X: selectRows(X, someRows), y: y.slice(0, 400), nClasses: 4, options: { C: 10, gradientTolerance: 1e-6 } };
}

describe('FitLane', () => {
  it('fits on the helper thread exactly as in the calling thread', () => {
    const lane = FitLane.open();
    expect(lane).toBeDefined();
    try {
      const pending = (lane as FitLane).submit(input);
      const here = input();
      const expected = trainLogisticRegression(here.X, here.y, here.nClasses, here.options);
      const fit = pending.wait();
      expect(lane?.failure).toBeUndefined();
      expect(pending.onHelper).toBe(true);
      expect(Array.from(fit.params.weights)).toEqual(Array.from(expected.params.weights));
      expect(Array.from(fit.params.intercept)).toEqual(Array.from(expected.params.intercept));
      expect(fit.optimizer.iterations).toBe(expected.optimizer.iterations);
    } finally {
      lane?.close();
    }
  });

  it('fits in the calling thread once the helper is gone', () => {
    const lane = FitLane.open() as FitLane;
    lane.close();
    const pending = lane.submit(input);
    const here = input();
    const expected = trainLogisticRegression(here.X, here.y, here.nClasses, here.options);
    expect(Array.from(pending.wait().params.weights)).toEqual(Array.from(expected.params.weights));
    expect(pending.onHelper).toBe(false);
  });

  it('fits in the calling thread when the helper cannot load its code, and says why', () => {
    const lane = FitLane.open({ entry: '/nonexistent/fit-worker.js' }) as FitLane;
    try {
      const pending = lane.submit(input);
      const here = input();
      const expected = trainLogisticRegression(here.X, here.y, here.nClasses, here.options);
      expect(Array.from(pending.wait().params.weights)).toEqual(Array.from(expected.params.weights));
      expect(pending.onHelper).toBe(false);
      expect(lane.failure).toMatch(/could not start/);
    } finally {
      lane.close();
    }
  });
});

describe('trainModel with a helper thread', () => {
  it('gives the same cross-fitted metrics and, within the tolerance, the same model', () => {
    const options = { fields, C: 10, folds: 3, gradientTolerance: 1e-6, encoder: encoderOptions };
    const one = trainModel('ticket-category', rows, { ...options, threads: 1 });
    const two = trainModel('ticket-category', rows, { ...options, threads: 2 });
    expect(one.timings.foldsOnHelperThread).toEqual([false, false, false]);
    expect(two.timings.foldsOnHelperThread).toEqual([true, false, true]);
    // Fold models are bit-identical wherever they ran, so everything built from them is too.
    expect(two.artifact.metrics).toEqual(one.artifact.metrics);
    expect(two.artifact.calibration).toEqual(one.artifact.calibration);
    // The all-rows model started from 2 of the 3 fold models instead of all 3: same optimum.
    const a = one.artifact.model.intercept;
    const b = two.artifact.model.intercept;
    a.forEach((v, k) => expect(b[k]).toBeCloseTo(v, 3));
  });
});
