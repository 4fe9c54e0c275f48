/**
 * Write-back through sObject Collections: 200 records per PATCH (the vendor maximum), allOrNone false
 * so one bad record never blocks the other 199, results matched back to ops by position.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
 */
import { chunk } from '@fieldcast/common';
import { ConnectorException, type WriteOp, type WriteResult } from '@fieldcast/connector-sdk';
import type { Connection } from 'jsforce';
import { parseSalesforceSaveErrors, type SalesforceSaveError } from './salesforce-error.parser';

export const SALESFORCE_COLLECTION_MAX = 200;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

type SalesforceCall = <T>(endpoint: string, kind: 'read' | 'write', call: (conn: Connection) => PromiseLike<T>) => Promise<T>;

interface SalesforceSaveResult {
  id?: string;
  success: boolean;
  errors: SalesforceSaveError[];
}

export async function writeSalesforceBatch(call: SalesforceCall, sobject: string, ops: WriteOp[]): Promise<WriteResult[]> {
  const results = new Map<string, WriteResult>();
  const valid: WriteOp[] = [];
  for (const op of ops) {
    // Checked here so a typo never costs an API call or hides among vendor errors.
    if (!SALESFORCE_ID.test(op.externalId)) {
      results.set(op.opId, {
        opId: op.opId,
        status: 'failed',
        error: {
          code: 'VALIDATION',
          vendorCode: 'MALFORMED_ID',
          message: `'${op.externalId}' is not a Salesforce record id`,
          retryable: false,
        },
      });
    } else if (Object.keys(op.fields).length === 0) {
      results.set(op.opId, { opId: op.opId, status: 'written' });
    } else {
      valid.push(op);
    }
  }
  for (const batch of chunk(valid, SALESFORCE_COLLECTION_MAX)) {
    const records = batch.map((op) => ({ Id: op.externalId, ...op.fields }));
    const saved = (await call(`PATCH composite/sobjects ${sobject}`, 'write', (conn) =>
      conn.sobject(sobject).update(records, { allOrNone: false }),
    )) as unknown as SalesforceSaveResult[];
    if (!Array.isArray(saved) || saved.length !== batch.length) {
      throw new ConnectorException(
        'UNKNOWN',
        `Salesforce returned ${Array.isArray(saved) ? saved.length : 'no'} results for ${batch.length} records`,
      );
    }
    batch.forEach((op, i) => {
      const r = saved[i];
      results.set(
        op.opId,
        r.success ? { opId: op.opId, status: 'written' } : { opId: op.opId, status: 'failed', error: parseSalesforceSaveErrors(r.errors) },
      );
    });
  }
  return ops.map((op) => results.get(op.opId)!);
}
