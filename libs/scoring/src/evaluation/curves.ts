// Model-card curves from held-out (cross-fitted, calibrated) predictions: ROC, reliability bins and
// the distribution of what users see (the 1–99 score, or a category's confidence). They are stored
// in every trained artifact, so they are kept small: the ROC is thinned to ≤ maxPoints with the
// point removals that change its area least (Visvalingam), values are rounded to 4 decimals.
import type { ArtifactEvaluation, CalibrationBin, HistogramBin, RocPoint } from '../artifact/artifact.types';

export const CURVE_DECIMALS = 4;
export const DEFAULT_ROC_POINTS = 100;
const BINS = 10;

function round(value: number): number {
  const scale = 10 ** CURVE_DECIMALS;
  return Math.round(value * scale) / scale;
}

/** Area under a polyline by the trapezoid rule (the ROC AUC when the points run from (0,0) to (1,1)). */
export function trapezoidArea(points: readonly RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i += 1) area += ((points[i].fpr - points[i - 1].fpr) * (points[i].tpr + points[i - 1].tpr)) / 2;
  return area;
}

/**
 * The full ROC: one point per distinct score, from (0,0) to (1,1). Tied scores form one diagonal
 * segment, so its trapezoid area equals the Mann–Whitney AUC with ties counted one half (rocAuc).
 */
export function exactRoc(scores: ArrayLike<number>, y: ArrayLike<number>): RocPoint[] {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i += 1) positives += y[i] === 1 ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`a ROC curve needs both classes among the labels (got ${positives} positive of ${n})`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r += 1) {
    if (y[order[r]] === 1) tp += 1;
    else fp += 1;
    if (r + 1 === n || scores[order[r + 1]] !== scores[order[r]]) points.push({ fpr: fp / negatives, tpr: tp / positives });
  }
  return points;
}

/** |area| of the triangle a, b, c: exactly how much the trapezoid area changes when b is dropped. */
function triangle(a: RocPoint, b: RocPoint, c: RocPoint): number {
  return Math.abs((b.fpr - a.fpr) * (c.tpr - a.tpr) - (c.fpr - a.fpr) * (b.tpr - a.tpr)) / 2;
}

/** Minimal binary min-heap of (key, index) pairs; stale entries are skipped by the caller. */
class MinHeap {
  private keys: number[] = [];
  private items: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: number, item: number): void {
    let i = this.keys.length;
    this.keys.push(key);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[i] = this.keys[parent];
      this.items[i] = this.items[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.items[i] = item;
  }

  pop(): { key: number; item: number } {
    const top = { key: this.keys[0], item: this.items[0] };
    const lastKey = this.keys.pop() as number;
    const lastItem = this.items.pop() as number;
    const n = this.keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.keys[child + 1] < this.keys[child]) child += 1;
        if (this.keys[child] >= lastKey) break;
        this.keys[i] = this.keys[child];
        this.items[i] = this.items[child];
        i = child;
      }
      this.keys[i] = lastKey;
      this.items[i] = lastItem;
    }
    return top;
  }
}

/**
 * Keeps at most maxPoints points (always the first and the last), repeatedly dropping the point whose
 * removal changes the area least. A subsequence of a monotone curve stays monotone.
 */
export function thinCurve(points: readonly RocPoint[], maxPoints = DEFAULT_ROC_POINTS): RocPoint[] {
  if (maxPoints < 2) throw new RangeError(`maxPoints must be at least 2 (got ${maxPoints})`);
  const n = points.length;
  if (n <= maxPoints) return points.slice();
  const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
  const next = Int32Array.from({ length: n }, (_, i) => i + 1);
  const area = new Float64Array(n);
  const removed = new Uint8Array(n);
  const heap = new MinHeap();
  for (let i = 1; i < n - 1; i += 1) {
    area[i] = triangle(points[i - 1], points[i], points[i + 1]);
    heap.push(area[i], i);
  }
  let remaining = n;
  while (remaining > maxPoints && heap.size > 0) {
    const { key, item } = heap.pop();
    if (removed[item] || key !== area[item]) continue;
    removed[item] = 1;
    remaining -= 1;
    const a = prev[item];
    const c = next[item];
    next[a] = c;
    prev[c] = a;
    for (const j of [a, c]) {
      if (j === 0 || j === n - 1) continue;
      area[j] = triangle(points[prev[j]], points[j], points[next[j]]);
      heap.push(area[j], j);
    }
  }
  const kept: RocPoint[] = [];
  for (let i = 0; i < n; i = next[i]) kept.push(points[i]);
  return kept;
}

