// The fast training path against plain reference implementations written here the obvious way:
// blocked sparse products vs dense loops, the compact L-BFGS direction vs the two-loop recursion,
// and trained models vs an independently computed gradient of scikit-learn's objective.
import { createRng } from '../evaluation/random';
import type { CsrMatrix } from '../features/csr-matrix';
import { backwardBlock, forwardBlock, paddedOutputs, toColumnBlocks } from './column-blocks';
import { minimizeLbfgs } from './lbfgs.optimizer';
import { trainLogisticRegression } from './logistic-regression.model';

function randomCsr(nRows: number, nCols: number, density: number, seed: number): CsrMatrix {
  const rng = createRng(seed);
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < nRows; i += 1) {
    for (let j = 0; j < nCols; j += 1) {
      // A few frequent columns and a long tail, like hashed text.
      if (rng() < density * (j < 3 ? 6 : 1)) {
        indices.push(j);
        values.push(Math.round((rng() * 2 - 0.5) * 1000) / 1000);
      }
    }
    indptr.push(indices.length);
  }
  return { nRows, nCols, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

describe('column blocks', () => {
  const X = randomCsr(53, 17, 0.15, 3);

  it.each([1, 4, 8, 16])('forward and backward products equal the row-by-row ones (stride %i, blocks of 7 rows)', (stride) => {
    const rng = createRng(stride);
    const W = Float64Array.from({ length: X.nCols * stride }, () => rng() - 0.5);
    const R = Float64Array.from({ length: X.nRows * stride }, () => rng() - 0.5);
    const blocked = toColumnBlocks(X, 7);
    expect(blocked.blocks.length).toBe(Math.ceil(53 / 7));
    const Z = new Float64Array(X.nRows * stride);
    const G = new Float64Array(X.nCols * stride);
    const G2 = new Float64Array(X.nCols * stride);
    for (const block of blocked.blocks) {
      const Zb = new Float64Array(block.nRows * stride);
      forwardBlock(block, W, stride, Zb);
      Z.set(Zb, block.firstRow * stride);
      backwardBlock(block, R.subarray(block.firstRow * stride, (block.firstRow + block.nRows) * stride), stride, G);
      backwardBlock(block, R.subarray(block.firstRow * stride, (block.firstRow + block.nRows) * stride), stride, G2, 2);
    }
    for (let i = 0; i < X.nRows; i += 1) {
      for (let k = 0; k < stride; k += 1) {
        let z = 0;
        for (let p = X.indptr[i]; p < X.indptr[i + 1]; p += 1) z += X.values[p] * W[X.indices[p] * stride + k];
        expect(Z[i * stride + k]).toBeCloseTo(z, 12);
      }
    }
    const gRef = new Float64Array(X.nCols * stride);
    const g2Ref = new Float64Array(X.nCols * stride);
    for (let i = 0; i < X.nRows; i += 1) {
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p += 1) {
        for (let k = 0; k < stride; k += 1) {
          gRef[X.indices[p] * stride + k] += X.values[p] * R[i * stride + k];
          g2Ref[X.indices[p] * stride + k] += Math.fround(X.values[p] * X.values[p]) * R[i * stride + k];
        }
      }
    }
    gRef.forEach((v, j) => expect(G[j]).toBeCloseTo(v, 12));
    g2Ref.forEach((v, j) => expect(G2[j]).toBeCloseTo(v, 12));
  });

  it('pads output strides to 1, 4 or a multiple of 8 and rejects blocks too large for 16-bit row ids', () => {
    expect([1, 3, 4, 5, 8, 9, 17].map(paddedOutputs)).toEqual([1, 4, 4, 8, 8, 16, 24]);
    expect(() => toColumnBlocks(X, 70_000)).toThrow(/rowsPerBlock/);
  });
});

/** Textbook two-loop recursion (Nocedal & Wright Alg. 7.4) with H0 = γ·D⁻¹. */
function twoLoopDirection(pairs: { s: Float64Array; y: Float64Array }[], g: Float64Array, invD: Float64Array): Float64Array {
  const q = Float64Array.from(g);
  const dot = (a: Float64Array, b: Float64Array): number => a.reduce((acc, v, i) => acc + v * b[i], 0);
  const alpha: number[] = [];
  for (let j = pairs.length - 1; j >= 0; j -= 1) {
    alpha[j] = dot(pairs[j].s, q) / dot(pairs[j].s, pairs[j].y);
    q.forEach((_, i) => (q[i] -= alpha[j] * pairs[j].y[i]));
  }
  const last = pairs[pairs.length - 1];
  const yDy = last.y.reduce((acc, v, i) => acc + v * v * invD[i], 0);
  const gamma = dot(last.s, last.y) / yDy;
  q.forEach((_, i) => (q[i] *= gamma * invD[i]));
  for (let j = 0; j < pairs.length; j += 1) {
    const beta = dot(pairs[j].y, q) / dot(pairs[j].s, pairs[j].y);
    q.forEach((_, i) => (q[i] += (alpha[j] - beta) * pairs[j].s[i]));
  }
  return q.map((v) => -v);
}

