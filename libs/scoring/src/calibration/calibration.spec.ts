import { calibrateBinary } from './calibrator';
import { applyIsotonic, fitIsotonic } from './isotonic.calibration';
import { fitPlatt } from './platt.calibration';
import { fitTemperature, temperatureNll } from './temperature.calibration';

// Reference values: scikit-learn 1.2.1, sklearn.calibration._sigmoid_calibration(F, Y) (which returns
// A, B for P = 1/(1 + exp(A·f + B)), so a = −A, b = −B here) and
// IsotonicRegression(out_of_bounds='clip', y_min=0, y_max=1).fit(F, Y).predict(GRID)
// (script: bench/scoring/sklearn-lr-reference.py).
const F = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.3, 0.6, 1.0, 1.4, 2.0, 2.5, -0.2];
const Y = [0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0];
const SK_PLATT = { A: -0.8583543939355909, B: 0.1803349930481071 };
const GRID = [-3, -1.2, -0.1, 0.45, 1.2, 3.0];
const SK_ISOTONIC = [0.0, 0.15, 0.25, 0.5, 1.0, 1.0];

describe('calibration', () => {
  it('Platt scaling matches scikit-learn', () => {
    const { a, b } = fitPlatt(F, Y);
    // scikit-learn stops its BFGS at ~1e-6; ours runs Newton to 1e-10, hence 5 digits.
    expect(a).toBeCloseTo(-SK_PLATT.A, 5);
    expect(b).toBeCloseTo(-SK_PLATT.B, 5);
    expect(calibrateBinary(0.5, { method: 'platt', a, b })).toBeCloseTo(1 / (1 + Math.exp(SK_PLATT.A * 0.5 + SK_PLATT.B)), 5);
  });

  it('isotonic regression matches scikit-learn and is monotone', () => {
    const fit = fitIsotonic(F, Y);
    GRID.forEach((g, i) => expect(applyIsotonic(g, fit.x, fit.y)).toBeCloseTo(SK_ISOTONIC[i], 10));
    for (let i = 1; i < fit.y.length; i += 1) expect(fit.y[i]).toBeGreaterThanOrEqual(fit.y[i - 1]);
  });

  it('temperature scaling recovers the temperature that generated the labels', () => {
    // Over-confident logits: labels drawn from softmax(z / 2) with a fixed pseudo-random stream,
    // so the fitted T must land near 2 and lower the log-loss versus T = 1.
    const K = 3;
    const n = 1500;
    const logits = new Float64Array(n * K);
    const y = new Int32Array(n);
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < n; i += 1) {
      for (let k = 0; k < K; k += 1) logits[i * K + k] = (rand() - 0.5) * 8;
      const p = [0, 1, 2].map((k) => Math.exp(logits[i * K + k] / 2));
      const total = p[0] + p[1] + p[2];
      const u = rand() * total;
      y[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
    }
    const T = fitTemperature(logits, y, K);
    expect(T).toBeGreaterThan(1.7);
    expect(T).toBeLessThan(2.3);
    expect(temperatureNll(logits, y, K, T)).toBeLessThan(temperatureNll(logits, y, K, 1));
  });
});
