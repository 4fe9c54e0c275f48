// The versioned model artifact: everything needed to predict, explain and show a model card, in one
// JSON document with no other dependency. Bump ARTIFACT_FORMAT_VERSION on any incompatible change;
// loadArtifact refuses versions it does not know instead of guessing.
import type { Calibration } from '../calibration/calibration.types';
import type { FieldEncoding } from '../features/feature-encoder.features';
import type { FitCheckResult } from '../gates/fit-check';
import type { GateResult } from '../gates/data-gates';
import type { FieldSpec, ScoringTask } from '../scoring.types';
import type { PackedSparseRows, QuantizedArray } from './packed-array';

export const ARTIFACT_FORMAT_VERSION = 1;

export interface Provenance {
  /** 'trained' (per connection), 'default' (shipped) or 'rules' (hand-written prior). */
  source: 'trained' | 'default' | 'rules';
  dataset?: string;
  license?: string;
  attribution?: string;
  /** Script or job that produced the artifact (reproducibility). */
  producedBy?: string;
  connectionId?: string;
  notes?: string;
}

export interface ArtifactStatus {
  /** False when the data gates or the fit check failed: predictions may be shown, never auto-written. */
  autoWriteAllowed: boolean;
  reasons: string[];
  gates?: GateResult;
  fitCheck?: FitCheckResult;
}

export interface TierThresholds {
  /** Binary tasks: calibrated-probability cut-offs; tier A is p ≥ A, B is p ≥ B, C is p ≥ C, else D. */
  tiers?: { A: number; B: number; C: number; heldOut: { tier: string; precision: number; share: number }[] };
  /** Confidence-level cut-offs on the calibrated confidence of the returned prediction. */
  confidence: { high: number; medium: number; heldOut: { level: string; accuracy: number; share: number }[] };
}

/** One ROC point: the share of negatives (fpr) and of positives (tpr) scored at or above some cut-off. */
export interface RocPoint {
  fpr: number;
  tpr: number;
}

/** One reliability bin: mean calibrated probability (or top-class confidence) vs the observed rate (or accuracy). */
export interface CalibrationBin {
  predicted: number;
  observed: number;
  count: number;
}

/** One histogram bar over an inclusive integer range of the score (1–99) or of the confidence in percent. */
export interface HistogramBin {
  start: number;
  end: number;
  count: number;
  /** Binary tasks: how many of `count` were positive (converted, escalated). */
  positives?: number;
  /** Categories: how many of `count` had the right top class. */
  correct?: number;
}

/**
 * Model-card curves, computed on the same cross-fitted held-out predictions as `metrics` (every point
 * comes from a model and a calibrator that never saw that row). Small on purpose (≤ ~100 ROC points,
 * 10 bins, values rounded to 4 decimals): it travels with every artifact. Optional: shipped defaults,
 * rules priors and artifacts trained before it existed have none.
 */
export interface ArtifactEvaluation {
  /** Rows the curves were computed on (all training rows, each held out once). */
  rows: number;
  /** Binary tasks only: ROC from (0,0) to (1,1), monotone; its trapezoid area is `metrics.auc` (± 1e-3). */
  roc?: RocPoint[];
  /** 10 equal-width bins as `metrics.ece` uses them; empty bins omitted. Categories: top-class confidence vs accuracy. */
  calibrationBins: CalibrationBin[];
  /** 10 bins of what users see: the 1–99 score (binary) or the top-class confidence in % (categories). */
  scoreHistogram: HistogramBin[];
  /**
   * 'binary': the bins are over the calibrated positive probability / the 1–99 score;
   * 'categories': over the confidence of the top class (and accuracy instead of an observed rate).
   */
  kind: 'binary' | 'categories';
}

interface ArtifactBase {
  formatVersion: number;
  task: ScoringTask;
  modelId: string;
  version: string;
  trainedAt: string;
  trainingSize: number;
  positives?: number;
  classCounts?: Record<string, number>;
  /** Held-out (cross-fitted) metrics, flat: auc, logLoss, brier, ece, accuracy, macroF1, … */
  metrics: Record<string, number>;
  status: ArtifactStatus;
  provenance: Provenance;
  thresholds: TierThresholds;
  /** Held-out ROC, reliability and score-distribution points for the model card (see ArtifactEvaluation). */
  evaluation?: ArtifactEvaluation;
}

export interface LinearArtifact extends ArtifactBase {
  kind: 'linear';
  featureSchema: { fields: FieldSpec[]; encodings: FieldEncoding[]; hash: string };
  /** Per text field name: quantised idf over its hash space. */
  idf: Record<string, QuantizedArray>;
  model: {
    type: 'binary' | 'multinomial';
    /** Class labels; binary: [negative, positive]. */
    classes: string[];
    nFeatures: number;
    nOutputs: number;
    intercept: number[];
    weights: PackedSparseRows;
    C: number;
    classWeight: 'balanced' | 'none';
    optimizer: { iterations: number; evaluations: number; converged: boolean; reason: string };
  };
  calibration: Calibration;
  explanation: {
    /** Per field, per output: Σ_j w_j·x̄_j over the field's columns (the average record's share). */
    fieldBaselines: number[][];
    /** Mean |contribution| per field on the training rows (model card: most influential fields). */
    fieldImportance: { field: string; meanAbsContribution: number }[];
  };
}

export type RuleCondition =
  | { op: 'equals'; value: string | number | boolean }
  | { op: 'in'; values: (string | number)[] }
  | { op: 'gte' | 'lte'; value: number }
  | { op: 'missing' | 'present' }
  | { op: 'olderThanDays' | 'withinDays'; days: number }
  | { op: 'containsAny'; terms: string[] };

export interface WeightedRule {
  id: string;
  field: string;
  when: RuleCondition;
  /** Log-odds added when the rule matches. */
  weight: number;
  /** Shown to users with the sign prefixed, e.g. "No activity in 30 days". */
  reason: string;
}

export interface RulesArtifact extends ArtifactBase {
  kind: 'rules';
  featureSchema: { fields: FieldSpec[]; hash: string };
  rules: { intercept: number; items: WeightedRule[] };
}

export type ModelArtifact = LinearArtifact | RulesArtifact;
