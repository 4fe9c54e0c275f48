// L2-regularised logistic regression on sparse rows, binary (sigmoid, one output) or multinomial
// (softmax over all K classes, as scikit-learn's multinomial LR; L2 makes the K-output
// parameterisation identifiable). The objective is scikit-learn's, so C means the same thing:
//     f(W, b) = Σ_i s_i · logloss_i + ‖W‖² / (2C)        (intercepts are not penalised)
// Weights are stored feature-major (W[j·K + k]) so one non-zero touches K adjacent numbers.
import type { CsrMatrix } from '../features/csr-matrix';
import { minimizeLbfgs, type LbfgsResult } from './lbfgs.optimizer';

export interface LogisticParams {
  /** 1 for binary (logit of class 1), K for multinomial. */
  nOutputs: number;
  nFeatures: number;
  weights: Float64Array;
  intercept: Float64Array;
}

export interface LogisticTrainOptions {
  C?: number;
  sampleWeights?: Float64Array;
  maxIterations?: number;
  gradientTolerance?: number;
  warmStart?: LogisticParams;
}

export interface LogisticFit {
  params: LogisticParams;
  optimizer: Omit<LbfgsResult, 'x'>;
}

function binaryObjective(X: CsrMatrix, y: Int32Array, s: Float64Array, lambda: number, nFeatures: number) {
  const { indptr, indices, values, nRows } = X;
  return (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const b = theta[nFeatures];
    let loss = 0;
    let gb = 0;
    for (let i = 0; i < nRows; i += 1) {
      let z = b;
      const end = indptr[i + 1];
      for (let p = indptr[i]; p < end; p += 1) z += values[p] * theta[indices[p]];
      // log(1 + e^{-m}) with m = ±z, computed without overflow.
      const margin = y[i] === 1 ? z : -z;
      loss += s[i] * (margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin)));
      const prob = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const r = s[i] * (prob - y[i]);
      gb += r;
      for (let p = indptr[i]; p < end; p += 1) grad[indices[p]] += r * values[p];
    }
    let reg = 0;
    for (let j = 0; j < nFeatures; j += 1) {
      reg += theta[j] * theta[j];
      grad[j] += lambda * theta[j];
    }
    grad[nFeatures] = gb;
    return loss + 0.5 * lambda * reg;
  };
}

function multinomialObjective(X: CsrMatrix, y: Int32Array, s: Float64Array, lambda: number, nFeatures: number, K: number) {
  const { indptr, indices, values, nRows } = X;
  const z = new Float64Array(K);
  const nW = nFeatures * K;
  return (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < nRows; i += 1) {
      for (let k = 0; k < K; k += 1) z[k] = theta[nW + k];
      const end = indptr[i + 1];
      for (let p = indptr[i]; p < end; p += 1) {
        const v = values[p];
        const base = indices[p] * K;
        for (let k = 0; k < K; k += 1) z[k] += v * theta[base + k];
      }
      let max = z[0];
      for (let k = 1; k < K; k += 1) if (z[k] > max) max = z[k];
      let sum = 0;
      for (let k = 0; k < K; k += 1) {
        z[k] = Math.exp(z[k] - max);
        sum += z[k];
      }
      const yi = y[i];
      loss += s[i] * -Math.log(z[yi] / sum);
      // z now holds the residuals s_i · (p_k − 1[k = y_i]).
      for (let k = 0; k < K; k += 1) {
        z[k] = s[i] * (z[k] / sum - (k === yi ? 1 : 0));
        grad[nW + k] += z[k];
      }
      for (let p = indptr[i]; p < end; p += 1) {
        const v = values[p];
        const base = indices[p] * K;
        for (let k = 0; k < K; k += 1) grad[base + k] += v * z[k];
      }
    }
    let reg = 0;
    for (let j = 0; j < nW; j += 1) {
      reg += theta[j] * theta[j];
      grad[j] += lambda * theta[j];
    }
    return loss + 0.5 * lambda * reg;
  };
}

/**
 * Hashed text spaces are mostly empty for any one training set, and columns no row touches have a
 * zero optimum (their gradient is λ·w). Optimising only the touched columns gives the identical
 * solution while every L-BFGS vector operation shrinks by the unused share.
 */
