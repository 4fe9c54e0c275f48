// Public types of the scoring module. Records are plain JSON so the same shapes travel through the
// HTTP API, the worker and the embedded (in-process) pattern unchanged.

export type ScoringTask = 'lead-score' | 'ticket-category' | 'escalation-risk';

export type FieldType = 'numeric' | 'categorical' | 'boolean' | 'date' | 'text';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Human label used in reasons ("Lead source = Webinar"); defaults to name. */
  label?: string;
  /** A record missing a required field is abstained on, not scored. */
  required?: boolean;
  /** Raw values that mean "left blank" (e.g. a picklist's "Select"); treated as missing. */
  missingTokens?: string[];
}

export interface ScoringRecord {
  id: string;
  fields: Record<string, unknown>;
}

/** A training row: a record plus its label (binary tasks: boolean / 0|1 / "true"; categories: string). */
export interface LabeledRecord extends ScoringRecord {
  label: string | number | boolean;
}

export type Tier = 'A' | 'B' | 'C' | 'D';
export type ConfidenceLevel = 'high' | 'medium' | 'low';

export interface Factor {
  field: string;
  /** Display value of the field on this record ("Webinar", "12", "missing", "45 days ago"). */
  value: string;
  /** Signed contribution in log-odds, relative to the average training record. */
  contribution: number;
  direction: '+' | '-';
  sortOrder: number;
  /** Human-readable reason, e.g. "+ Lead source = Webinar". */
  reason: string;
  /** For text fields: the n-grams of this record that moved the score most. */
  topTerms?: { term: string; contribution: number }[];
}

export interface ModelMetadata {
  modelId: string;
  version: string;
  kind: 'linear' | 'rules';
  task: ScoringTask;
  trainedAt: string;
  trainingSize: number;
  featureSchemaHash: string;
  metrics: Record<string, number>;
  autoWriteAllowed: boolean;
}

export interface ScoredPrediction {
  id: string;
  abstained: false;
  /** Binary tasks: calibrated probability of the positive class. Categories: the predicted label. */
  prediction: number | string;
  /** Calibrated probability of the returned prediction (binary: the same as prediction). */
  confidence: number;
  /** Binary tasks: 1–99 score (Einstein style). */
  score?: number;
  tier?: Tier;
  confidenceLevel: ConfidenceLevel;
  /** Categories: the top 3 labels with calibrated probabilities. */
  alternatives?: { label: string; probability: number }[];
  factors: Factor[];
  /** What the factors are measured in and against. */
  explanation: { unit: 'log-odds'; baseline: number; method: string };
  model: ModelMetadata;
}

export interface AbstainedPrediction {
  id: string;
  abstained: true;
  reason: string;
  /** Best guess despite abstaining, when one could be computed (never auto-written). */
  prediction?: number | string;
  confidence?: number;
  model: ModelMetadata;
}

export type PredictionResult = ScoredPrediction | AbstainedPrediction;
