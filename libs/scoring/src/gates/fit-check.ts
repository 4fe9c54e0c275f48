// Fit check before any auto-writing: held-out (out-of-fold) predictions must beat chance clearly,
// not just numerically. A permutation test answers "could a label-blind model have scored this?"
// and is exact for any n; the binary check also demands a minimum AUC so that a significant but
// useless 0.52 on a huge data set does not pass.
import { aucFromRanks, averageRanks } from '../evaluation/metrics';
import { createRng, shuffleInPlace } from '../evaluation/random';

export interface FitCheckOptions {
  permutations?: number;
  alpha?: number;
  minAuc?: number;
  /** Multiclass: required accuracy margin over the majority-class share. */
  minAccuracyLift?: number;
  seed?: number;
}

export interface FitCheckResult {
  passed: boolean;
  metric: 'auc' | 'accuracy';
  observed: number;
  /** What a label-blind model scores: 0.5 AUC, or the majority-class share. */
  chance: number;
  pValue: number;
  method: string;
  reasons: string[];
}

export function fitCheckBinary(scores: ArrayLike<number>, y: Int32Array, options: FitCheckOptions = {}): FitCheckResult {
  const permutations = options.permutations ?? 1000;
  const alpha = options.alpha ?? 0.01;
  const minAuc = options.minAuc ?? 0.55;
  const ranks = averageRanks(scores);
  const observed = aucFromRanks(ranks, y);
  const rng = createRng(options.seed ?? 7);
  const shuffled = Int32Array.from(y);
  let atLeast = 0;
  for (let p = 0; p < permutations; p += 1) {
    shuffleInPlace(shuffled, rng);
    if (aucFromRanks(ranks, shuffled) >= observed) atLeast += 1;
  }
  const pValue = (atLeast + 1) / (permutations + 1);
  const reasons: string[] = [];
  if (!(observed >= minAuc)) reasons.push(`held-out AUC ${observed.toFixed(3)} is below the minimum ${minAuc}`);
  if (pValue >= alpha)
    reasons.push(`held-out AUC ${observed.toFixed(3)} is not significantly above 0.5 (permutation p = ${pValue.toFixed(3)})`);
  return {
    passed: reasons.length === 0,
    metric: 'auc',
    observed,
    chance: 0.5,
    pValue,
    method: `out-of-fold AUC, ${permutations}-permutation test, alpha ${alpha}`,
    reasons,
  };
}

/** One-sided normal upper tail, via the complementary error function (Abramowitz–Stegun 7.1.26). */
function upperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * Multiclass: accuracy of out-of-fold predictions against always answering the majority class
 * (a one-sided binomial test, normal approximation with continuity correction), plus a margin.
 */
export function fitCheckMulticlass(predicted: Int32Array, y: Int32Array, options: FitCheckOptions = {}): FitCheckResult {
  const alpha = options.alpha ?? 0.01;
  const lift = options.minAccuracyLift ?? 0.02;
  const n = y.length;
  const counts = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i += 1) {
    counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
    if (predicted[i] === y[i]) correct += 1;
  }
  const chance = Math.max(...counts.values()) / n;
  const observed = correct / n;
  const sd = Math.sqrt(n * chance * (1 - chance));
  const pValue = sd > 0 ? upperTail((correct - 0.5 - n * chance) / sd) : correct > n * chance ? 0 : 1;
  const reasons: string[] = [];
  if (observed < chance + lift) {
    reasons.push(`held-out accuracy ${observed.toFixed(3)} is not ${lift} above the majority-class share ${chance.toFixed(3)}`);
  }
  if (pValue >= alpha) reasons.push(`held-out accuracy is not significantly above the majority class (binomial p = ${pValue.toFixed(3)})`);
  return {
    passed: reasons.length === 0,
    metric: 'accuracy',
    observed,
    chance,
    pValue,
    method: `out-of-fold accuracy vs majority class, one-sided binomial test, alpha ${alpha}`,
    reasons,
  };
}
