/**
 * The compound incremental cursor shared by all connectors: (modstamp, id) of the last record that
 * was committed. Vendor queries use `modstamp >= cursor.modstamp - lookback` and the engine drops
 * records at or before (modstamp, id), so records sharing one modstamp across a page boundary are
 * neither missed nor duplicated. Serialized as JSON; opaque to the engine.
 */
export interface CompoundCursor {
  /** ISO-8601 modstamp of the last committed record. */
  modstamp: string;
  /** External id of the last committed record (tie-breaker within one modstamp). */
  id: string;
  /** Vendor continuation for an interrupted run (a queryMore locator, an `after` token, a Zendesk cursor). */
  continuation?: string;
  /** Free-form vendor phase (e.g. HubSpot's current time slice when splitting around the 10,000 cap). */
  phase?: Record<string, string | number>;
}

export function encodeCursor(cursor: CompoundCursor): string {
  return JSON.stringify(cursor);
}

export function decodeCursor(raw: string | null): CompoundCursor | null {
  if (raw === null || raw === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const c = parsed as Partial<CompoundCursor>;
  if (typeof c.modstamp !== 'string' || typeof c.id !== 'string' || Number.isNaN(Date.parse(c.modstamp))) return null;
  return c as CompoundCursor;
}

/** Total order on (modstamp, id): true when the record comes strictly after the cursor. */
export function isAfterCursor(record: { modstamp: string; externalId: string }, cursor: CompoundCursor | null): boolean {
  if (!cursor) return true;
  const a = Date.parse(record.modstamp);
  const b = Date.parse(cursor.modstamp);
  if (a !== b) return a > b;
  return record.externalId > cursor.id;
}

/** The lower bound a vendor query starts from: the cursor's modstamp minus the lookback window. */
export function lookbackStart(cursor: CompoundCursor | null, lookbackMs: number): Date | null {
  if (!cursor) return null;
  return new Date(Date.parse(cursor.modstamp) - lookbackMs);
}
