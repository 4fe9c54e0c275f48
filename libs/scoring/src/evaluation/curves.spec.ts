import type { RocPoint } from '../artifact/artifact.types';
import { ArtifactError, loadArtifact } from '../artifact/load-artifact';
import { defaultArtifact } from '../defaults/default-artifacts';
import type { FieldSpec, LabeledRecord } from '../scoring.types';
import { trainModel } from '../training/train-model.service';
import {
  binaryEvaluation,
  confidenceHistogram,
  exactRoc,
  multiclassEvaluation,
  reliabilityBins,
  rocCurve,
  scoreHistogram,
  thinCurve,
  trapezoidArea,
} from './curves';
import { binaryMetrics, expectedCalibrationError, multiclassMetrics, rocAuc } from './metrics';
import { createRng } from './random';

/** Scores from a noisy logistic model: positives score higher on average, as a real model's would. */
function scored(n: number, seed: number, decimals?: number): { p: Float64Array; y: Int32Array } {
  const rng = createRng(seed);
  const p = new Float64Array(n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    const z = 3 * (rng() - 0.5) + 2 * (rng() - 0.5);
    const truth = 1 / (1 + Math.exp(-2 * z));
    y[i] = rng() < truth ? 1 : 0;
    const q = 1 / (1 + Math.exp(-(z + 1.5 * (rng() - 0.5))));
    p[i] = decimals === undefined ? q : Math.round(q * 10 ** decimals) / 10 ** decimals;
  }
  return { p, y };
}

/** ECE recomputed from the stored bins: Σ count/N · |observed − predicted|. */
function eceFromBins(bins: { predicted: number; observed: number; count: number }[]): number {
  const n = bins.reduce((s, b) => s + b.count, 0);
  return bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.observed - b.predicted), 0);
}

function expectMonotoneFromOriginToOne(points: RocPoint[]): void {
  expect(points[0]).toEqual({ fpr: 0, tpr: 0 });
  expect(points[points.length - 1]).toEqual({ fpr: 1, tpr: 1 });
  for (let i = 1; i < points.length; i += 1) {
    expect(points[i].fpr).toBeGreaterThanOrEqual(points[i - 1].fpr);
    expect(points[i].tpr).toBeGreaterThanOrEqual(points[i - 1].tpr);
  }
}

describe('ROC curve', () => {
  it('full curve: its trapezoid area is the Mann–Whitney AUC, ties included', () => {
    const p = [0.1, 0.4, 0.35, 0.8, 0.8, 0.2, 0.9, 0.65];
    const y = [0, 0, 1, 1, 0, 0, 1, 1];
    const roc = exactRoc(p, y);
    expect(roc).toHaveLength(8); // (0,0) + 7 distinct scores
    expect(trapezoidArea(roc)).toBeCloseTo(0.78125, 12);
    const { p: many, y: labels } = scored(5000, 3, 2);
    expect(trapezoidArea(exactRoc(many, labels))).toBeCloseTo(rocAuc(many, labels), 12);
  });

  it.each([
    ['distinct scores', 20_000, undefined],
    ['heavily tied scores (2 decimals)', 20_000, 2],
    ['few rows', 150, undefined],
  ])('thinned to ≤ 100 monotone points whose area matches rocAuc within 1e-3: %s', (_, n, decimals) => {
    const { p, y } = scored(n, 11, decimals);
    const roc = rocCurve(p, y);
    expect(roc.length).toBeLessThanOrEqual(100);
    expect(roc.length).toBeGreaterThan(10);
    expectMonotoneFromOriginToOne(roc);
    expect(Math.abs(trapezoidArea(roc) - rocAuc(p, y))).toBeLessThan(1e-3);
    for (const point of roc) {
      expect(Number(point.fpr.toFixed(4))).toBe(point.fpr);
      expect(Number(point.tpr.toFixed(4))).toBe(point.tpr);
    }
  });

  it('thinning keeps both ends, honours the limit and leaves short curves alone', () => {
    const { p, y } = scored(2000, 5);
    const full = exactRoc(p, y);
    const ten = thinCurve(full, 10);
    expect(ten).toHaveLength(10);
    expect(ten[0]).toBe(full[0]);
    expect(ten[9]).toBe(full[full.length - 1]);
    expect(thinCurve(ten, 50)).toEqual(ten);
    // Points on a straight segment cost no area, so they go first.
    expect(
      thinCurve(
        [
          { fpr: 0, tpr: 0 },
          { fpr: 0.5, tpr: 0.5 },
          { fpr: 0.5, tpr: 1 },
          { fpr: 1, tpr: 1 },
        ],
        3,
      ),
    ).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(() => thinCurve(full, 1)).toThrow(/maxPoints must be at least 2/);
  });

  it('says why when a class is missing', () => {
    expect(() => exactRoc([0.2, 0.4], [0, 0])).toThrow('a ROC curve needs both classes among the labels (got 0 positive of 2)');
  });
});