describe('minimizeLbfgs', () => {
  // f(x) = ½ xᵀAx − bᵀx with A = diag(a) + u·uᵀ: scaled over 2.5 decades, strictly convex.
  const n = 40;
  const rng = createRng(11);
  const a = Float64Array.from({ length: n }, (_, i) => 10 ** ((2.5 * i) / (n - 1)));
  const u = Float64Array.from({ length: n }, () => rng() - 0.5);
  const b = Float64Array.from({ length: n }, () => rng() * 2 - 1);
  const quadratic = (x: Float64Array, grad: Float64Array): number => quadraticOf(a, x, grad);
  // The same shape with one decade of scaling: plain L-BFGS (Armijo steps) reaches 1e-7 on it.
  const mild = Float64Array.from({ length: n }, (_, i) => 10 ** (i / (n - 1)));
  const mildQuadratic = (x: Float64Array, grad: Float64Array): number => quadraticOf(mild, x, grad);
  function quadraticOf(a: Float64Array, x: Float64Array, grad: Float64Array): number {
    let ux = 0;
    for (let i = 0; i < n; i += 1) ux += u[i] * x[i];
    let f = 0;
    for (let i = 0; i < n; i += 1) {
      grad[i] = a[i] * x[i] + u[i] * ux - b[i];
      f += 0.5 * a[i] * x[i] * x[i] - b[i] * x[i];
    }
    return f + 0.5 * ux * ux;
  }

  it('takes the two-loop recursion step (compact representation, float32 history, preconditioned)', () => {
    // Record the iterates of a short run, then rebuild its pairs and check the step it took next.
    const xs: Float64Array[] = [];
    const gs: Float64Array[] = [];
    const recording = (x: Float64Array, grad: Float64Array): number => {
      const f = quadratic(x, grad);
      xs.push(Float64Array.from(x));
      gs.push(Float64Array.from(grad));
      return f;
    };
    const diagonal = Float64Array.from(a, (v) => v * 0.7 + 1);
    minimizeLbfgs(recording, new Float64Array(n), { memory: 4, maxIterations: 7, gradientTolerance: 0, diagonal });
    // Unit steps are accepted on this quadratic after the first iteration, so every evaluation is an iterate.
    const invD = Float64Array.from(diagonal, (v) => 1 / v);
    const k = xs.length - 2;
    const pairs = [];
    for (let j = Math.max(0, k - 4); j < k; j += 1) {
      pairs.push({ s: xs[j + 1].map((v, i) => v - xs[j][i]), y: gs[j + 1].map((v, i) => v - gs[j][i]) });
    }
    const expected = twoLoopDirection(pairs, gs[k], invD);
    const taken = xs[k + 1].map((v, i) => v - xs[k][i]);
    const scale = Math.max(...expected.map(Math.abs));
    taken.forEach((v, i) => expect(Math.abs(v - expected[i]) / scale).toBeLessThan(1e-5));
  });

  it.each([
    ['plain', undefined],
    ['preconditioned', 'diagonal'],
  ])('%s: stops with ‖∇f‖∞ below the tolerance at the optimum', (_, mode) => {
    const result = minimizeLbfgs(mildQuadratic, new Float64Array(n), {
      gradientTolerance: 1e-7,
      functionTolerance: 0,
      diagonal: mode ? Float64Array.from(mild, (v) => v + 0.25) : undefined,
    });
    expect(result.reason).toBe('gradient');
    const grad = new Float64Array(n);
    mildQuadratic(result.x, grad);
    expect(Math.max(...grad.map(Math.abs))).toBeLessThanOrEqual(1e-7);
    expect(result.gradientInfNorm).toBeLessThanOrEqual(1e-7);
  });

  it('keeps converging through diagonal refreshes; the step after a refresh keeps its scale', () => {
    let evaluations = 0;
    let atRefresh = -1;
    let afterRefresh = -1;
    const counting = (x: Float64Array, grad: Float64Array): number => {
      evaluations += 1;
      return quadratic(x, grad);
    };
    const result = minimizeLbfgs(counting, new Float64Array(n), {
      gradientTolerance: 1e-8,
      functionTolerance: 0,
      maxIterations: 200,
      // A poor first scaling (the identity); from iteration 20 the right shape at 1/50 of the
      // right size, which a unit step in the new scaling would overshoot 50-fold.
      diagonal: new Float64Array(n).fill(1),
      refreshDiagonal: () => {
        atRefresh = evaluations;
        return Float64Array.from(a, (v) => (v + 0.5) / 50);
      },
      onIteration: (iteration) => {
        if (iteration === 21) afterRefresh = evaluations;
      },
    });
    expect(atRefresh).toBeGreaterThan(0);
    // Evaluations of the first step after the refresh: 6 (five halvings) with γ = 1, 3 with the
    // step length carried over from the last curvature pair.
    expect(afterRefresh - atRefresh).toBeLessThanOrEqual(3);
    expect(result.reason).toBe('gradient');
    const grad = new Float64Array(n);
    quadratic(result.x, grad);
    expect(Math.max(...grad.map(Math.abs))).toBeLessThanOrEqual(1e-8);
  });

  it('needs fewer iterations with the diagonal on a badly scaled problem', () => {
    const plain = minimizeLbfgs(quadratic, new Float64Array(n), { gradientTolerance: 1e-8 });
    const scaled = minimizeLbfgs(quadratic, new Float64Array(n), { gradientTolerance: 1e-8, diagonal: a });
    expect(scaled.iterations).toBeLessThan(plain.iterations);
  });
});