/** ROC thinned to ≤ maxPoints and rounded; (0,0) and (1,1) included, fpr and tpr non-decreasing. */
export function rocCurve(scores: ArrayLike<number>, y: ArrayLike<number>, maxPoints = DEFAULT_ROC_POINTS): RocPoint[] {
  const out: RocPoint[] = [];
  for (const point of thinCurve(exactRoc(scores, y), maxPoints)) {
    const rounded = { fpr: round(point.fpr), tpr: round(point.tpr) };
    const last = out[out.length - 1];
    if (!last || last.fpr !== rounded.fpr || last.tpr !== rounded.tpr) out.push(rounded);
  }
  return out;
}

/**
 * Reliability bins: 10 equal-width bins of p (the same bins as expectedCalibrationError), mean p vs
 * mean hit per bin. Empty bins are omitted. ECE = Σ count/N · |observed − predicted| over them.
 */
export function reliabilityBins(p: ArrayLike<number>, hit: ArrayLike<number>, bins = BINS): CalibrationBin[] {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumHit = new Float64Array(bins);
  for (let i = 0; i < p.length; i += 1) {
    const b = Math.min(bins - 1, Math.floor(p[i] * bins));
    count[b] += 1;
    sumP[b] += p[i];
    sumHit[b] += hit[i];
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b += 1) {
    if (count[b] > 0) out.push({ predicted: round(sumP[b] / count[b]), observed: round(sumHit[b] / count[b]), count: count[b] });
  }
  return out;
}

/** The 1–99 score users see for a calibrated probability (as predict reports it). */
export function scoreOf(p: number): number {
  return Math.min(99, Math.max(1, Math.round(p * 100)));
}

/** Score histogram: bars 1–10, 11–20, …, 91–99 (all ten, empty ones too), with positives per bar. */
export function scoreHistogram(p: ArrayLike<number>, y: ArrayLike<number>): HistogramBin[] {
  const bins = Array.from({ length: BINS }, (_, b) => ({
    start: b * 10 + 1,
    end: b === BINS - 1 ? 99 : b * 10 + 10,
    count: 0,
    positives: 0,
  }));
  for (let i = 0; i < p.length; i += 1) {
    const bin = bins[Math.min(BINS - 1, Math.floor((scoreOf(p[i]) - 1) / 10))];
    bin.count += 1;
    bin.positives += y[i] === 1 ? 1 : 0;
  }
  return bins;
}

/** Confidence histogram (categories): bars 0–9 %, 10–19 %, …, 90–100 %, with correct top classes per bar. */
export function confidenceHistogram(confidence: ArrayLike<number>, hit: ArrayLike<number>): HistogramBin[] {
  const bins = Array.from({ length: BINS }, (_, b) => ({ start: b * 10, end: b === BINS - 1 ? 100 : b * 10 + 9, count: 0, correct: 0 }));
  for (let i = 0; i < confidence.length; i += 1) {
    const bin = bins[Math.min(BINS - 1, Math.floor(Math.round(confidence[i] * 100) / 10))];
    bin.count += 1;
    bin.correct += hit[i] === 1 ? 1 : 0;
  }
  return bins;
}

/** Curves of a binary model from held-out calibrated P(positive) and 0/1 labels. */
export function binaryEvaluation(p: ArrayLike<number>, y: ArrayLike<number>, maxRocPoints = DEFAULT_ROC_POINTS): ArtifactEvaluation {
  return {
    rows: p.length,
    kind: 'binary',
    roc: rocCurve(p, y, maxRocPoints),
    calibrationBins: reliabilityBins(p, y),
    scoreHistogram: scoreHistogram(p, y),
  };
}

/**
 * Curves of a category model from held-out calibrated probabilities (row-major n × K). No ROC: a
 * one-vs-rest average would mix classes of very different size into one line that no user decision
 * maps to; what an admin acts on is "how often is the top category right at this confidence".
 */
export function multiclassEvaluation(proba: ArrayLike<number>, y: ArrayLike<number>, nClasses: number): ArtifactEvaluation {
  const n = y.length;
  if (proba.length !== n * nClasses) throw new RangeError(`proba has ${proba.length} values, expected ${n} rows × ${nClasses} classes`);
  const confidence = new Float64Array(n);
  const hit = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let best = 0;
    for (let k = 1; k < nClasses; k += 1) if (proba[i * nClasses + k] > proba[i * nClasses + best]) best = k;
    confidence[i] = proba[i * nClasses + best];
    hit[i] = best === y[i] ? 1 : 0;
  }
  return {
    rows: n,
    kind: 'categories',
    calibrationBins: reliabilityBins(confidence, hit),
    scoreHistogram: confidenceHistogram(confidence, hit),
  };
}
