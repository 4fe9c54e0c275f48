/**
 * Id order for compound cursors when vendor ids are numbers written as strings (HubSpot, Zendesk):
 * as strings "1000" < "999", so a string comparison at a shared modstamp would drop record 1000
 * after a page that ended at 999. Ids that are both plain digit strings compare as integers (by
 * length, then lexically, so ids beyond Number.MAX_SAFE_INTEGER stay exact); others as strings.
 */
import type { CompoundCursor } from './compound-cursor';

export function compareExternalIds(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Like isAfterCursor, with numeric-aware ids: true when the record comes strictly after the cursor. */
export function isAfterCursorNumericIds(record: { modstamp: string; externalId: string }, cursor: CompoundCursor | null): boolean {
  if (!cursor) return true;
  const a = Date.parse(record.modstamp);
  const b = Date.parse(cursor.modstamp);
  if (a !== b) return a > b;
  return compareExternalIds(record.externalId, cursor.id) > 0;
}