function compactColumns(X: CsrMatrix): { X: CsrMatrix; used: Int32Array } | undefined {
  const seen = new Uint8Array(X.nCols);
  for (let p = 0; p < X.indices.length; p += 1) seen[X.indices[p]] = 1;
  let count = 0;
  for (let j = 0; j < X.nCols; j += 1) count += seen[j];
  if (count > 0.8 * X.nCols) return undefined;
  const used = new Int32Array(count);
  const remap = new Int32Array(X.nCols).fill(-1);
  for (let j = 0, c = 0; j < X.nCols; j += 1) {
    if (seen[j]) {
      used[c] = j;
      remap[j] = c;
      c += 1;
    }
  }
  const indices = new Int32Array(X.indices.length);
  for (let p = 0; p < indices.length; p += 1) indices[p] = remap[X.indices[p]];
  return { X: { ...X, nCols: count, indices }, used };
}

/** `y` holds class indices (binary: 0/1); nClasses = 2 trains the one-output sigmoid model. */
export function trainLogisticRegression(
  Xfull: CsrMatrix,
  y: Int32Array,
  nClasses: number,
  options: LogisticTrainOptions = {},
): LogisticFit {
  const C = options.C ?? 1;
  const lambda = 1 / C;
  const nOutputs = nClasses === 2 ? 1 : nClasses;
  const fullFeatures = Xfull.nCols;
  const compact = compactColumns(Xfull);
  const X = compact ? compact.X : Xfull;
  const nFeatures = X.nCols;
  const s = options.sampleWeights ?? new Float64Array(X.nRows).fill(1);
  let totalWeight = 0;
  for (let i = 0; i < s.length; i += 1) totalWeight += s[i];
  const theta0 = new Float64Array(nFeatures * nOutputs + nOutputs);
  const warm = options.warmStart;
  if (warm && warm.nFeatures === fullFeatures && warm.nOutputs === nOutputs) {
    if (compact) {
      compact.used.forEach((j, c) => {
        for (let k = 0; k < nOutputs; k += 1) theta0[c * nOutputs + k] = warm.weights[j * nOutputs + k];
      });
    } else {
      theta0.set(warm.weights, 0);
    }
    theta0.set(warm.intercept, nFeatures * nOutputs);
  }
  const objective =
    nOutputs === 1 ? binaryObjective(X, y, s, lambda, nFeatures) : multinomialObjective(X, y, s, lambda, nFeatures, nOutputs);
  const result = minimizeLbfgs(objective, theta0, {
    maxIterations: options.maxIterations ?? 1000,
    gradientTolerance: options.gradientTolerance ?? 1e-5,
    gradientScale: totalWeight,
  });
  const { x, ...optimizer } = result;
  let weights = x.slice(0, nFeatures * nOutputs);
  if (compact) {
    const full = new Float64Array(fullFeatures * nOutputs);
    compact.used.forEach((j, c) => {
      for (let k = 0; k < nOutputs; k += 1) full[j * nOutputs + k] = weights[c * nOutputs + k];
    });
    weights = full;
  }
  return {
    params: { nOutputs, nFeatures: fullFeatures, weights, intercept: x.slice(nFeatures * nOutputs) },
    optimizer,
  };
}

/** Raw logits, row-major (n × nOutputs). */
export function decisionFunction(params: LogisticParams, X: CsrMatrix): Float64Array {
  const K = params.nOutputs;
  const out = new Float64Array(X.nRows * K);
  const { indptr, indices, values } = X;
  for (let i = 0; i < X.nRows; i += 1) {
    const row = i * K;
    for (let k = 0; k < K; k += 1) out[row + k] = params.intercept[k];
    for (let p = indptr[i]; p < indptr[i + 1]; p += 1) {
      const v = values[p];
      const base = indices[p] * K;
      for (let k = 0; k < K; k += 1) out[row + k] += v * params.weights[base + k];
    }
  }
  return out;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** In-place softmax of logits[from, from + K) into out[from …]. */
export function softmaxInto(logits: ArrayLike<number>, from: number, K: number, out: Float64Array, outFrom: number, temperature = 1): void {
  let max = -Infinity;
  for (let k = 0; k < K; k += 1) max = Math.max(max, logits[from + k] / temperature);
  let sum = 0;
  for (let k = 0; k < K; k += 1) {
    const e = Math.exp(logits[from + k] / temperature - max);
    out[outFrom + k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k += 1) out[outFrom + k] /= sum;
}

/** "balanced" class weights as scikit-learn: n / (K · n_k). */
export function balancedSampleWeights(y: Int32Array, nClasses: number): Float64Array {
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i += 1) counts[y[i]] += 1;
  const s = new Float64Array(y.length);
  for (let i = 0; i < y.length; i += 1) s[i] = y.length / (nClasses * counts[y[i]]);
  return s;
}
