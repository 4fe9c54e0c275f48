/**
 * Trains a connection's own model for a task from its synced history (labels as the connector's
 * stream declares them), then decides: promote when it passes the data gates and fit check and
 * beats the current champion on held-out data; otherwise keep the champion (or the shipped
 * default) and say why. Every artifact is stored, versioned, with the reason of the decision.
 */
import type { DataSource } from 'typeorm';
import type { ScoringTask, StreamDescriptor } from '@fieldcast/connector-sdk';
import { ConnectionEntity, ModelArtifactEntity, SyncedRecordEntity } from '@fieldcast/database';
import { trainModel, type LabeledRecord, type TrainOptions } from '@fieldcast/scoring';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { scoringInput } from '../scoring/record-scorer';
import { inferFieldSpecs } from './infer-field-specs';
import { trainingFieldPolicy } from './training-fields';

export interface RetrainOutcome {
  status: 'promoted' | 'kept' | 'rejected' | 'skipped';
  reason: string;
  artifactId?: string;
  version?: number;
  metrics?: Record<string, number>;
  trainingRows?: number;
}

const PRIMARY_METRIC: Record<ScoringTask, 'auc' | 'accuracy'> = {
  'lead-score': 'auc',
  'ticket-category': 'accuracy',
  'escalation-risk': 'auc',
};
/** A challenger must beat the champion by more than noise to replace it. */
const MIN_IMPROVEMENT = 0.005;

/**
 * Up to this many rows a ticket model compares two Cs with 5 folds; above it one fit already takes
 * ~10 s, so one C with 3 folds (each still holds out over 6,600 rows).
 */
const TICKET_C_SEARCH_MAX_ROWS = 20_000;

/**
 * Training settings per task, beyond the fields. Ticket categories get the text settings that
 * bench/scoring-quality.bench.ts chose on the IT service tickets' training rows (terms weighted 1
 * instead of idf, raw term counts or sublinear, C from {10, 30}, 2^20 hash buckets; tolerance 1e-4
 * as there): small histories compare those four on out-of-fold accuracy (raw counts won there:
 * 0.8601 vs 0.8581 at C = 30, flat from C = 10 to 30). Large ones must fit the worker's time and
 * memory: one setting (raw counts, C = 10), 3 folds and 2^18 buckets. On 50,000 tickets (3 folds,
 * helper thread, load ≈ 3.5) 2^18 with C = 10 took 34 s wall / 43 s CPU / 1.25 GB peak RSS for
 * out-of-fold accuracy 0.8695, against 39–40 s / 58–62 s / 1.6–1.8 GB for 0.8699 (2^20, C = 10)
 * and 0.8702 (2^20, C = 30). Lead and escalation models keep trainModel's defaults.
 */
export function connectionTrainOptions(task: ScoringTask, nRows: number): Omit<TrainOptions, 'fields'> {
  if (task !== 'ticket-category') return {};
  if (nRows > TICKET_C_SEARCH_MAX_ROWS) {
    return { encoder: { text: { hashBits: 18, idf: false, sublinearTf: false } }, gradientTolerance: 1e-4, folds: 3, C: 10 };
  }
  return {
    encoder: { text: { hashBits: 20, idf: false } },
    gradientTolerance: 1e-4,
    candidates: [10, 30].flatMap((C) => [{ C }, { C, encoder: { text: { hashBits: 20, idf: false, sublinearTf: false } } }]),
  };
}