describe('reliability bins and histograms', () => {
  it('bins match the ECE metric (same 10 equal-width bins) and omit empty bins', () => {
    const { p, y } = scored(10_000, 7);
    const bins = reliabilityBins(p, y);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(10_000);
    expect(Math.abs(eceFromBins(bins) - expectedCalibrationError(p, y))).toBeLessThan(1e-3);
    // Only two bins hold scores: [0.2, 0.3) and [0.9, 1].
    const two = reliabilityBins([0.21, 0.29, 0.95, 1], [0, 1, 1, 1]);
    expect(two).toEqual([
      { predicted: 0.25, observed: 0.5, count: 2 },
      { predicted: 0.975, observed: 1, count: 2 },
    ]);
  });

  it('score histogram: ten bars over the 1–99 score users see, with positives per bar', () => {
    const histogram = scoreHistogram([0, 0.1, 0.104, 0.11, 0.5, 0.905, 1], [0, 1, 0, 1, 1, 0, 1]);
    expect(histogram.map((b) => [b.start, b.end])).toEqual([
      [1, 10],
      [11, 20],
      [21, 30],
      [31, 40],
      [41, 50],
      [51, 60],
      [61, 70],
      [71, 80],
      [81, 90],
      [91, 99],
    ]);
    // 0 → score 1, 0.1 and 0.104 → 10 (first bar), 0.11 → 11, 0.5 → 50, 0.905 → 91 and 1 → 99 (last bar).
    expect(histogram.map((b) => b.count)).toEqual([3, 1, 0, 0, 1, 0, 0, 0, 0, 2]);
    expect(histogram.map((b) => b.positives)).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('confidence histogram: ten percent bars, with correct top classes per bar', () => {
    const histogram = confidenceHistogram([0.34, 0.5, 0.899, 0.9, 1], [0, 1, 1, 0, 1]);
    expect(histogram[0]).toEqual({ start: 0, end: 9, count: 0, correct: 0 });
    expect(histogram[9]).toEqual({ start: 90, end: 100, count: 3, correct: 2 });
    expect(histogram.map((b) => b.count)).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 3]);
  });

  it('binary evaluation bundles the three; categories have no ROC and bin top-class confidence vs accuracy', () => {
    const { p, y } = scored(3000, 9);
    const binary = binaryEvaluation(p, y);
    expect(binary).toMatchObject({ rows: 3000, kind: 'binary' });
    expect(binary.scoreHistogram.reduce((s, b) => s + (b.positives ?? 0), 0)).toBe(y.reduce((s, v) => s + v, 0));
    expect(Math.abs(trapezoidArea(binary.roc!) - binaryMetrics(p, y).auc)).toBeLessThan(1e-3);

    const rng = createRng(4);
    const n = 2000;
    const K = 4;
    const proba = new Float64Array(n * K);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i += 1) {
      labels[i] = Math.floor(rng() * K);
      let sum = 0;
      for (let k = 0; k < K; k += 1) {
        proba[i * K + k] = rng() + (k === labels[i] ? 1.2 * rng() : 0);
        sum += proba[i * K + k];
      }
      for (let k = 0; k < K; k += 1) proba[i * K + k] /= sum;
    }
    const metrics = multiclassMetrics(proba, labels, ['a', 'b', 'c', 'd']);
    const categories = multiclassEvaluation(proba, labels, K);
    expect(categories.roc).toBeUndefined();
    expect(categories.kind).toBe('categories');
    expect(Math.abs(eceFromBins(categories.calibrationBins) - metrics.ece)).toBeLessThan(1e-3);
    expect(categories.scoreHistogram.reduce((s, b) => s + (b.correct ?? 0), 0)).toBe(Math.round(metrics.accuracy * n));
    expect(() => multiclassEvaluation(proba, labels, 3)).toThrow('proba has 8000 values, expected 2000 rows × 3 classes');
  });
});

