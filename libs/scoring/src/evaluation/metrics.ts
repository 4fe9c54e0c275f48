// Evaluation metrics, defined as in ../shared/reference/ml-baselines.md so our numbers sit next to
// scikit-learn's: ECE = Σ_b (n_b/N)·|mean(y) − mean(p)| over 10 equal-width bins of p.

const EPS = 1e-15;

/** Average ranks (1-based) with ties sharing their mean rank. */
export function averageRanks(scores: ArrayLike<number>): Float64Array {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t += 1) ranks[order[t]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** ROC-AUC via the Mann–Whitney statistic (ties count one half). NaN when a class is absent. */
export function rocAuc(scores: ArrayLike<number>, y: ArrayLike<number>): number {
  return aucFromRanks(averageRanks(scores), y);
}

export function aucFromRanks(ranks: Float64Array, y: ArrayLike<number>): number {
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i += 1) {
    if (y[i] === 1) {
      nPos += 1;
      rankSum += ranks[i];
    }
  }
  const nNeg = ranks.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function binaryLogLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i += 1) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / p.length;
}

export function brierScore(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i += 1) s += (p[i] - y[i]) ** 2;
  return s / p.length;
}

/** Expected calibration error with `bins` equal-width bins of the scored probability. */
export function expectedCalibrationError(p: ArrayLike<number>, hit: ArrayLike<number>, bins = 10): number {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i += 1) {
    const b = Math.min(bins - 1, Math.floor(p[i] * bins));
    count[b] += 1;
    sumP[b] += p[i];
    sumY[b] += hit[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b += 1) if (count[b] > 0) ece += Math.abs(sumY[b] - sumP[b]) / p.length;
  return ece;
}

export interface BinaryMetrics {
  n: number;
  positives: number;
  auc: number;
  logLoss: number;
  brier: number;
  ece: number;
  /** At the 0.5 threshold. */
  accuracy: number;
}

export function binaryMetrics(p: ArrayLike<number>, y: ArrayLike<number>): BinaryMetrics {
  let positives = 0;
  let correct = 0;
  for (let i = 0; i < p.length; i += 1) {
    positives += y[i];
    if ((p[i] >= 0.5 ? 1 : 0) === y[i]) correct += 1;
  }
  return {
    n: p.length,
    positives,
    auc: rocAuc(p, y),
    logLoss: binaryLogLoss(p, y),
    brier: brierScore(p, y),
    ece: expectedCalibrationError(p, y),
    accuracy: correct / p.length,
  };
}

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface MulticlassMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  logLoss: number;
  brier: number;
  /** Top-label ECE: confidence of the predicted class vs whether it was right. */
  ece: number;
  perClass: ClassReport[];
}

/** `proba` is row-major n × K; macro-F1 averages over classes that occur in y or in the predictions (as scikit-learn). */
export function multiclassMetrics(proba: Float64Array, y: Int32Array, classes: string[]): MulticlassMetrics {
  const K = classes.length;
  const n = y.length;
  const tp = new Float64Array(K);
  const predicted = new Float64Array(K);
  const actual = new Float64Array(K);
  const confidence = new Float64Array(n);
  const hit = new Float64Array(n);
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < n; i += 1) {
    let best = 0;
    for (let k = 1; k < K; k += 1) if (proba[i * K + k] > proba[i * K + best]) best = k;
    predicted[best] += 1;
    actual[y[i]] += 1;
    if (best === y[i]) tp[best] += 1;
    confidence[i] = proba[i * K + best];
    hit[i] = best === y[i] ? 1 : 0;
    logLoss -= Math.log(Math.max(EPS, proba[i * K + y[i]]));
    for (let k = 0; k < K; k += 1) brier += (proba[i * K + k] - (k === y[i] ? 1 : 0)) ** 2;
  }
  const perClass: ClassReport[] = [];
  let f1Sum = 0;
  let f1Count = 0;
  let correct = 0;
  for (let k = 0; k < K; k += 1) {
    correct += tp[k];
    const precision = predicted[k] > 0 ? tp[k] / predicted[k] : 0;
    const recall = actual[k] > 0 ? tp[k] / actual[k] : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ label: classes[k], precision, recall, f1, support: actual[k] });
    if (actual[k] > 0 || predicted[k] > 0) {
      f1Sum += f1;
      f1Count += 1;
    }
  }
  return {
    n,
    accuracy: correct / n,
    macroF1: f1Count > 0 ? f1Sum / f1Count : 0,
    logLoss: logLoss / n,
    brier: brier / n,
    ece: expectedCalibrationError(confidence, hit),
    perClass,
  };
}
