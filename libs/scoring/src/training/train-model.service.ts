// trainModel: rows → a complete, versioned linear artifact with cross-fitted calibration, held-out
// metrics, tier thresholds, data gates and a fit check. One call per (connection, task); the caller
// stores the artifact and decides with compareChampionChallenger whether it replaces the current one.
import { ARTIFACT_FORMAT_VERSION, type LinearArtifact, type Provenance } from '../artifact/artifact.types';
import { packQuantized, packSparseRows } from '../artifact/packed-array';
import { binaryMetrics, multiclassMetrics, rocAuc, type BinaryMetrics, type MulticlassMetrics } from '../evaluation/metrics';
import { binaryEvaluation, multiclassEvaluation } from '../evaluation/curves';
import { stratifiedFolds } from '../evaluation/stratified-folds';
import { encodeRecords, fitEncoder, type EncoderOptions, type FittedEncoder } from '../features/feature-encoder.features';
import type { CsrMatrix } from '../features/csr-matrix';
import { checkDataGates, isBinaryTask, type GateResult, type GateThresholds } from '../gates/data-gates';
import { fitCheckBinary, fitCheckMulticlass, type FitCheckOptions, type FitCheckResult } from '../gates/fit-check';
import { balancedSampleWeights, trainLogisticRegression, type LogisticFit, type LogisticParams } from '../models/logistic-regression.model';
import type { FieldSpec, LabeledRecord, ScoringTask } from '../scoring.types';
import { toEpoch } from '../predict/predict.service';
import {
  averageParams,
  calibrateBinaryCrossFitted,
  calibrateMulticlassCrossFitted,
  startOutOfFold,
  type CalibrationChoice,
} from './cross-fit';
import { FitLane } from '../parallel/fit-lane';
import { indexCategories, toBinaryLabel } from './labels';
import { chooseConfidenceThresholds, chooseTierThresholds } from './thresholds';

export interface TrainOptions {
  fields: FieldSpec[];
  /** Binary tasks: the label value that counts as positive (default: true / 1 / "yes" / "converted" …). */
  positiveLabel?: LabeledRecord['label'];
  /** Inverse L2 strength, as scikit-learn's C. */
  C?: number;
  /** Candidate Cs compared on out-of-fold AUC (binary) or accuracy (categories); overrides C. */
  cGrid?: number[];
  /**
   * Candidate settings (C and/or encoder options) compared the same way, on out-of-fold predictions
   * of the training rows only; overrides C and cGrid. Each is merged over `encoder` / C.
   */
  candidates?: { C?: number; encoder?: EncoderOptions }[];
  classWeight?: 'balanced' | 'none';
  folds?: number;
  seed?: number;
  encoder?: EncoderOptions;
  calibration?: CalibrationChoice;
  /** "Now" for date → recency features. */
  asOf?: number | string | Date;
  modelId?: string;
  version?: string;
  trainedAt?: string;
  provenance?: Partial<Provenance>;
  gates?: Partial<GateThresholds>;
  fitCheck?: FitCheckOptions;
  /** Do not store weight rows whose largest |w| is at or below this (artifact size). */
  pruneBelow?: number;
  /** Store at most this many weight rows (the largest by max |w|): caps a shipped artifact's size. */
  maxStoredRows?: number;
  maxIterations?: number;
  gradientTolerance?: number;
  /**
   * Gradient tolerance of the fold models (default: gradientTolerance). They only produce the
   * out-of-fold logits for calibration, metrics and the candidate choice, but looser fold models are
   * worse ones, and worse the weaker the regularisation: on 50,000 tickets 2× looser kept the
   * out-of-fold accuracy at C = 10 (0.8651 vs 0.8649) but lowered it at C = 30 (0.8679 vs 0.8702),
   * which biases the candidate choice towards small C; libs/scoring/README.md shows 10× looser.
   */
  crossFitTolerance?: number;
  confidenceTargets?: { high: number; medium: number };
  /**
   * 2: fit fold models on a helper thread too (the all-rows model starts while the helper fits the
   * last fold model); 1: everything in the calling thread. Default: 2 when the machine has a second
   * core and the data are large enough for a thread's start-up to pay (see HELPER_MIN_WORK).
   */
  threads?: 1 | 2;
}

