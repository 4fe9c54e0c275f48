// evaluate: score labelled rows with a model and compute held-out metrics. The rows must not have
// been used to train the model; callers pass the held-out part of a split.
import type { ModelArtifact } from '../artifact/artifact.types';
import type { LoadedModel } from '../artifact/load-artifact';
import { predictProbabilities, resolveModel, type PredictOptions } from '../predict/predict.service';
import type { LabeledRecord } from '../scoring.types';
import { toBinaryLabel } from '../training/labels';
import { binaryMetrics, multiclassMetrics, type BinaryMetrics, type MulticlassMetrics } from './metrics';

export interface EvaluationInputs {
  binary: boolean;
  /** Binary: P(positive) per row; categories: n × K. */
  proba: Float64Array;
  /** Binary: 0/1; categories: class index, −1 for a label the model does not know. */
  y: Int32Array;
  classes: string[];
}

export function scoreLabelled(
  model: LoadedModel | ModelArtifact,
  rows: readonly LabeledRecord[],
  options: { positiveLabel?: LabeledRecord['label']; asOf?: PredictOptions['asOf'] } = {},
): EvaluationInputs {
  const loaded = resolveModel(model);
  const proba = predictProbabilities(loaded, rows, options.asOf);
  const binary = loaded.kind === 'rules' || loaded.artifact.model.type === 'binary';
  if (binary) {
    return { binary, proba, y: Int32Array.from(rows, (r) => toBinaryLabel(r.label, options.positiveLabel)), classes: ['0', '1'] };
  }
  const classes = loaded.kind === 'linear' ? loaded.artifact.model.classes : [];
  return { binary, proba, y: Int32Array.from(rows, (r) => classes.indexOf(String(r.label))), classes };
}

export function evaluate(
  model: LoadedModel | ModelArtifact,
  rows: readonly LabeledRecord[],
  options: { positiveLabel?: LabeledRecord['label']; asOf?: PredictOptions['asOf'] } = {},
): BinaryMetrics | MulticlassMetrics {
  const scored = scoreLabelled(model, rows, options);
  if (scored.binary) return binaryMetrics(scored.proba, scored.y);
  // Labels the model never saw count as errors (their probability is 0), not as skipped rows.
  const K = scored.classes.length;
  const known = scored.y.map((k) => (k < 0 ? 0 : k));
  const proba = Float64Array.from(scored.proba);
  scored.y.forEach((k, i) => {
    if (k < 0) for (let c = 0; c < K; c += 1) proba[i * K + c] = c === 0 ? 0 : proba[i * K + c];
  });
  return multiclassMetrics(proba, known, scored.classes);
}
