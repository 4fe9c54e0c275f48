// loadArtifact: validate → check version and schema hash → decode typed arrays once. The result is
// immutable apart from per-model scratch buffers, so callers cache it by (modelId, version).
import { computeLayout, schemaHash, RowEncoder, type FittedEncoder } from '../features/feature-encoder.features';
import type { ModelMetadata } from '../scoring.types';
import { ARTIFACT_FORMAT_VERSION, type LinearArtifact, type ModelArtifact, type RulesArtifact } from './artifact.types';
import { modelArtifactSchema } from './artifact.schema';
import { unpackQuantized, unpackSparseRows } from './packed-array';
import { rulesSchemaHash } from '../rules/rules.model';

export type ArtifactErrorCode = 'INVALID_ARTIFACT' | 'UNSUPPORTED_FORMAT_VERSION' | 'SCHEMA_HASH_MISMATCH';

export class ArtifactError extends Error {
  constructor(
    readonly code: ArtifactErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArtifactError';
  }
}

export interface LoadedLinearModel {
  kind: 'linear';
  artifact: LinearArtifact;
  metadata: ModelMetadata;
  encoder: FittedEncoder;
  rowEncoder: RowEncoder;
  /** Dense nFeatures × nOutputs, feature-major. */
  weights: Float32Array;
  intercept: Float64Array;
  nOutputs: number;
}

export interface LoadedRulesModel {
  kind: 'rules';
  artifact: RulesArtifact;
  metadata: ModelMetadata;
}

export type LoadedModel = LoadedLinearModel | LoadedRulesModel;

function metadataOf(artifact: ModelArtifact): ModelMetadata {
  return {
    modelId: artifact.modelId,
    version: artifact.version,
    kind: artifact.kind,
    task: artifact.task,
    trainedAt: artifact.trainedAt,
    trainingSize: artifact.trainingSize,
    featureSchemaHash: artifact.featureSchema.hash,
    metrics: artifact.metrics,
    autoWriteAllowed: artifact.status.autoWriteAllowed,
  };
}

export function compileLinear(artifact: LinearArtifact): LoadedLinearModel {
  const { fields, encodings, hash } = artifact.featureSchema;
  if (schemaHash(fields, encodings) !== hash) {
    throw new ArtifactError('SCHEMA_HASH_MISMATCH', 'featureSchema.hash does not match the fields and encodings it describes');
  }
  const { layout, nCols } = computeLayout(encodings);
  if (nCols !== artifact.model.nFeatures) {
    throw new ArtifactError(
      'INVALID_ARTIFACT',
      `model.nFeatures is ${artifact.model.nFeatures} but the feature schema has ${nCols} columns`,
    );
  }
  const idf = encodings.map((e) => {
    if (e.type !== 'text') return null;
    const packed = artifact.idf[e.field];
    if (!packed) throw new ArtifactError('INVALID_ARTIFACT', `idf.${e.field} is missing`);
    const values = unpackQuantized(packed);
    if (values.length !== 1 << e.config.hashBits) throw new ArtifactError('INVALID_ARTIFACT', `idf.${e.field} has the wrong length`);
    return values;
  });
  const encoder: FittedEncoder = { schema: artifact.featureSchema, idf, layout, nCols };
  const weights = unpackSparseRows(artifact.model.weights);
  if (artifact.model.weights.nRows !== nCols || artifact.model.weights.nCols !== artifact.model.nOutputs) {
    throw new ArtifactError('INVALID_ARTIFACT', 'model.weights has the wrong shape');
  }
  return {
    kind: 'linear',
    artifact,
    metadata: metadataOf(artifact),
    encoder,
    rowEncoder: new RowEncoder(encoder),
    weights,
    intercept: Float64Array.from(artifact.model.intercept),
    nOutputs: artifact.model.nOutputs,
  };
}

/** Accepts the parsed JSON object or its string form. Throws ArtifactError naming what is wrong. */
export function loadArtifact(input: unknown): LoadedModel {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (error) {
      throw new ArtifactError('INVALID_ARTIFACT', `not JSON: ${(error as Error).message}`);
    }
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== ARTIFACT_FORMAT_VERSION) {
    throw new ArtifactError(
      'UNSUPPORTED_FORMAT_VERSION',
      `formatVersion ${version} is not supported (this library reads ${ARTIFACT_FORMAT_VERSION})`,
    );
  }
  const parsed = modelArtifactSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ArtifactError('INVALID_ARTIFACT', `/${issue.path.join('/')}: ${issue.message}`);
  }
  const artifact = parsed.data as unknown as ModelArtifact;
  if (artifact.kind === 'rules') {
    if (rulesSchemaHash(artifact.featureSchema.fields) !== artifact.featureSchema.hash) {
      throw new ArtifactError('SCHEMA_HASH_MISMATCH', 'featureSchema.hash does not match the fields it describes');
    }
    return { kind: 'rules', artifact, metadata: metadataOf(artifact) };
  }
  return compileLinear(artifact);
}
