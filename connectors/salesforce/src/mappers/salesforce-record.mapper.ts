/** Raw REST records → SyncedRecord; Salesforce datetimes (`…+0000`) → ISO-8601 `Z`. */
import type { SyncedRecord } from '@fieldcast/connector-sdk';

export interface SalesforceRawRecord {
  [field: string]: unknown;
  Id: string;
  attributes?: { type: string; url: string };
}

/** `2024-05-07T22:07:19.000+0000` → `2024-05-07T22:07:19.000Z`; other offsets are converted to UTC. */
export function salesforceDateTimeToIso(value: string): string {
  if (value.endsWith('+0000')) return `${value.slice(0, -5)}Z`;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new Error(`not a Salesforce datetime: ${value}`);
  return new Date(ms).toISOString();
}

/** ISO-8601 → an unquoted SOQL datetime literal. */
export function isoToSoqlDateTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}

export function mapSalesforceRecord(raw: SalesforceRawRecord, sobject: string): SyncedRecord {
  const { attributes: _attributes, IsDeleted: _deleted, ...fields } = raw;
  const stamp = raw.SystemModstamp;
  if (typeof stamp !== 'string') throw new Error(`Salesforce ${sobject} ${raw.Id} has no SystemModstamp`);
  return {
    externalId: raw.Id,
    object: sobject,
    modstamp: salesforceDateTimeToIso(stamp),
    lastModifiedBy: typeof raw.LastModifiedById === 'string' ? raw.LastModifiedById : undefined,
    fields,
  };
}
