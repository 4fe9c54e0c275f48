// Champion / challenger: a new model replaces the current one only when it wins on the same
// held-out rows by more than resampling noise. The paired bootstrap resamples rows once per round
// and scores both models on that resample, so the comparison is paired and the "probability
// better" is the share of rounds the challenger wins.
import type { ModelArtifact } from '../artifact/artifact.types';
import type { LoadedModel } from '../artifact/load-artifact';
import { scoreLabelled } from '../evaluation/evaluate.service';
import { binaryLogLoss, rocAuc } from '../evaluation/metrics';
import { createRng } from '../evaluation/random';
import { resolveModel } from '../predict/predict.service';
import type { LabeledRecord } from '../scoring.types';

export interface ChampionChallengerOptions {
  bootstrapRounds?: number;
  seed?: number;
  /** Minimum improvement of the primary metric (AUC / accuracy). */
  minGain?: number;
  /** Required share of bootstrap rounds the challenger wins. */
  minProbabilityBetter?: number;
  /** Largest acceptable log-loss increase (calibration must not get materially worse). */
  maxLogLossIncrease?: number;
  positiveLabel?: LabeledRecord['label'];
}

export interface ChampionChallengerResult {
  decision: 'promote' | 'keep';
  reasons: string[];
  metric: 'auc' | 'accuracy';
  champion: { modelId: string; version: string; value: number; logLoss: number };
  challenger: { modelId: string; version: string; value: number; logLoss: number };
  delta: number;
  probabilityBetter: number;
  rows: number;
}

function accuracyOf(proba: Float64Array, y: Int32Array, K: number, rows: ArrayLike<number>): number {
  let correct = 0;
  for (let r = 0; r < rows.length; r += 1) {
    const i = rows[r];
    let arg = 0;
    for (let c = 1; c < K; c += 1) if (proba[i * K + c] > proba[i * K + arg]) arg = c;
    if (arg === y[i]) correct += 1;
  }
  return correct / rows.length;
}

function multiLogLoss(proba: Float64Array, y: Int32Array, K: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i += 1) s -= Math.log(Math.max(1e-15, y[i] >= 0 ? proba[i * K + y[i]] : 0));
  return s / y.length;
}

export function compareChampionChallenger(
  championModel: LoadedModel | ModelArtifact,
  challengerModel: LoadedModel | ModelArtifact,
  heldOut: readonly LabeledRecord[],
  options: ChampionChallengerOptions = {},
): ChampionChallengerResult {
  const champion = resolveModel(championModel);
  const challenger = resolveModel(challengerModel);
  if (champion.metadata.task !== challenger.metadata.task) {
    throw new RangeError(`cannot compare a ${champion.metadata.task} model with a ${challenger.metadata.task} model`);
  }
  const a = scoreLabelled(champion, heldOut, options);
  const b = scoreLabelled(challenger, heldOut, options);
  const n = heldOut.length;
  const binary = a.binary && b.binary;
  if (a.binary !== b.binary) throw new RangeError('champion and challenger answer different kinds of question');
  const Ka = a.classes.length;
  const Kb = b.classes.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const metricOf = (side: typeof a, K: number, rows: Int32Array): number =>
    binary
      ? rocAuc(
          Float64Array.from(rows, (i) => side.proba[i]),
          Int32Array.from(rows, (i) => side.y[i]),
        )
      : accuracyOf(side.proba, side.y, K, rows);
  const valueA = metricOf(a, Ka, all);
  const valueB = metricOf(b, Kb, all);
  const logLossA = binary ? binaryLogLoss(a.proba, a.y) : multiLogLoss(a.proba, a.y, Ka);
  const logLossB = binary ? binaryLogLoss(b.proba, b.y) : multiLogLoss(b.proba, b.y, Kb);
  const rounds = options.bootstrapRounds ?? 200;
  const rng = createRng(options.seed ?? 11);
  let wins = 0;
  const sample = new Int32Array(n);
  for (let r = 0; r < rounds; r += 1) {
    for (let i = 0; i < n; i += 1) sample[i] = Math.floor(rng() * n);
    const d = metricOf(b, Kb, sample) - metricOf(a, Ka, sample);
    if (d > 0) wins += 1;
  }
  const probabilityBetter = wins / rounds;
  const delta = valueB - valueA;
  const minGain = options.minGain ?? 0;
  const minProbability = options.minProbabilityBetter ?? 0.9;
  const maxLogLossIncrease = options.maxLogLossIncrease ?? 0.02;
  const metric = binary ? 'auc' : 'accuracy';
  const reasons: string[] = [];
  if (!challenger.metadata.autoWriteAllowed) reasons.push('challenger did not pass its data gates / fit check');
  if (!(delta > minGain))
    reasons.push(`challenger ${metric} ${valueB.toFixed(4)} does not beat the champion's ${valueA.toFixed(4)} by more than ${minGain}`);
  else if (probabilityBetter < minProbability) {
    reasons.push(
      `challenger wins only ${(probabilityBetter * 100).toFixed(0)}% of ${rounds} paired bootstrap rounds (needs ${(minProbability * 100).toFixed(0)}%)`,
    );
  }
  if (logLossB > logLossA + maxLogLossIncrease)
    reasons.push(`challenger log-loss ${logLossB.toFixed(4)} is worse than the champion's ${logLossA.toFixed(4)}`);
  const decision = reasons.length === 0 ? 'promote' : 'keep';
  if (decision === 'promote') {
    reasons.push(
      `challenger ${metric} ${valueB.toFixed(4)} vs ${valueA.toFixed(4)} (+${delta.toFixed(4)}), better in ${(probabilityBetter * 100).toFixed(0)}% of paired bootstrap rounds`,
    );
  }
  const describe = (m: typeof champion, value: number, logLoss: number) => ({
    modelId: m.metadata.modelId,
    version: m.metadata.version,
    value,
    logLoss,
  });
  return {
    decision,
    reasons,
    metric,
    champion: describe(champion, valueA, logLossA),
    challenger: describe(challenger, valueB, logLossB),
    delta,
    probabilityBetter,
    rows: n,
  };
}
