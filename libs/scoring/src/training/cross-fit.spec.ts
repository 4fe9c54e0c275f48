// Out-of-fold logits must come from models that never saw the row: with weak regularisation a model
// memorises its training rows, and any leak shows up as an out-of-fold AUC far above chance on
// random labels.
import { createRng } from '../evaluation/random';
import { rocAuc } from '../evaluation/metrics';
import { stratifiedFolds } from '../evaluation/stratified-folds';
import { encodeRecords, fitEncoder } from '../features/feature-encoder.features';
import { trainLogisticRegression } from '../models/logistic-regression.model';
import type { LabeledRecord } from '../scoring.types';
import { trainModel } from './train-model.service';
import { outOfFoldLogits } from './cross-fit';

describe('cross-fitting on random labels', () => {
  const rng = createRng(21);
  const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i}`);
  const rows: LabeledRecord[] = Array.from({ length: 400 }, (_, i) => ({
    id: String(i),
    fields: { text: Array.from({ length: 8 }, () => vocabulary[Math.floor(rng() * vocabulary.length)]).join(' ') },
    label: rng() < 0.5,
  }));
  const fields = [{ name: 'text', type: 'text' as const }];
  const C = 1e4;

  it('keeps the out-of-fold AUC at chance with C = 10^4 (the fit check refuses the model)', () => {
    const result = trainModel('escalation-risk', rows, { fields, C, gates: { minPositives: 10 }, fitCheck: { permutations: 200 } });
    expect(Math.abs((result.artifact.metrics.auc as number) - 0.5)).toBeLessThan(0.08);
    expect(result.fitCheck.passed).toBe(false);
  });

  it('would leak if fold models started from the all-rows model (the check above can fail)', () => {
    const encoder = fitEncoder(fields, rows);
    const X = encodeRecords(encoder, rows);
    const y = Int32Array.from(rows, (r) => (r.label ? 1 : 0));
    const folds = stratifiedFolds(y, 5, 42);
    const all = trainLogisticRegression(X, y, 2, { C }).params;
    const leaky = outOfFoldLogits(X, y, 2, folds, 5, { C, warmStarts: [all, all, all, all, all] });
    const clean = outOfFoldLogits(X, y, 2, folds, 5, { C });
    expect(rocAuc(leaky.logits, y)).toBeGreaterThan(0.65);
    expect(Math.abs(rocAuc(clean.logits, y) - 0.5)).toBeLessThan(0.08);
  });
});
