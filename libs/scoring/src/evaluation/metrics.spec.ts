import { binaryMetrics, expectedCalibrationError, multiclassMetrics, rocAuc } from './metrics';
import { stratifiedFolds } from './stratified-folds';

// Reference values: scikit-learn 1.2.1 roc_auc_score / log_loss / brier_score_loss / f1_score(average='macro')
// on the arrays below (bench/scoring/sklearn-lr-reference.py).
describe('metrics', () => {
  const p = [0.1, 0.4, 0.35, 0.8, 0.8, 0.2, 0.9, 0.65];
  const y = [0, 0, 1, 1, 0, 0, 1, 1];

  it('matches scikit-learn AUC (with ties), log-loss and Brier', () => {
    const m = binaryMetrics(p, y);
    expect(m.auc).toBeCloseTo(0.78125, 12);
    expect(m.logLoss).toBeCloseTo(0.5322345888419119, 12);
    expect(m.brier).toBeCloseTo(0.180625, 12);
  });

  it('AUC is 1 for a perfect ranking and 0.5 for constant scores', () => {
    expect(rocAuc([0.1, 0.2, 0.9], [0, 0, 1])).toBe(1);
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1])).toBe(0.5);
  });

  it('ECE is zero when every bin is calibrated and |p − y| for a single bin', () => {
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0, 12);
    expect(expectedCalibrationError([0.9, 0.9], [0, 0])).toBeCloseTo(0.9, 12);
  });

  it('macro-F1 matches scikit-learn', () => {
    const yt = Int32Array.from([0, 1, 2, 2, 1, 0, 1, 2]);
    const yp = [0, 2, 2, 2, 1, 1, 1, 0];
    const proba = new Float64Array(yt.length * 3);
    yp.forEach((k, i) => {
      for (let c = 0; c < 3; c += 1) proba[i * 3 + c] = c === k ? 0.8 : 0.1;
    });
    const m = multiclassMetrics(proba, yt, ['a', 'b', 'c']);
    expect(m.macroF1).toBeCloseTo(0.611111111111111, 12);
    expect(m.accuracy).toBeCloseTo(5 / 8, 12);
  });

  it('stratified folds keep class shares and fold sizes within one row', () => {
    const labels = Int32Array.from({ length: 103 }, (_, i) => (i % 10 < 3 ? 1 : 0));
    const folds = stratifiedFolds(labels, 5, 1);
    for (let f = 0; f < 5; f += 1) {
      let size = 0;
      let pos = 0;
      labels.forEach((label, i) => {
        if (folds[i] === f) {
          size += 1;
          pos += label;
        }
      });
      expect(size === 20 || size === 21).toBe(true);
      expect(Math.abs(pos - 31 / 5)).toBeLessThanOrEqual(1);
    }
  });
});
