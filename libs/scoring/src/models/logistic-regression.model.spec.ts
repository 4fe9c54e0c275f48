import type { CsrMatrix } from '../features/csr-matrix';
import { balancedSampleWeights, decisionFunction, softmaxInto, trainLogisticRegression } from './logistic-regression.model';

// Reference values: scikit-learn 1.2.1 (Debian python3-sklearn), computed once with
//   LogisticRegression(C=…, tol=1e-12, max_iter=100000[, class_weight='balanced'][, multi_class='multinomial']).fit(X, y)
// on exactly the X / y below (script kept in bench/scoring/sklearn-lr-reference.py).
const X_DENSE = [
  [0.5, 1.0, 0.0],
  [1.5, 0.0, 1.0],
  [-0.3, 2.0, 0.0],
  [2.2, -1.0, 1.0],
  [0.1, 0.5, 0.0],
  [1.0, 1.0, 1.0],
  [-1.2, 0.3, 0.0],
  [0.8, -0.7, 1.0],
  [1.9, 0.2, 0.0],
  [-0.5, -1.5, 1.0],
  [0.3, 0.9, 1.0],
  [-2.0, 1.1, 0.0],
];
const Y_BINARY = Int32Array.from([0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0]);
const Y_MULTI = Int32Array.from([0, 1, 2, 1, 0, 2, 0, 1, 1, 2, 2, 0]);
const SK_BINARY_C1 = { coef: [0.9363673436867681, -0.6466135196453136, 0.4089917887921413], intercept: -0.866647067807911 };
// sklearn stopped this one after 8 L-BFGS iterations at an intercept 6.5e-6 away from the optimum, so the
// reference is the same objective minimised by scipy.optimize.minimize(method='BFGS', gtol=1e-12)
// (n / (2·n_k) sample weights, ‖w‖²/(2C)); it agrees with sklearn's coef_ to 2e-6.
const SK_BINARY_BALANCED_C05 = { coef: [0.7182920477550139, -0.5130512562095345, 0.3086003829903747], intercept: -0.42478585614940617 };
const SK_MULTI_C2 = {
  coef: [
    [-0.923416147910991, 0.16984602426485518, -1.239593130935092],
    [1.4694815558052616, -0.7540532156034662, 0.15990911017341886],
    [-0.5460654078942725, 0.5842071913386123, 1.0796840207616727],
  ],
  intercept: [0.9493872456099792, -0.8825802335894766, -0.06680701202050397],
  probaFirstTwoRows: [
    [0.5342404401988028, 0.11232855828783672, 0.3534310015133605],
    [0.03227918222466522, 0.7584704402892022, 0.2092503774861327],
  ],
};

function toCsr(dense: number[][]): CsrMatrix {
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return {
    nRows: dense.length,
    nCols: dense[0].length,
    indptr: Int32Array.from(indptr),
    indices: Int32Array.from(indices),
    values: Float32Array.from(values),
  };
}

describe('trainLogisticRegression', () => {
  const X = toCsr(X_DENSE);

  it('matches scikit-learn binary coefficients (C=1)', () => {
    const fit = trainLogisticRegression(X, Y_BINARY, 2, { C: 1, gradientTolerance: 1e-10 });
    expect(fit.optimizer.converged).toBe(true);
    SK_BINARY_C1.coef.forEach((c, j) => expect(fit.params.weights[j]).toBeCloseTo(c, 5));
    expect(fit.params.intercept[0]).toBeCloseTo(SK_BINARY_C1.intercept, 5);
  });

  it('matches scikit-learn with class_weight="balanced" (C=0.5)', () => {
    const fit = trainLogisticRegression(X, Y_BINARY, 2, {
      C: 0.5,
      sampleWeights: balancedSampleWeights(Y_BINARY, 2),
      gradientTolerance: 1e-10,
    });
    SK_BINARY_BALANCED_C05.coef.forEach((c, j) => expect(fit.params.weights[j]).toBeCloseTo(c, 5));
    expect(fit.params.intercept[0]).toBeCloseTo(SK_BINARY_BALANCED_C05.intercept, 5);
  });

  it('matches scikit-learn multinomial coefficients and probabilities (C=2)', () => {
    const fit = trainLogisticRegression(X, Y_MULTI, 3, { C: 2, gradientTolerance: 1e-10 });
    for (let j = 0; j < 3; j += 1) {
      for (let k = 0; k < 3; k += 1) expect(fit.params.weights[j * 3 + k]).toBeCloseTo(SK_MULTI_C2.coef[k][j], 4);
    }
    SK_MULTI_C2.intercept.forEach((b, k) => expect(fit.params.intercept[k]).toBeCloseTo(b, 4));
    const logits = decisionFunction(fit.params, X);
    const proba = new Float64Array(3);
    for (let i = 0; i < 2; i += 1) {
      softmaxInto(logits, i * 3, 3, proba, 0);
      SK_MULTI_C2.probaFirstTwoRows[i].forEach((p, k) => expect(proba[k]).toBeCloseTo(p, 5));
    }
  });

  it('reports the stopping reason and converges from a warm start in fewer evaluations', () => {
    const cold = trainLogisticRegression(X, Y_MULTI, 3, { C: 2, gradientTolerance: 1e-8 });
    const warm = trainLogisticRegression(X, Y_MULTI, 3, { C: 2, gradientTolerance: 1e-8, warmStart: cold.params });
    expect(cold.optimizer.reason === 'gradient' || cold.optimizer.reason === 'function').toBe(true);
    expect(warm.optimizer.evaluations).toBeLessThan(cold.optimizer.evaluations);
  });
});