export interface TrainResult {
  artifact: LinearArtifact;
  autoWriteAllowed: boolean;
  reasons: string[];
  gates: GateResult;
  fitCheck: FitCheckResult;
  /** Cross-fitted held-out metrics (also flattened into artifact.metrics). */
  heldOut: BinaryMetrics | MulticlassMetrics;
  chosenC: number;
  /** The encoder options of the winning candidate (see TrainOptions.candidates). */
  chosenEncoder: EncoderOptions;
  /**
   * Wall milliseconds: encoding, the all-rows fit, cross-fitting (fold fits and waiting for them, the
   * all-rows fit excluded), the whole call; each fold fit (last candidate) and where it ran.
   */
  timings: {
    encodeMs: number;
    fitMs: number;
    crossFitMs: number;
    totalMs: number;
    foldMs: number[];
    foldsOnHelperThread: boolean[];
  };
}

/**
 * Non-zeros × outputs of the training matrix from which fold fits go to a helper thread: below it a
 * fit takes well under a second and the thread's start (~50 ms, more when it compiles TypeScript
 * under jest) is not worth it.
 */
const HELPER_MIN_WORK = 2_000_000;

const DEFAULT_C: Record<ScoringTask, number> = { 'lead-score': 1, 'ticket-category': 10, 'escalation-risk': 1 };

function columnMeans(X: CsrMatrix): Float64Array {
  const means = new Float64Array(X.nCols);
  for (let p = 0; p < X.indices.length; p += 1) means[X.indices[p]] += X.values[p];
  for (let j = 0; j < X.nCols; j += 1) means[j] /= Math.max(1, X.nRows);
  return means;
}

/** Weight of column j for output k as the explainer uses it (class-centred for softmax). */
function effective(params: LogisticParams, j: number, k: number): number {
  const K = params.nOutputs;
  if (K === 1) return params.weights[j];
  let mean = 0;
  for (let c = 0; c < K; c += 1) mean += params.weights[j * K + c];
  return params.weights[j * K + k] - mean / K;
}

function explanationData(encoder: FittedEncoder, X: CsrMatrix, y: Int32Array, params: LogisticParams): LinearArtifact['explanation'] {
  const K = params.nOutputs;
  const means = columnMeans(X);
  const fieldBaselines = encoder.layout.map(({ offset, width }) => {
    const row = new Array<number>(K).fill(0);
    for (let j = offset; j < offset + width; j += 1) {
      if (means[j] === 0) continue;
      for (let k = 0; k < K; k += 1) row[k] += effective(params, j, k) * means[j];
    }
    return row;
  });
  const columnField = new Int32Array(encoder.nCols);
  encoder.layout.forEach(({ offset, width }, f) => columnField.fill(f, offset, offset + width));
  const nFields = encoder.layout.length;
  const sums = new Float64Array(nFields);
  const perRow = new Float64Array(nFields);
  for (let i = 0; i < X.nRows; i += 1) {
    const k = K === 1 ? 0 : y[i];
    for (let f = 0; f < nFields; f += 1) perRow[f] = -fieldBaselines[f][k];
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p += 1)
      perRow[columnField[X.indices[p]]] += X.values[p] * effective(params, X.indices[p], k);
    for (let f = 0; f < nFields; f += 1) sums[f] += Math.abs(perRow[f]);
  }
  const fieldImportance = encoder.schema.fields
    .map((spec, f) => ({ field: spec.name, meanAbsContribution: sums[f] / Math.max(1, X.nRows) }))
    .sort((a, b) => b.meanAbsContribution - a.meanAbsContribution);
  return { fieldBaselines, fieldImportance };
}

function flatMetrics(m: BinaryMetrics | MulticlassMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(m)) if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
  return out;
}