describe('trainModel stores the curves in the artifact', () => {
  const fields: FieldSpec[] = [
    { name: 'source', type: 'categorical' },
    { name: 'visits', type: 'numeric' },
  ];
  const rng = createRng(21);
  const leads: LabeledRecord[] = Array.from({ length: 600 }, (_, i) => {
    const source = ['Webinar', 'Web', 'Cold call'][Math.floor(rng() * 3)];
    const visits = Math.floor(rng() * 10);
    const z = -0.5 + (source === 'Webinar' ? 1.2 : source === 'Cold call' ? -1.2 : 0) + 0.25 * (visits - 4.5);
    return { id: `L${i}`, fields: { source, visits }, label: rng() < 1 / (1 + Math.exp(-z)) };
  });
  const lead = trainModel('lead-score', leads, { fields, trainedAt: '2026-06-01T00:00:00.000Z', fitCheck: { permutations: 50 } });

  it('binary: ROC area = held-out AUC, bins consistent with the held-out ECE, histogram over all rows', () => {
    const evaluation = lead.artifact.evaluation!;
    expect(evaluation.rows).toBe(600);
    expectMonotoneFromOriginToOne(evaluation.roc!);
    expect(Math.abs(trapezoidArea(evaluation.roc!) - lead.artifact.metrics.auc)).toBeLessThan(1e-3);
    expect(Math.abs(eceFromBins(evaluation.calibrationBins) - lead.artifact.metrics.ece)).toBeLessThan(1e-3);
    expect(evaluation.scoreHistogram.reduce((s, b) => s + b.count, 0)).toBe(600);
    expect(evaluation.scoreHistogram.reduce((s, b) => s + (b.positives ?? 0), 0)).toBe(lead.artifact.positives);
    // Small enough to travel with every artifact.
    expect(JSON.stringify(evaluation).length).toBeLessThan(5000);
  });

  it('categories: reliability of the top class and a confidence histogram, no ROC', () => {
    const words = ['printer', 'password', 'laptop'];
    const tickets: LabeledRecord[] = Array.from({ length: 300 }, (_, i) => {
      const k = i % 3;
      const noisy = rng() < 0.3 ? Math.floor(rng() * 3) : k;
      return { id: `T${i}`, fields: { text: `${words[noisy]} issue ${Math.floor(rng() * 5)}` }, label: words[k] };
    });
    const result = trainModel('ticket-category', tickets, {
      fields: [{ name: 'text', type: 'text' }],
      trainedAt: '2026-06-01T00:00:00.000Z',
      fitCheck: { permutations: 50 },
    });
    const evaluation = result.artifact.evaluation!;
    expect(evaluation.kind).toBe('categories');
    expect(evaluation.roc).toBeUndefined();
    expect(Math.abs(eceFromBins(evaluation.calibrationBins) - result.artifact.metrics.ece)).toBeLessThan(1e-3);
    const correct = evaluation.scoreHistogram.reduce((s, b) => s + (b.correct ?? 0), 0);
    expect(correct).toBe(Math.round(result.artifact.metrics.accuracy * 300));
  });

  it('artifacts load with and without curves; malformed curves are refused with their path', () => {
    expect(loadArtifact(JSON.stringify(lead.artifact)).artifact.evaluation).toEqual(lead.artifact.evaluation);
    for (const task of ['lead-score', 'ticket-category', 'escalation-risk'] as const) {
      // Stored artifacts from before the curves existed have no `evaluation` (the shipped ticket
      // default has had curves since its rebuild; the lead and escalation defaults never had).
      const { evaluation: _curves, ...withoutCurves } = defaultArtifact(task);
      expect(() => loadArtifact(withoutCurves)).not.toThrow();
    }
    const bad = {
      ...lead.artifact,
      evaluation: {
        ...lead.artifact.evaluation!,
        roc: [
          { fpr: 0, tpr: 0 },
          { fpr: 2, tpr: 1 },
        ],
      },
    };
    expect(() => loadArtifact(bad)).toThrow(ArtifactError);
    expect(() => loadArtifact(bad)).toThrow(/^\/evaluation\/roc\/1\/fpr: /);
  });
});
