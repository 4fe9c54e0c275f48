/**
 * Scores synced records for the tasks of their stream and turns the predictions into the logical
 * write-back fields (lead_score, ticket_category, escalation_risk, score_confidence, score_reasons,
 * model_version). Which model answers is the ModelProvider's business (champion or shipped default).
 */
import type { ScoringTask, StreamDescriptor, SyncedRecord } from '@fieldcast/connector-sdk';
import { predict, type LoadedModel, type PredictionResult, type ScoredPrediction } from '@fieldcast/scoring';

export interface ResolvedModel {
  model: LoadedModel;
  /** model_artifact row id; null for a shipped default. */
  artifactId: string | null;
}

export interface ModelProvider {
  /** Undefined when no model can answer this task yet (records are still synced; the task is not scored). */
  modelFor(connectionId: string, task: ScoringTask): Promise<ResolvedModel | undefined>;
}

export interface TaskPrediction {
  task: ScoringTask;
  result: PredictionResult;
  artifactId: string | null;
}

export interface RecordScore {
  externalId: string;
  predictions: TaskPrediction[];
  /** Logical field key → value to write; empty when every task abstained. */
  values: Record<string, string | number>;
  /** Confidence of the stream's first task, compared with the auto-write threshold. */
  confidence: number | null;
  /** Joined model versions, part of each outbox idempotency key. */
  modelVersion: string;
  /** Why nothing may be written automatically, when that is so. */
  blockedReason?: string;
}

export function scoringInput(stream: StreamDescriptor, record: SyncedRecord): Record<string, unknown> {
  const input: Record<string, unknown> = { ...record.fields };
  for (const [canonical, vendorField] of Object.entries(stream.scoringInputs ?? {})) input[canonical] = record.fields[vendorField];
  return input;
}

export async function scoreRecords(
  models: ModelProvider,
  connectionId: string,
  stream: StreamDescriptor,
  records: SyncedRecord[],
): Promise<RecordScore[]> {
  const inputs = records.map((r) => ({ id: r.externalId, fields: scoringInput(stream, r) }));
  const perTask: Array<{ task: ScoringTask; results: PredictionResult[]; artifactId: string | null }> = [];
  for (const task of stream.tasks) {
    const resolved = await models.modelFor(connectionId, task);
    if (!resolved) continue;
    perTask.push({ task, results: predict(resolved.model, inputs), artifactId: resolved.artifactId });
  }
  if (perTask.length === 0) return [];
  return records.map((record, i) => {
    const predictions = perTask.map((t) => ({ task: t.task, result: t.results[i]!, artifactId: t.artifactId }));
    return { externalId: record.externalId, predictions, ...writeValues(predictions) };
  });
}

function writeValues(predictions: TaskPrediction[]): Pick<RecordScore, 'values' | 'confidence' | 'modelVersion' | 'blockedReason'> {
  const values: Record<string, string | number> = {};
  const reasons: string[] = [];
  const versions: string[] = [];
  let confidence: number | null = null;
  let blockedReason: string | undefined;
  for (const { task, result } of predictions) {
    versions.push(`${task}@${result.model.version}`);
    if (result.abstained) {
      blockedReason ??= `${task}: abstained (${result.reason})`;
      continue;
    }
    if (!result.model.autoWriteAllowed) blockedReason ??= `${task}: model ${result.model.version} is not cleared for automatic writes`;
    confidence ??= result.confidence;
    const top = topReasons(result, 3);
    if (task === 'lead-score') {
      values['lead_score'] = result.score ?? Math.round(Number(result.prediction) * 100);
      reasons.push(top);
    } else if (task === 'ticket-category') {
      values['ticket_category'] = String(result.prediction);
      reasons.push(`Category ${result.prediction} (${Math.round(result.confidence * 100)} %): ${top}`);
    } else {
      values['escalation_risk'] = Math.round(Number(result.prediction) * 100);
      reasons.push(`Escalation risk ${Math.round(Number(result.prediction) * 100)} %: ${top}`);
    }
  }
  if (Object.keys(values).length === 0) return { values, confidence, modelVersion: versions.join(', '), blockedReason };
  values['score_confidence'] = Math.round((confidence ?? 0) * 100);
  values['score_reasons'] = reasons.join(' | ').slice(0, 1000);
  values['model_version'] = versions.join(', ');
  return { values, confidence, modelVersion: versions.join(', '), blockedReason };
}

function topReasons(result: ScoredPrediction, n: number): string {
  return result.factors
    .slice(0, n)
    .map((f) => f.reason)
    .join('; ');
}
