// Public API of the shared AI scoring module (embedded pattern: no server, database or network).
//
//   const { artifact, autoWriteAllowed, reasons } = trainModel('lead-score', rows, { fields });
//   const model = loadArtifact(JSON.stringify(artifact));      // validate + compile once, cache it
//   const answers = predict(model, [{ id: '00Q…', fields: { leadSource: 'Webinar' } }]);
//   compareChampionChallenger(current, candidate, heldOutRows).decision  // 'promote' | 'keep'
//   defaultArtifact('ticket-category')                           // cold start, with provenance
export * from './scoring.types';
export type { EncoderOptions, FeatureSchema, FieldEncoding } from './features/feature-encoder.features';
export type { TextFeatureConfig } from './features/text.features';
export type { Calibration } from './calibration/calibration.types';
export * from './artifact/artifact.types';
export { ArtifactError, loadArtifact, type ArtifactErrorCode, type LoadedModel } from './artifact/load-artifact';
export { predict, predictProbabilities, type PredictOptions } from './predict/predict.service';
export { trainModel, type TrainOptions, type TrainResult } from './training/train-model.service';
export { evaluate } from './evaluation/evaluate.service';
export {
  compareChampionChallenger,
  type ChampionChallengerOptions,
  type ChampionChallengerResult,
} from './champion/champion-challenger.service';
export { checkDataGates, DEFAULT_GATES, type GateResult, type GateThresholds } from './gates/data-gates';
export { fitCheckBinary, fitCheckMulticlass, type FitCheckOptions, type FitCheckResult } from './gates/fit-check';
export {
  binaryMetrics,
  multiclassMetrics,
  rocAuc,
  type BinaryMetrics,
  type ClassReport,
  type MulticlassMetrics,
} from './evaluation/metrics';
export { stratifiedFolds } from './evaluation/stratified-folds';
export { defaultArtifact, defaultArtifactDir } from './defaults/default-artifacts';
export { defaultEscalationRules, defaultLeadRules, ESCALATION_FIELDS, LEAD_FIELDS } from './rules/default-rules';
