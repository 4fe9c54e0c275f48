// In-process prediction: records → calibrated prediction, tier / confidence level, alternatives,
// signed factors, model metadata — or an abstention with its reason. Pure with respect to its
// inputs (the only state is the model's reusable scratch buffers), so identical inputs on the same
// model always give identical answers and can be cached by the caller.
import { calibrateBinary, calibrateMulticlass } from '../calibration/calibrator';
import type { ModelArtifact } from '../artifact/artifact.types';
import { loadArtifact, type LoadedLinearModel, type LoadedModel, type LoadedRulesModel } from '../artifact/load-artifact';
import { linearFactors } from '../explain/linear-factors';
import { signGlyph, signOf } from '../explain/reasons';
import { sigmoid } from '../models/logistic-regression.model';
import { evaluateRules } from '../rules/rules.model';
import type { ConfidenceLevel, Factor, PredictionResult, ScoringRecord, Tier } from '../scoring.types';

export interface PredictOptions {
  /** "Now" for date → recency features; default Date.now(). */
  asOf?: number | string | Date;
  /** Compute factors (default true); the bulk scorer can skip them for speed. */
  explain?: boolean;
  maxFactors?: number;
  topTerms?: number;
  /** Abstain when the calibrated confidence is below this (the prediction is still returned as a hint). */
  minConfidence?: number;
  /** Abstain on every record if the model's feature schema is not this one. */
  expectedSchemaHash?: string;
}

const loadedCache = new WeakMap<object, LoadedModel>();

/** Accepts a loaded model or an artifact object (compiled once and cached per object). */
export function resolveModel(model: LoadedModel | ModelArtifact): LoadedModel {
  if ('metadata' in model && 'artifact' in model) return model;
  const cached = loadedCache.get(model);
  if (cached) return cached;
  const loaded = loadArtifact(model);
  loadedCache.set(model, loaded);
  return loaded;
}

export function toEpoch(asOf: PredictOptions['asOf']): number {
  if (asOf === undefined) return Date.now();
  if (typeof asOf === 'number') return asOf;
  if (asOf instanceof Date) return asOf.getTime();
  const parsed = Date.parse(asOf);
  if (Number.isNaN(parsed)) throw new RangeError(`asOf "${asOf}" is not a date`);
  return parsed;
}

function tierOf(p: number, tiers: { A: number; B: number; C: number } | undefined): Tier | undefined {
  if (!tiers) return undefined;
  return p >= tiers.A ? 'A' : p >= tiers.B ? 'B' : p >= tiers.C ? 'C' : 'D';
}

function levelOf(confidence: number, thresholds: { high: number; medium: number }): ConfidenceLevel {
  return confidence >= thresholds.high ? 'high' : confidence >= thresholds.medium ? 'medium' : 'low';
}

function score1to99(p: number): number {
  return Math.min(99, Math.max(1, Math.round(p * 100)));
}

/** Logits of one encoded row into z (length nOutputs). */
function rowLogits(model: LoadedLinearModel, nnz: number, z: Float64Array): void {
  const K = model.nOutputs;
  const { indices, values } = model.rowEncoder;
  const W = model.weights;
  for (let k = 0; k < K; k += 1) z[k] = model.intercept[k];
  if (K === 1) {
    let s = z[0];
    for (let p = 0; p < nnz; p += 1) s += values[p] * W[indices[p]];
    z[0] = s;
    return;
  }
  for (let p = 0; p < nnz; p += 1) {
    const v = values[p];
    const base = indices[p] * K;
    for (let k = 0; k < K; k += 1) z[k] += v * W[base + k];
  }
}

/** The n most probable classes, most probable first, ties in class order (as a stable sort). */
function topClasses(proba: Float64Array, n: number): number[] {
  const top: number[] = [];
  for (let k = 0; k < proba.length; k += 1) {
    let at = top.length;
    while (at > 0 && proba[top[at - 1]] < proba[k]) at -= 1;
    if (at < n) {
      top.splice(at, 0, k);
      if (top.length > n) top.pop();
    }
  }
  return top;
}

