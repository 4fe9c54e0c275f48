// L2-regularised logistic regression on sparse rows, binary (sigmoid, one output) or multinomial
// (softmax over all K classes, as scikit-learn's multinomial LR; L2 makes the K-output
// parameterisation identifiable). The objective is scikit-learn's, so C means the same thing:
//     f(W, b) = Σ_i s_i · logloss_i + ‖W‖² / (2C)        (intercepts are not penalised)
// Weights are stored feature-major (W[j·K + k]) so one non-zero touches K adjacent numbers.
import type { CsrMatrix } from '../features/csr-matrix';
import { type BlockedMatrix, backwardBlock, blockRowsFor, forwardBlock, paddedOutputs, toColumnBlocks } from './column-blocks';
import { minimizeLbfgs, type LbfgsResult, type Objective } from './lbfgs.optimizer';

export interface LogisticParams {
  /** 1 for binary (logit of class 1), K for multinomial. */
  nOutputs: number;
  nFeatures: number;
  weights: Float64Array;
  intercept: Float64Array;
}

/** Stop when the mean per-row gradient's largest entry is at most this (see lbfgs.optimizer.ts). */
export const DEFAULT_GRADIENT_TOLERANCE = 1e-5;

export interface LogisticTrainOptions {
  C?: number;
  sampleWeights?: Float64Array;
  maxIterations?: number;
  gradientTolerance?: number;
  warmStart?: LogisticParams;
  /** L-BFGS memory (pairs kept). */
  memory?: number;
  onIteration?: (iteration: number, f: number, gradientInfNorm: number) => void;
}

export interface LogisticFit {
  params: LogisticParams;
  optimizer: Omit<LbfgsResult, 'x'>;
}

/**
 * f(θ) and ∇f(θ) for θ = [W (nFeatures × stride, feature-major), b (stride)]. Outputs k ≥ nOutputs
 * are padding for the unrolled kernels: their logits stay 0, their residuals are set to 0, so their
 * gradient is 0 and L-BFGS never moves them from 0.
 */
function logisticObjective(X: BlockedMatrix, y: Int32Array, s: Float64Array, lambda: number, K: number, stride: number): Objective {
  const nW = X.nCols * stride;
  const Z = new Float64Array(X.maxBlockRows * stride);
  return (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    for (const block of X.blocks) {
      const nb = block.nRows;
      for (let r = 0; r < nb; r += 1) for (let k = 0; k < stride; k += 1) Z[r * stride + k] = theta[nW + k];
      forwardBlock(block, theta, stride, Z);
      if (K === 1) {
        for (let r = 0; r < nb; r += 1) {
          const i = block.firstRow + r;
          const z = Z[r];
          // One exp serves loss and gradient: e = e^{−|z|}, log(1 + e^{∓z}) = log1p(e) + max(0, ∓z).
          const e = Math.exp(-Math.abs(z));
          const prob = z >= 0 ? 1 / (1 + e) : e / (1 + e);
          const yi = y[i];
          loss += s[i] * (Math.log1p(e) + Math.max(0, yi === 1 ? -z : z));
          const residual = s[i] * (prob - yi);
          Z[r] = residual;
          grad[nW] += residual;
        }
      } else {
        for (let r = 0; r < nb; r += 1) {
          const i = block.firstRow + r;
          const o = r * stride;
          let max = Z[o];
          for (let k = 1; k < K; k += 1) if (Z[o + k] > max) max = Z[o + k];
          const yi = y[i];
          const si = s[i];
          const shiftedTrue = Z[o + yi] - max;
          let sum = 0;
          for (let k = 0; k < K; k += 1) {
            const e = Math.exp(Z[o + k] - max);
            Z[o + k] = e;
            sum += e;
          }
          // −log softmax_y = log Σ e^{z_k − max} − (z_y − max): finite even when e^{z_y − max} underflows.
          loss += si * (Math.log(sum) - shiftedTrue);
          // Z now holds the residuals s_i · (p_k − 1[k = y_i]).
          const scale = si / sum;
          for (let k = 0; k < K; k += 1) {
            const residual = Z[o + k] * scale - (k === yi ? si : 0);
            Z[o + k] = residual;
            grad[nW + k] += residual;
          }
          for (let k = K; k < stride; k += 1) Z[o + k] = 0;
        }
      }
      backwardBlock(block, Z, stride, grad);
    }
    let reg = 0;
    for (let j = 0; j < nW; j += 1) {
      const w = theta[j];
      reg += w * w;
      grad[j] += lambda * w;
    }
    return loss + 0.5 * lambda * reg;
  };
}

/**
 * Diagonal of the objective's Hessian at theta (Σ s_i·x_ij²·p(1 − p), + λ on weights): the L-BFGS
 * preconditioner. Frequent text columns have curvature thousands of times larger than rare ones;
 * without this scaling L-BFGS spends most of its iterations discovering that.
 */