export async function retrainConnection(
  deps: { dataSource: DataSource; registry: ConnectorRegistry },
  connectionId: string,
  task: ScoringTask,
): Promise<RetrainOutcome> {
  const { dataSource, registry } = deps;
  const connection = await dataSource.getRepository(ConnectionEntity).findOneBy({ id: connectionId });
  if (!connection) return { status: 'skipped', reason: 'connection does not exist' };
  const stream = registry
    .get(connection.vendor)
    .describe()
    .streams.find((s) => s.tasks.includes(task) && s.trainingLabels?.[task]);
  if (!stream) return { status: 'skipped', reason: `${connection.vendor} has no stream with training labels for ${task}` };
  const rule = stream.trainingLabels![task]!;
  const records = await dataSource.getRepository(SyncedRecordEntity).find({
    select: { externalId: true, data: true },
    where: { connectionId, stream: stream.name, isDeleted: false },
  });
  const rows = toLabeledRows(stream, task, rule, records);
  const fields = inferFieldSpecs(
    rows.map((r) => r.fields),
    trainingFieldPolicy(stream, task),
  );
  const repo = dataSource.getRepository(ModelArtifactEntity);
  const latest = await repo.findOne({ where: { connectionId, task }, order: { version: 'DESC' } });
  const version = (latest?.version ?? 0) + 1;
  if (fields.length === 0) return { status: 'skipped', reason: 'no usable fields in the synced records' };
  let result;
  try {
    result = trainModel(task, rows, {
      ...connectionTrainOptions(task, rows.length),
      fields,
      version: `c${version}`,
      modelId: `${connectionId}:${task}`,
      trainedAt: new Date().toISOString(),
    });
  } catch (error) {
    return { status: 'skipped', reason: `not enough labelled history to train: ${(error as Error).message}`, trainingRows: rows.length };
  }
  const metric = PRIMARY_METRIC[task];
  const score = result.artifact.metrics[metric] ?? 0;
  const champion = await repo.findOne({ where: { connectionId, task, status: 'champion' }, order: { version: 'DESC' } });
  const championScore = champion ? Number((champion.metrics as Record<string, number>)[metric] ?? 0) : undefined;
  let status: RetrainOutcome['status'];
  let reason: string;
  if (!result.autoWriteAllowed) {
    status = 'rejected';
    reason = `kept ${champion ? `champion v${champion.version}` : 'the default model'}: ${result.reasons.join('; ')}`;
  } else if (championScore !== undefined && score <= championScore + MIN_IMPROVEMENT) {
    status = 'kept';
    reason = `held-out ${metric} ${score.toFixed(3)} does not beat champion v${champion!.version} (${championScore.toFixed(3)})`;
  } else {
    status = 'promoted';
    reason =
      championScore === undefined
        ? `first trained model: held-out ${metric} ${score.toFixed(3)}`
        : `held-out ${metric} ${score.toFixed(3)} beats champion v${champion!.version} (${championScore.toFixed(3)})`;
  }
  const saved = await dataSource.transaction(async (tx) => {
    if (status === 'promoted' && champion) await tx.getRepository(ModelArtifactEntity).update({ id: champion.id }, { status: 'retired' });
    return tx.getRepository(ModelArtifactEntity).save({
      connectionId,
      task,
      version,
      status: status === 'promoted' ? 'champion' : status === 'rejected' ? 'rejected' : 'candidate',
      artifact: result.artifact as unknown as Record<string, unknown>,
      metrics: result.artifact.metrics,
      trainingRows: rows.length,
      decisionReason: reason,
      trainedAt: new Date(),
      promotedAt: status === 'promoted' ? new Date() : null,
    });
  });
  return { status, reason, artifactId: saved.id, version, metrics: result.artifact.metrics, trainingRows: rows.length };
}

function toLabeledRows(
  stream: StreamDescriptor,
  task: ScoringTask,
  rule: { field: string; positiveValues?: Array<string | number | boolean> },
  records: SyncedRecordEntity[],
): LabeledRecord[] {
  const positives = new Set((rule.positiveValues ?? []).map((v) => String(v).toLowerCase()));
  const binary = task !== 'ticket-category';
  const rows: LabeledRecord[] = [];
  for (const record of records) {
    const raw = record.data[rule.field];
    const fields = scoringInput(stream, { externalId: record.externalId, object: stream.vendorObject, modstamp: '', fields: record.data });
    if (binary) {
      rows.push({ id: record.externalId, fields, label: raw !== null && raw !== undefined && positives.has(String(raw).toLowerCase()) });
    } else if (raw !== null && raw !== undefined && raw !== '') {
      rows.push({ id: record.externalId, fields, label: String(raw) });
    }
  }
  return rows;
}
