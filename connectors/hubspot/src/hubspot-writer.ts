/**
 * Write-back through batch/update, 100 inputs per call (HubSpot's maximum). A 207 resolves in the SDK
 * with `errors[]`; each error names its record ids in `context.ids`, and is mapped to that op. Ops for
 * the same record never share a batch (HubSpot rejects duplicate ids with a 400 for the whole batch).
 * A whole-batch 400 is split in halves to isolate the bad record instead of failing all 100.
 * https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch/post-crm-v3-objects-objectType-batch-update
 */
import { chunk } from '@fieldcast/common';
import { ConnectorException, type WriteOp, type WriteResult } from '@fieldcast/connector-sdk';
import type { HubSpotSession } from './hubspot-session';
import { toHubSpotValue } from './mappers/hubspot-property.mapper';

export const HUBSPOT_BATCH_MAX = 100;

interface BatchResponse {
  results: Array<{ id: string }>;
  errors?: Array<{ category?: string; message?: string; context?: Record<string, string[]> }>;
}

const VALIDATION_CODE = /"error":"([A-Z_]+)"/;

function errorResult(op: WriteOp, error: { category?: string; message?: string }): WriteResult {
  const category = error.category ?? 'UNKNOWN';
  const detail = VALIDATION_CODE.exec(error.message ?? '')?.[1];
  const code =
    category === 'OBJECT_NOT_FOUND'
      ? 'NOT_FOUND'
      : category === 'VALIDATION_ERROR'
        ? detail === 'PROPERTY_DOESNT_EXIST' || detail === 'READ_ONLY_VALUE'
          ? 'CONFIG'
          : 'VALIDATION'
        : 'UNKNOWN';
  return {
    opId: op.opId,
    status: 'failed',
    error: { code, vendorCode: detail ?? category, message: error.message ?? category, retryable: code === 'UNKNOWN' },
  };
}

/** Splits ops into batches of at most 100 in which every record id appears once. */
export function planHubSpotBatches(ops: WriteOp[]): WriteOp[][] {
  const rounds: WriteOp[][] = [];
  for (const op of ops) {
    const round = rounds.find((r) => !r.some((o) => o.externalId === op.externalId)) ?? (rounds[rounds.push([]) - 1] as WriteOp[]);
    round.push(op);
  }
  return rounds.flatMap((round) => chunk(round, HUBSPOT_BATCH_MAX));
}

export async function writeHubSpotBatch(session: HubSpotSession, objectType: string, ops: WriteOp[]): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (const batch of planHubSpotBatches(ops)) results.push(...(await writeOneBatch(session, objectType, batch)));
  return results;
}

async function writeOneBatch(session: HubSpotSession, objectType: string, batch: WriteOp[]): Promise<WriteResult[]> {
  let response: BatchResponse;
  try {
    response = await session.call<BatchResponse>(`POST /crm/v3/objects/${objectType}/batch/update`, { kind: 'write' }, (client) =>
      client.crm.objects.batchApi.updateWithHttpInfo(objectType, {
        inputs: batch.map((op) => ({
          id: op.externalId,
          properties: Object.fromEntries(Object.entries(op.fields).map(([k, v]) => [k, toHubSpotValue(v)])),
        })),
      }),
    );
  } catch (error) {
    if (error instanceof ConnectorException && error.code === 'VALIDATION' && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      return [
        ...(await writeOneBatch(session, objectType, batch.slice(0, half))),
        ...(await writeOneBatch(session, objectType, batch.slice(half))),
      ];
    }
    if (error instanceof ConnectorException && (error.code === 'VALIDATION' || error.code === 'NOT_FOUND')) {
      return batch.map((op) => ({
        opId: op.opId,
        status: 'failed',
        error: { code: error.code, vendorCode: error.vendorCode, message: error.message, retryable: false },
      }));
    }
    throw error;
  }
  const written = new Set(response.results.map((r) => r.id));
  const failures = new Map<string, { category?: string; message?: string }>();
  for (const error of response.errors ?? []) for (const id of error.context?.ids ?? []) failures.set(id, error);
  return batch.map((op): WriteResult => {
    const failure = failures.get(op.externalId);
    if (failure) return errorResult(op, failure);
    if (written.has(op.externalId)) return { opId: op.opId, status: 'written' };
    return {
      opId: op.opId,
      status: 'failed',
      error: { code: 'UNKNOWN', message: `HubSpot neither confirmed nor rejected record ${op.externalId}`, retryable: true },
    };
  });
}