function predictLinear(model: LoadedLinearModel, records: readonly ScoringRecord[], options: PredictOptions): PredictionResult[] {
  const { artifact, rowEncoder, metadata } = model;
  const asOfMs = toEpoch(options.asOf);
  const explain = options.explain ?? true;
  const classes = artifact.model.classes;
  const binary = artifact.model.type === 'binary';
  const K = model.nOutputs;
  const z = new Float64Array(K);
  const proba = new Float64Array(classes.length);
  const results: PredictionResult[] = [];
  const fields = artifact.featureSchema.fields;
  for (const record of records) {
    const nnz = rowEncoder.encode(record.fields ?? {}, asOfMs);
    let missingRequired: (typeof fields)[number] | undefined;
    let anyPresent = false;
    for (let f = 0; f < fields.length; f += 1) {
      if (!rowEncoder.missing[f]) anyPresent = true;
      else if (fields[f].required && missingRequired === undefined) missingRequired = fields[f];
    }
    if (missingRequired) {
      results.push({ id: record.id, abstained: true, reason: `required field "${missingRequired.name}" is missing`, model: metadata });
      continue;
    }
    if (!anyPresent) {
      results.push({ id: record.id, abstained: true, reason: 'none of the model fields has a usable value', model: metadata });
      continue;
    }
    rowLogits(model, nnz, z);
    if (binary) {
      const p = calibrateBinary(z[0], artifact.calibration);
      const confidence = Math.max(p, 1 - p);
      if (options.minConfidence !== undefined && confidence < options.minConfidence) {
        results.push({
          id: record.id,
          abstained: true,
          reason: `confidence ${confidence.toFixed(2)} is below ${options.minConfidence}`,
          prediction: p,
          confidence,
          model: metadata,
        });
        continue;
      }
      const { factors, baseline } = explain ? linearFactors(model, record, 1, asOfMs, options) : { factors: [], baseline: 0 };
      results.push({
        id: record.id,
        abstained: false,
        prediction: p,
        confidence,
        score: score1to99(p),
        tier: tierOf(p, artifact.thresholds.tiers),
        confidenceLevel: levelOf(confidence, artifact.thresholds.confidence),
        factors,
        explanation: { unit: 'log-odds', baseline, method: 'linear contributions w·(x − x̄) summed per field' },
        model: metadata,
      });
      continue;
    }
    if (K === 1) {
      const T = artifact.calibration.method === 'temperature' ? artifact.calibration.temperature : 1;
      proba[1] = sigmoid(z[0] / T);
      proba[0] = 1 - proba[1];
    } else {
      calibrateMulticlass(z, 0, K, artifact.calibration, proba);
    }
    let best = 0;
    for (let k = 1; k < classes.length; k += 1) if (proba[k] > proba[best]) best = k;
    const confidence = proba[best];
    if (options.minConfidence !== undefined && confidence < options.minConfidence) {
      results.push({
        id: record.id,
        abstained: true,
        reason: `confidence ${confidence.toFixed(2)} is below ${options.minConfidence}`,
        prediction: classes[best],
        confidence,
        model: metadata,
      });
      continue;
    }
    const { factors, baseline } = explain ? linearFactors(model, record, best, asOfMs, options) : { factors: [], baseline: 0 };
    results.push({
      id: record.id,
      abstained: false,
      prediction: classes[best],
      confidence,
      confidenceLevel: levelOf(confidence, artifact.thresholds.confidence),
      alternatives: topClasses(proba, 3).map((k) => ({ label: classes[k], probability: proba[k] })),
      factors,
      explanation: { unit: 'log-odds', baseline, method: 'class-centred linear contributions (w_k − w̄)·(x − x̄) summed per field' },
      model: metadata,
    });
  }
  return results;
}