export function trainModel(task: ScoringTask, rows: readonly LabeledRecord[], options: TrainOptions): TrainResult {
  const started = performance.now();
  const binary = isBinaryTask(task);
  const labels = rows.map((row) => row.label);
  const { classes, y } = binary
    ? { classes: ['0', '1'], y: Int32Array.from(labels, (label) => toBinaryLabel(label, options.positiveLabel)) }
    : indexCategories(labels);
  const nClasses = classes.length;
  const gates = checkDataGates(task, binary ? Array.from(y) : labels.map(String), options.gates);
  const classCounts = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < y.length; i += 1) classCounts[y[i]] += 1;
  const smallest = Math.min(...classCounts);
  if (nClasses < 2 || smallest < 2) {
    throw new RangeError(`cannot train ${task}: need at least 2 examples of at least 2 classes (got ${classCounts.join('/')})`);
  }
  const k = Math.min(options.folds ?? 5, smallest);
  const asOfMs = toEpoch(options.asOf);

  const classWeight = options.classWeight ?? 'none';
  const sampleWeights = classWeight === 'balanced' ? balancedSampleWeights(y, nClasses) : undefined;
  const folds = stratifiedFolds(y, k, options.seed ?? 42);
  const baseC = options.C ?? DEFAULT_C[task];
  const candidates =
    options.candidates && options.candidates.length > 0
      ? options.candidates.map((c) => ({ C: c.C ?? baseC, encoder: { ...options.encoder, ...c.encoder } }))
      : (options.cGrid && options.cGrid.length > 0 ? options.cGrid : [baseC]).map((C) => ({ C, encoder: options.encoder ?? {} }));
  const nOutputs = nClasses === 2 ? 1 : nClasses;
  let best:
    | {
        C: number;
        foldFits: LogisticFit[];
        oof: Float64Array;
        score: number;
        encoder: FittedEncoder;
        X: CsrMatrix;
        options: EncoderOptions;
      }
    | undefined;
  let fitMs = 0;
  let crossFitMs = 0;
  let encodeMs = 0;
  let foldMs: number[] = [];
  let foldsOnHelperThread: boolean[] = [];
  const foldTolerance = options.crossFitTolerance ?? options.gradientTolerance;
  let lane: FitLane | undefined;
  let laneTried = false;
  const fitAllRows = (X: CsrMatrix, C: number, warmFrom: readonly LogisticFit[]): LogisticFit => {
    const t0 = performance.now();
    const result = trainLogisticRegression(X, y, nClasses, {
      C,
      sampleWeights,
      warmStart: averageParams(warmFrom.map((f) => f.params)),
      maxIterations: options.maxIterations,
      gradientTolerance: options.gradientTolerance,
    });
    fitMs += performance.now() - t0;
    return result;
  };
  let fit: LogisticFit | undefined;
  try {
    // Candidates are compared on fold models only; the all-rows model is fitted once, for the winner.
    // A fold's model for the next C may start from the same fold's model (it never saw those rows).
    let previousFolds: LogisticParams[] | undefined;
    let current: { key: string; encoder: FittedEncoder; X: CsrMatrix } | undefined;
    for (const candidate of candidates) {
      const key = JSON.stringify(candidate.encoder);
      if (!current || current.key !== key) {
        const e0 = performance.now();
        const encoder = fitEncoder(options.fields, rows, candidate.encoder, asOfMs);
        current = { key, encoder, X: encodeRecords(encoder, rows, asOfMs) };
        encodeMs += performance.now() - e0;
        previousFolds = undefined;
      }
      const { X, encoder } = current;
      if (!laneTried && (options.threads ?? 2) === 2 && (options.threads === 2 || X.indices.length * nOutputs >= HELPER_MIN_WORK)) {
        laneTried = true;
        lane = FitLane.open();
      }
      const C = candidate.C;
      const t1 = performance.now();
      const pending = startOutOfFold(X, y, nClasses, folds, k, {
        C,
        sampleWeights,
        warmStarts: previousFolds,
        maxIterations: options.maxIterations,
        gradientTolerance: foldTolerance,
        lane,
      });
      // One candidate: it is the winner, so its all-rows model can start now, here, from the fold
      // models done so far, while the helper fits the last one (the optimum does not depend on the
      // start; k − 1 of k fold models are nearly as close to it as all k).
      const early = candidates.length === 1 ? pending.fitsBeforeLast() : undefined;
      crossFitMs += performance.now() - t1;
      if (early) fit = fitAllRows(X, C, early);
      const t2 = performance.now();
      const { logits, fits: foldFits, foldMs: ms, onHelper } = pending.finish();
      crossFitMs += performance.now() - t2;
      foldMs = ms;
      foldsOnHelperThread = onHelper;
      previousFolds = foldFits.map((f) => f.params);
      let score: number;
      if (nOutputs === 1) {
        score = rocAuc(logits, y);
        if (!binary) score = Array.from(logits).filter((z, i) => (z > 0 ? 1 : 0) === y[i]).length / y.length;
      } else {
        let correct = 0;
        for (let i = 0; i < y.length; i += 1) {
          let arg = 0;
          for (let c = 1; c < nOutputs; c += 1) if (logits[i * nOutputs + c] > logits[i * nOutputs + arg]) arg = c;
          if (arg === y[i]) correct += 1;
        }
        score = correct / y.length;
      }
      if (!best || score > best.score) best = { C, foldFits, oof: logits, score, encoder, X, options: candidate.encoder };
    }
  } finally {
    lane?.close();
  }
  const winner = best as NonNullable<typeof best>;
  fit ??= fitAllRows(winner.X, winner.C, winner.foldFits);
  const chosen = { ...winner, fit };
  const { encoder, X } = chosen;

  let heldOut: BinaryMetrics | MulticlassMetrics;
  let fitCheck: FitCheckResult;
  let calibration: LinearArtifact['calibration'];
  let thresholds: LinearArtifact['thresholds'];
  let evaluation: LinearArtifact['evaluation'];
  const calibrationChoice = options.calibration ?? 'auto';
  if (binary) {
    const cal = calibrateBinaryCrossFitted(chosen.oof, y, folds, k, calibrationChoice === 'temperature' ? 'platt' : calibrationChoice);
    calibration = cal.calibration;
    heldOut = binaryMetrics(cal.heldOut, y);
    evaluation = binaryEvaluation(cal.heldOut, y);
    fitCheck = fitCheckBinary(chosen.oof, y, options.fitCheck);
    const confidence = Float64Array.from(cal.heldOut, (p) => Math.max(p, 1 - p));
    const hit = Float64Array.from(cal.heldOut, (p, i) => ((p >= 0.5 ? 1 : 0) === y[i] ? 1 : 0));
    thresholds = {
      tiers: chooseTierThresholds(cal.heldOut, y),
      confidence: chooseConfidenceThresholds(confidence, hit, options.confidenceTargets),
    };
  } else {
    const cal = calibrateMulticlassCrossFitted(
      chosen.oof,
      y,
      nOutputs,
      nClasses,
      folds,
      k,
      calibrationChoice === 'none' ? 'none' : 'temperature',
    );
    calibration = cal.calibration;
    heldOut = multiclassMetrics(cal.heldOut, y, classes);
    evaluation = multiclassEvaluation(cal.heldOut, y, nClasses);
    const predicted = new Int32Array(y.length);
    const confidence = new Float64Array(y.length);
    for (let i = 0; i < y.length; i += 1) {
      let arg = 0;
      for (let c = 1; c < nClasses; c += 1) if (cal.heldOut[i * nClasses + c] > cal.heldOut[i * nClasses + arg]) arg = c;
      predicted[i] = arg;
      confidence[i] = cal.heldOut[i * nClasses + arg];
    }
    fitCheck = fitCheckMulticlass(predicted, y, options.fitCheck);
    const hit = Float64Array.from(predicted, (c, i) => (c === y[i] ? 1 : 0));
    thresholds = { confidence: chooseConfidenceThresholds(confidence, hit, options.confidenceTargets) };
  }

  const reasons = [...gates.reasons, ...fitCheck.reasons];
  const autoWriteAllowed = gates.passed && fitCheck.passed;
  const params = chosen.fit.params;
  const idf: LinearArtifact['idf'] = {};
  encoder.schema.encodings.forEach((encoding, f) => {
    if (encoding.type === 'text') idf[encoding.field] = packQuantized(encoder.idf[f] as Float32Array);
  });
  const trainedAt = options.trainedAt ?? new Date().toISOString();
  const optimizer = chosen.fit.optimizer;
  const artifact: LinearArtifact = {
    formatVersion: ARTIFACT_FORMAT_VERSION,
    kind: 'linear',
    task,
    modelId: options.modelId ?? `${task}-lr`,
    version: options.version ?? trainedAt.replace(/[-:.TZ]/g, '').slice(0, 14),
    trainedAt,
    trainingSize: rows.length,
    ...(binary ? { positives: classCounts[1] } : { classCounts: Object.fromEntries(classes.map((c, i) => [c, classCounts[i]])) }),
    metrics: { ...flatMetrics(heldOut), folds: k, C: chosen.C },
    status: { autoWriteAllowed, reasons, gates, fitCheck },
    provenance: { source: 'trained', ...options.provenance },
    thresholds,
    evaluation,
    featureSchema: encoder.schema,
    idf,
    model: {
      type: binary ? 'binary' : 'multinomial',
      classes: binary
        ? [
            String(options.positiveLabel !== undefined ? `not ${String(options.positiveLabel)}` : 'negative'),
            String(options.positiveLabel ?? 'positive'),
          ]
        : classes,
      nFeatures: params.nFeatures,
      nOutputs: params.nOutputs,
      intercept: Array.from(params.intercept),
      weights: packSparseRows(params.weights, params.nFeatures, params.nOutputs, options.pruneBelow ?? 0, options.maxStoredRows),
      C: chosen.C,
      classWeight,
      optimizer: {
        iterations: optimizer.iterations,
        evaluations: optimizer.evaluations,
        converged: optimizer.converged,
        reason: optimizer.reason,
      },
    },
    calibration,
    explanation: explanationData(encoder, X, y, params),
  };
  return {
    artifact,
    autoWriteAllowed,
    reasons,
    gates,
    fitCheck,
    heldOut,
    chosenC: chosen.C,
    chosenEncoder: chosen.options,
    timings: { encodeMs, fitMs, crossFitMs, totalMs: performance.now() - started, foldMs, foldsOnHelperThread },
  };
}
