/**
 * The model card's view of one stored model version: metrics, typed held-out curves and top fields.
 * Trained artifacts carry their curves in `evaluation` (libs/scoring ArtifactEvaluation); older rows
 * and imported artifacts may carry them in the metrics or at the top level under other axis names,
 * so points are read leniently and returned in one typed shape (or null).
 */
import type { ModelArtifactEntity } from '@fieldcast/database';

type Point = Record<string, unknown>;

/** ROC point: false positive rate vs true positive rate, both 0–1. */
export interface RocPointView {
  fpr: number;
  tpr: number;
}

/** Reliability bin: mean predicted probability (or top-class confidence) vs observed rate (or accuracy). */
export interface CalibrationBinView {
  predicted: number;
  observed: number;
  /** Records in the bin; null when an older artifact did not record it. */
  count: number | null;
}

/** Histogram bar over [start, end] (inclusive; end null when only the lower edge was recorded). */
export interface HistogramBinView {
  start: number;
  end: number | null;
  count: number;
  /** Binary tasks: positives among `count`; categories: right top class among `count`; null when unknown. */
  positives: number | null;
  correct: number | null;
}

export interface ModelVersionView {
  id: string;
  version: number;
  status: string;
  trainingRows: number;
  trainedAt: string;
  promotedAt: string | null;
  decisionReason: string | null;
  metrics: Record<string, number>;
  /** What the curves are over: 'binary' (P(positive), the 1–99 score) or 'categories' (top-class confidence in %). */
  curveKind: 'binary' | 'categories';
  /** Held-out rows the curves were computed on, when the artifact says. */
  curveRows: number | null;
  roc: RocPointView[] | null;
  calibration: CalibrationBinView[] | null;
  scoreHistogram: HistogramBinView[] | null;
  topFields: Array<{ field: string; importance: number }>;
}

export interface ModelCardView {
  task: string;
  champion: ModelVersionView | null;
  /** Newest first. */
  versions: ModelVersionView[];
}

function numbersOnly(metrics: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<
    string,
    number
  >;
}

/** A curve if the artifact or its metrics carry one under any of the given names (arrays of points). */
function curve(sources: Array<Record<string, unknown> | undefined>, names: string[]): Point[] | null {
  for (const source of sources) {
    for (const name of names) {
      const value = source?.[name];
      if (Array.isArray(value) && value.length && value.every((p) => p && typeof p === 'object')) return value as Point[];
      const bins = (value as { bins?: unknown } | undefined)?.bins;
      if (Array.isArray(bins) && bins.length && bins.every((p) => p && typeof p === 'object')) return bins as Point[];
    }
  }
  return null;
}

/** The first finite number among the point's keys (older artifacts and imports name the axes differently). */
function num(point: Point, keys: string[]): number | null {
  for (const key of keys) {
    const value = point[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

/** Typed points; points without the required numbers are dropped, and an empty result is null. */
function typed<T>(points: Point[] | null, map: (p: Point) => T | null): T[] | null {
  const out = (points ?? []).map(map).filter((p): p is T => p !== null);
  return out.length ? out : null;
}

function rocOf(points: Point[] | null): RocPointView[] | null {
  const roc = typed(points, (p) => {
    const fpr = num(p, ['fpr', 'x']);
    const tpr = num(p, ['tpr', 'y']);
    return fpr === null || tpr === null ? null : { fpr, tpr };
  });
  return roc && roc.sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr);
}

function calibrationOf(points: Point[] | null): CalibrationBinView[] | null {
  return typed(points, (p) => {
    const predicted = num(p, ['predicted', 'meanPredicted', 'x']);
    const observed = num(p, ['observed', 'fractionPositive', 'y']);
    return predicted === null || observed === null ? null : { predicted, observed, count: num(p, ['count', 'n']) };
  });
}

function histogramOf(points: Point[] | null): HistogramBinView[] | null {
  return typed(points, (p) => {
    const start = num(p, ['start', 'bin', 'lower', 'x', 'score']);
    const count = num(p, ['count', 'n', 'y']);
    if (start === null || count === null) return null;
    return { start, end: num(p, ['end', 'upper']), count, positives: num(p, ['positives']), correct: num(p, ['correct']) };
  });
}

export function modelVersionView(row: ModelArtifactEntity): ModelVersionView {
  const artifact = row.artifact;
  const metrics = row.metrics;
  const explanation = artifact['explanation'] as { fieldImportance?: Array<{ field: string; meanAbsContribution: number }> } | undefined;
  const evaluation = artifact['evaluation'] as Record<string, unknown> | undefined;
  const sources = [evaluation, metrics, artifact['metrics'] as Record<string, unknown> | undefined, artifact];
  const kind = evaluation?.['kind'];
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    trainingRows: row.trainingRows,
    trainedAt: row.trainedAt.toISOString(),
    promotedAt: row.promotedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    metrics: numbersOnly({ ...((artifact['metrics'] as Record<string, unknown>) ?? {}), ...metrics }),
    curveKind: kind === 'binary' || kind === 'categories' ? kind : row.task === 'ticket-category' ? 'categories' : 'binary',
    curveRows: typeof evaluation?.['rows'] === 'number' ? evaluation['rows'] : null,
    roc: rocOf(curve(sources, ['roc', 'rocCurve'])),
    calibration: calibrationOf(curve(sources, ['calibrationBins', 'calibration', 'reliability'])),
    scoreHistogram: histogramOf(curve(sources, ['scoreHistogram', 'histogram', 'scoreDistribution'])),
    topFields: (explanation?.fieldImportance ?? [])
      .slice()
      .sort((a, b) => b.meanAbsContribution - a.meanAbsContribution)
      .slice(0, 10)
      .map((f) => ({ field: f.field, importance: f.meanAbsContribution })),
  };
}