function hessianDiagonal(X: BlockedMatrix, s: Float64Array, lambda: number, K: number, stride: number, theta: Float64Array): Float64Array {
  const nW = X.nCols * stride;
  const diag = new Float64Array(nW + stride);
  const Z = new Float64Array(X.maxBlockRows * stride);
  for (const block of X.blocks) {
    const nb = block.nRows;
    for (let r = 0; r < nb; r += 1) for (let k = 0; k < stride; k += 1) Z[r * stride + k] = theta[nW + k];
    forwardBlock(block, theta, stride, Z);
    for (let r = 0; r < nb; r += 1) {
      const si = s[block.firstRow + r];
      const o = r * stride;
      if (K === 1) {
        const prob = 1 / (1 + Math.exp(-Z[o]));
        Z[o] = si * prob * (1 - prob);
      } else {
        let max = Z[o];
        for (let k = 1; k < K; k += 1) if (Z[o + k] > max) max = Z[o + k];
        let sum = 0;
        for (let k = 0; k < K; k += 1) {
          Z[o + k] = Math.exp(Z[o + k] - max);
          sum += Z[o + k];
        }
        for (let k = 0; k < K; k += 1) {
          const prob = Z[o + k] / sum;
          Z[o + k] = si * prob * (1 - prob);
        }
        for (let k = K; k < stride; k += 1) Z[o + k] = 0;
      }
      for (let k = 0; k < K; k += 1) diag[nW + k] += Z[o + k];
    }
    backwardBlock(block, Z, stride, diag, 2);
  }
  for (let j = 0; j < nW; j += 1) diag[j] += lambda;
  // An intercept whose class never occurs has no curvature left at p → 0; keep the scaling finite.
  // Padding entries get 1 (any positive value: their gradient is always 0).
  for (let k = 0; k < stride; k += 1) diag[nW + k] = k < K ? Math.max(diag[nW + k], 1e-8) : 1;
  return diag;
}

/**
 * Renumbers the columns touched by training rows as 0…used−1, most frequent first, and drops the
 * rest. Columns no row touches have a zero optimum (their gradient is λ·w), and a permutation does
 * not change the optimum either, so the solution is identical; but every L-BFGS vector shrinks by
 * the unused share and the weights of the frequent columns, which most non-zeros hit, sit together
 * in cache instead of being scattered over a hash space of tens of megabytes.
 */
function compactColumns(X: CsrMatrix): { X: CsrMatrix; used: Int32Array } {
  const counts = new Int32Array(X.nCols);
  for (let p = 0; p < X.indices.length; p += 1) counts[X.indices[p]] += 1;
  let nUsed = 0;
  for (let j = 0; j < X.nCols; j += 1) if (counts[j] > 0) nUsed += 1;
  const used = new Int32Array(nUsed);
  for (let j = 0, c = 0; j < X.nCols; j += 1) if (counts[j] > 0) used[c++] = j;
  used.sort((a, b) => counts[b] - counts[a] || a - b);
  const remap = new Int32Array(X.nCols).fill(-1);
  for (let c = 0; c < nUsed; c += 1) remap[used[c]] = c;
  const indices = new Int32Array(X.indices.length);
  for (let p = 0; p < indices.length; p += 1) indices[p] = remap[X.indices[p]];
  return { X: { ...X, nCols: nUsed, indices }, used };
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
  const stride = paddedOutputs(nOutputs);
  const fullFeatures = Xfull.nCols;
  const compact = compactColumns(Xfull);
  const X = toColumnBlocks(compact.X, blockRowsFor(stride));
  const nFeatures = X.nCols;
  const s = options.sampleWeights ?? new Float64Array(X.nRows).fill(1);
  let totalWeight = 0;
  for (let i = 0; i < s.length; i += 1) totalWeight += s[i];
  const nW = nFeatures * stride;
  const theta0 = new Float64Array(nW + stride);
  const warm = options.warmStart;
  if (warm && warm.nFeatures === fullFeatures && warm.nOutputs === nOutputs) {
    compact.used.forEach((j, c) => {
      for (let k = 0; k < nOutputs; k += 1) theta0[c * stride + k] = warm.weights[j * nOutputs + k];
    });
    theta0.set(warm.intercept, nW);
  } else {
    // Cold start at the intercept-only optimum (log class priors): the optimum does not depend on
    // the starting point, and this one is free and already right about the base rates.
    const classWeight = new Float64Array(nClasses);
    for (let i = 0; i < y.length; i += 1) classWeight[y[i]] += s[i];
    if (nOutputs === 1) {
      if (classWeight[0] > 0 && classWeight[1] > 0) theta0[nW] = Math.log(classWeight[1] / classWeight[0]);
    } else {
      for (let k = 0; k < nOutputs; k += 1) theta0[nW + k] = Math.log(Math.max(classWeight[k], 1e-3 * totalWeight) / totalWeight);
    }
  }
  const result = minimizeLbfgs(logisticObjective(X, y, s, lambda, nOutputs, stride), theta0, {
    maxIterations: options.maxIterations ?? 1000,
    gradientTolerance: options.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE,
    gradientScale: totalWeight,
    diagonal: hessianDiagonal(X, s, lambda, nOutputs, stride, theta0),
    refreshDiagonal: (theta) => hessianDiagonal(X, s, lambda, nOutputs, stride, theta),
    // Each remembered pair costs two sweeps over the parameters per iteration; past a million
    // parameters those memory-bound sweeps cost more than the few iterations a longer memory saves
    // (50,000 tickets: m = 5 took 101 iterations, m = 10 95, m = 20 89; m = 5 was the fastest).
    memory: options.memory ?? (theta0.length > 1_000_000 ? 5 : 10),
    onIteration: options.onIteration,
  });
  const { x, ...optimizer } = result;
  const weights = new Float64Array(fullFeatures * nOutputs);
  compact.used.forEach((j, c) => {
    for (let k = 0; k < nOutputs; k += 1) weights[j * nOutputs + k] = x[c * stride + k];
  });
  // Softmax intercepts are only defined up to a common shift (they are not penalised); report the
  // representative with Σ b_k = 0, which is where scikit-learn's solver (started at 0) ends.
  const intercept = x.slice(nW, nW + nOutputs);
  if (nOutputs > 1) {
    let mean = 0;
    for (let k = 0; k < nOutputs; k += 1) mean += intercept[k] / nOutputs;
    for (let k = 0; k < nOutputs; k += 1) intercept[k] -= mean;
  }
  return {
    params: { nOutputs, nFeatures: fullFeatures, weights, intercept },
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
