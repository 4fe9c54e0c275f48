/**
 * Salesforce datetimes on the wire: `2024-05-07T22:07:19.123+0000` (UTC, no colon in the offset).
 * Records keep them in exactly that form, so comparing two stored values as strings orders them in time
 * (no Date parsing in query hot paths).
 */
export function toSalesforceDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

export function toSalesforceDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

const SOQL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;
const SOQL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses an ISO-8601 datetime with `Z` or a `±hh:mm` / `±hhmm` offset; undefined when it is not one. */
export function parseSalesforceDateTime(text: string): number | undefined {
  const m = SOQL_DATETIME.exec(text);
  if (!m) return undefined;
  const offset = m[8] === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(-2)}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isSalesforceDate(text: string): boolean {
  return SOQL_DATE.test(text) && !Number.isNaN(Date.parse(text));
}
