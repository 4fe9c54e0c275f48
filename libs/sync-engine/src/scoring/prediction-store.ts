/**
 * Stored predictions, one multi-row INSERT per page (plain SQL: see records/record-store.ts). Ids are
 * made here rather than by the database, so the outbox rows of the same transaction can name their
 * prediction without reading anything back.
 */
import type { Queryable } from '../sql/query-rows';

export interface PredictionRow {
  id: string;
  externalId: string;
  task: string;
  artifactId: string | null;
  modelVersion: string;
  value: unknown;
  confidence: number | null;
  tier: string | null;
  factors: unknown;
  abstained: boolean;
  abstainReason: string | null;
  inputHash: string;
}

export async function insertPredictions(
  db: Queryable,
  scope: { connectionId: string; object: string },
  rows: PredictionRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO prediction (id, connection_id, object, external_id, task, artifact_id, model_version, value, confidence, tier, factors, abstained, abstain_reason, input_hash)
     SELECT r.id, $1, $2, r.external_id, r.task, r.artifact_id, r.model_version, r.value, r.confidence, r.tier, r.factors, r.abstained, r.abstain_reason, r.input_hash
     FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, external_id text, task text, artifact_id uuid, model_version text, value jsonb,
       confidence double precision, tier text, factors jsonb, abstained boolean, abstain_reason text, input_hash text)`,
    [
      scope.connectionId,
      scope.object,
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          external_id: r.externalId,
          task: r.task,
          artifact_id: r.artifactId,
          model_version: r.modelVersion,
          value: r.value,
          confidence: r.confidence,
          tier: r.tier,
          factors: r.factors,
          abstained: r.abstained,
          abstain_reason: r.abstainReason,
          input_hash: r.inputHash,
        })),
      ),
    ],
  );
}