function predictRules(model: LoadedRulesModel, records: readonly ScoringRecord[], options: PredictOptions): PredictionResult[] {
  const { artifact, metadata } = model;
  const asOfMs = toEpoch(options.asOf);
  return records.map((record) => {
    const { logit, matched } = evaluateRules(artifact, record.fields ?? {}, asOfMs);
    const p = sigmoid(logit);
    const confidence = Math.max(p, 1 - p);
    if (options.minConfidence !== undefined && confidence < options.minConfidence) {
      return {
        id: record.id,
        abstained: true,
        reason: `confidence ${confidence.toFixed(2)} is below ${options.minConfidence}`,
        prediction: p,
        confidence,
        model: metadata,
      };
    }
    const factors: Factor[] = matched
      .slice()
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
      .slice(0, options.maxFactors ?? 5)
      .map((rule, i) => ({
        field: rule.field,
        value: String(record.fields?.[rule.field] ?? 'missing'),
        contribution: rule.weight,
        direction: signOf(rule.weight),
        sortOrder: i + 1,
        reason: `${signGlyph(rule.weight)} ${rule.reason}`,
      }));
    return {
      id: record.id,
      abstained: false,
      prediction: p,
      confidence,
      score: score1to99(p),
      tier: tierOf(p, artifact.thresholds.tiers),
      confidenceLevel: levelOf(confidence, artifact.thresholds.confidence),
      factors,
      explanation: { unit: 'log-odds', baseline: artifact.rules.intercept, method: 'weighted rules (prior), contribution = rule weight' },
      model: metadata,
    };
  });
}

export function predict(
  model: LoadedModel | ModelArtifact,
  records: readonly ScoringRecord[],
  options: PredictOptions = {},
): PredictionResult[] {
  const loaded = resolveModel(model);
  if (options.expectedSchemaHash !== undefined && options.expectedSchemaHash !== loaded.metadata.featureSchemaHash) {
    return records.map((record) => ({
      id: record.id,
      abstained: true,
      reason: `model feature schema ${loaded.metadata.featureSchemaHash.slice(0, 12)} is not the expected ${options.expectedSchemaHash?.slice(0, 12)}`,
      model: loaded.metadata,
    }));
  }
  return loaded.kind === 'linear' ? predictLinear(loaded, records, options) : predictRules(loaded, records, options);
}

/**
 * Calibrated probabilities only (no explanations, no abstention): evaluation and bulk scoring.
 * Binary: n values P(positive). Categories: n × K row-major.
 */
export function predictProbabilities(
  model: LoadedModel | ModelArtifact,
  records: readonly ScoringRecord[],
  asOf?: PredictOptions['asOf'],
): Float64Array {
  const loaded = resolveModel(model);
  const asOfMs = toEpoch(asOf);
  if (loaded.kind === 'rules') {
    return Float64Array.from(records, (record) => sigmoid(evaluateRules(loaded.artifact, record.fields ?? {}, asOfMs).logit));
  }
  const { artifact, rowEncoder } = loaded;
  const K = loaded.nOutputs;
  const z = new Float64Array(K);
  if (artifact.model.type === 'binary') {
    const out = new Float64Array(records.length);
    records.forEach((record, i) => {
      rowLogits(loaded, rowEncoder.encode(record.fields ?? {}, asOfMs), z);
      out[i] = calibrateBinary(z[0], artifact.calibration);
    });
    return out;
  }
  const C = artifact.model.classes.length;
  const out = new Float64Array(records.length * C);
  records.forEach((record, i) => {
    rowLogits(loaded, rowEncoder.encode(record.fields ?? {}, asOfMs), z);
    if (K === 1) {
      const T = artifact.calibration.method === 'temperature' ? artifact.calibration.temperature : 1;
      out[i * 2 + 1] = sigmoid(z[0] / T);
      out[i * 2] = 1 - out[i * 2 + 1];
    } else {
      calibrateMulticlass(z, 0, K, artifact.calibration, out, i * C);
    }
  });
  return out;
}