/** ∇ of Σ s_i·logloss_i + ‖W‖²/(2C), computed densely and independently of the trainer. */
function referenceGradient(X: CsrMatrix, y: Int32Array, K: number, W: Float64Array, b: Float64Array, C: number): number {
  const nOut = K === 2 ? 1 : K;
  const grad = new Float64Array(X.nCols * nOut + nOut);
  for (let i = 0; i < X.nRows; i += 1) {
    const z = Array.from(b);
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p += 1) {
      for (let k = 0; k < nOut; k += 1) z[k] += X.values[p] * W[X.indices[p] * nOut + k];
    }
    let r: number[];
    if (nOut === 1) r = [1 / (1 + Math.exp(-z[0])) - y[i]];
    else {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((s, v) => s + v, 0);
      r = e.map((v, k) => v / sum - (k === y[i] ? 1 : 0));
    }
    for (let k = 0; k < nOut; k += 1) grad[X.nCols * nOut + k] += r[k];
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p += 1) {
      for (let k = 0; k < nOut; k += 1) grad[X.indices[p] * nOut + k] += X.values[p] * r[k];
    }
  }
  for (let j = 0; j < X.nCols * nOut; j += 1) grad[j] += W[j] / C;
  return Math.max(...grad.map(Math.abs));
}

describe('trainLogisticRegression (padded output strides, compacted columns)', () => {
  // 20 columns, 6 never used (their weights must come back exactly 0).
  const X = randomCsr(300, 20, 0.2, 5);
  for (let p = 0; p < X.indices.length; p += 1) if (X.indices[p] >= 14) X.indices[p] = X.indices[p] % 14;
  const rng = createRng(9);

  it.each([2, 3, 5, 9])('%i classes: stops on the gradient test, the reference objective agrees, unused columns are 0', (K) => {
    const y = Int32Array.from({ length: X.nRows }, (_, i) => {
      let z = X.indptr[i + 1] - X.indptr[i] > 3 ? 1 : 0;
      if (rng() < 0.3) z = Math.floor(rng() * K);
      return Math.min(K - 1, z + (i % K === 0 ? K - 1 : 0));
    });
    const fit = trainLogisticRegression(X, y, K, { C: 3, gradientTolerance: 1e-5 });
    expect(fit.optimizer.reason).toBe('gradient');
    const nOut = K === 2 ? 1 : K;
    expect(referenceGradient(X, y, K, fit.params.weights, fit.params.intercept, 3)).toBeLessThan(1e-5 * X.nRows * 1.01);
    for (let j = 14; j < 20; j += 1) for (let k = 0; k < nOut; k += 1) expect(fit.params.weights[j * nOut + k]).toBe(0);
    if (nOut > 1) expect(Math.abs(fit.params.intercept.reduce((s, v) => s + v, 0))).toBeLessThan(1e-9);
  });
});
