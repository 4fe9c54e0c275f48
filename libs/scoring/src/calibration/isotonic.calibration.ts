// Isotonic calibration by pool-adjacent-violators, predicting like scikit-learn's
// IsotonicRegression(out_of_bounds='clip'): linear interpolation between fitted points. Only the
// first and last point of every pooled block are kept, which leaves predictions unchanged and keeps
// the artifact small.

export const ISOTONIC_MIN_ROWS = 1000;

export function fitIsotonic(scores: ArrayLike<number>, y: ArrayLike<number>): { x: number[]; y: number[] } {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Ties in x are averaged first (as scikit-learn does), then PAV runs on the unique x values.
  const xs: number[] = [];
  const means: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === scores[i]) {
      means[last] = (means[last] * weights[last] + y[i]) / (weights[last] + 1);
      weights[last] += 1;
    } else {
      xs.push(scores[i]);
      means.push(y[i]);
      weights.push(1);
    }
  }
  const blockValue: number[] = [];
  const blockWeight: number[] = [];
  const blockStart: number[] = [];
  for (let i = 0; i < xs.length; i += 1) {
    blockValue.push(means[i]);
    blockWeight.push(weights[i]);
    blockStart.push(i);
    while (blockValue.length > 1 && blockValue[blockValue.length - 2] > blockValue[blockValue.length - 1]) {
      const w = blockWeight.pop() as number;
      const v = blockValue.pop() as number;
      blockStart.pop();
      const top = blockValue.length - 1;
      blockValue[top] = (blockValue[top] * blockWeight[top] + v * w) / (blockWeight[top] + w);
      blockWeight[top] += w;
    }
  }
  const outX: number[] = [];
  const outY: number[] = [];
  for (let b = 0; b < blockValue.length; b += 1) {
    const first = blockStart[b];
    const last = b + 1 < blockStart.length ? blockStart[b + 1] - 1 : xs.length - 1;
    outX.push(xs[first]);
    outY.push(blockValue[b]);
    if (last !== first) {
      outX.push(xs[last]);
      outY.push(blockValue[b]);
    }
  }
  return { x: outX, y: outY };
}

export function applyIsotonic(score: number, x: readonly number[], y: readonly number[]): number {
  if (score <= x[0]) return y[0];
  const last = x.length - 1;
  if (score >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  const span = x[hi] - x[lo];
  return span > 0 ? y[lo] + ((score - x[lo]) / span) * (y[hi] - y[lo]) : y[hi];
}
