// Public API of the shared AI scoring module (embedded pattern: no server, database or network).
export * from './scoring.types';
export type { EncoderOptions, FeatureSchema, FieldEncoding } from './features/feature-encoder.features';
export type { TextFeatureConfig } from './features/text.features';
export * from './artifact/artifact.types';
export { ArtifactError, loadArtifact, type LoadedModel } from './artifact/load-artifact';
export { predict, predictProbabilities, type PredictOptions } from './predict/predict.service';
export { trainModel, type TrainOptions, type TrainResult } from './training/train-model.service';
export { checkDataGates, DEFAULT_GATES, type GateResult, type GateThresholds } from './gates/data-gates';
export { fitCheckBinary, fitCheckMulticlass, type FitCheckOptions, type FitCheckResult } from './gates/fit-check';
export { binaryMetrics, multiclassMetrics, rocAuc, type BinaryMetrics, type MulticlassMetrics } from './evaluation/metrics';
export { stratifiedFolds } from './evaluation/stratified-folds';
