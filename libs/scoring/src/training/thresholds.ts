// Tier and confidence-level cut-offs, chosen on held-out (cross-fitted) calibrated probabilities.
// They are fixed probabilities stored in the artifact, not quantiles of today's scores, so a tier
// keeps its meaning as the score distribution drifts (HubSpot's relative tiers are a known complaint).
// Each cut-off is the lowest one at which the held-out records above it still reach a target
// precision: the ServiceNow "target precision, maximum coverage" rule.
import type { TierThresholds } from '../artifact/artifact.types';

const UNREACHABLE = 1.000001;

/** Lowest τ such that mean(hit | score ≥ τ) ≥ target with at least minSupport rows; UNREACHABLE if none. */
export function lowestThresholdForPrecision(score: ArrayLike<number>, hit: ArrayLike<number>, target: number, minSupport: number): number {
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let hits = 0;
  let best = UNREACHABLE;
  for (let r = 0; r < order.length; r += 1) {
    hits += hit[order[r]];
    const count = r + 1;
    // Only cut between distinct scores: a threshold cannot split tied records.
    const boundary = r + 1 === order.length || score[order[r + 1]] < score[order[r]];
    if (boundary && count >= minSupport && hits / count >= target) best = score[order[r]];
  }
  return best;
}

function bandStats(score: ArrayLike<number>, hit: ArrayLike<number>, lo: number, hi: number): { rate: number; share: number } {
  let count = 0;
  let hits = 0;
  for (let i = 0; i < score.length; i += 1) {
    if (score[i] >= lo && score[i] < hi) {
      count += 1;
      hits += hit[i];
    }
  }
  return { rate: count > 0 ? hits / count : 0, share: count / score.length };
}

export function chooseTierThresholds(p: ArrayLike<number>, y: ArrayLike<number>): NonNullable<TierThresholds['tiers']> {
  let positives = 0;
  for (let i = 0; i < y.length; i += 1) positives += y[i];
  const base = positives / y.length;
  const minSupport = Math.max(10, Math.ceil(0.01 * y.length));
  // Targets relative to the base rate: A converts well above average, C at least at average.
  const A = lowestThresholdForPrecision(p, y, base + 0.5 * (1 - base), minSupport);
  const B = Math.min(A, lowestThresholdForPrecision(p, y, base + 0.25 * (1 - base), minSupport));
  const C = Math.min(B, lowestThresholdForPrecision(p, y, base, minSupport));
  const bands: [string, number, number][] = [
    ['A', A, Infinity],
    ['B', B, A],
    ['C', C, B],
    ['D', -Infinity, C],
  ];
  return {
    A,
    B,
    C,
    heldOut: bands.map(([tier, lo, hi]) => {
      const { rate, share } = bandStats(p, y, lo, hi);
      return { tier, precision: rate, share };
    }),
  };
}

export function chooseConfidenceThresholds(
  confidence: ArrayLike<number>,
  hit: ArrayLike<number>,
  targets = { high: 0.9, medium: 0.75 },
): TierThresholds['confidence'] {
  const minSupport = Math.max(10, Math.ceil(0.01 * confidence.length));
  const high = lowestThresholdForPrecision(confidence, hit, targets.high, minSupport);
  const medium = Math.min(high, lowestThresholdForPrecision(confidence, hit, targets.medium, minSupport));
  const bands: [string, number, number][] = [
    ['high', high, Infinity],
    ['medium', medium, high],
    ['low', -Infinity, medium],
  ];
  return {
    high,
    medium,
    heldOut: bands.map(([level, lo, hi]) => {
      const { rate, share } = bandStats(confidence, hit, lo, hi);
      return { level, accuracy: rate, share };
    }),
  };
}
