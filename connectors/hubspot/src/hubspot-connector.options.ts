/**
 * Per-connection HubSpot options (ConnectionSettings.options), validated once so a typo fails with a
 * CONFIG error that names the option instead of silently using a default.
 */
import { ConnectorException, type VendorCallPolicy } from '@fieldcast/connector-sdk';

/** `maxAttempts`, `retryBaseMs` and `maxInlineWaitMs` are the shared vendor-call policy (connector-sdk). */
export interface HubSpotConnectorOptions extends VendorCallPolicy {
  /** Our HubSpot app id: webhook events with changeSource INTEGRATION and this sourceId are our own writes. */
  appId?: string;
  /** Incremental runs re-read this much before the committed cursor (dedupe drops what was committed). */
  lookbackMs: number;
  /**
   * A run reads only records modified at least this long ago. HubSpot's search index lags writes by
   * a few seconds; without the margin, a record indexed late could carry a modstamp the cursor has
   * already passed and be missed for good. The newest changes simply arrive with the next run
   * (webhooks cover the real-time path).
   */
  searchSettleMs: number;
  /** Search page size (HubSpot caps search at 200). */
  pageSize: number;
  /** Minimum gap between search calls: HubSpot allows about 5 searches per second per token. */
  searchMinIntervalMs: number;
  /** Refresh the access token when it has less than this left (or half its lifetime, if shorter). */
  refreshMarginMs: number;
  /** Read hs_ticket_priority history for HIGH/URGENT tickets (the escalation label); costs one batch read per 50 such tickets. */
  ticketPriorityHistory: boolean;
}

export const HUBSPOT_DEFAULT_OPTIONS: HubSpotConnectorOptions = {
  lookbackMs: 5 * 60_000,
  searchSettleMs: 5_000,
  pageSize: 200,
  searchMinIntervalMs: 220,
  refreshMarginMs: 5 * 60_000,
  maxAttempts: 6,
  retryBaseMs: 500,
  maxInlineWaitMs: 60_000,
  ticketPriorityHistory: true,
};

/** Earlier names of options, still accepted from stored connection settings. */
const RENAMED: Record<string, keyof HubSpotConnectorOptions> = { maxInProcessWaitMs: 'maxInlineWaitMs' };

export function parseHubSpotOptions(raw: Record<string, unknown> | undefined): HubSpotConnectorOptions {
  const options: HubSpotConnectorOptions = { ...HUBSPOT_DEFAULT_OPTIONS };
  const problems: string[] = [];
  const given = { ...(raw ?? {}) };
  for (const [old, current] of Object.entries(RENAMED)) {
    if (!(old in given)) continue;
    if (current in given && given[current] !== given[old])
      problems.push(
        `${old} is the earlier name of ${current}; give only ${current} (got ${old}=${JSON.stringify(given[old])}, ${current}=${JSON.stringify(given[current])})`,
      );
    else given[current] = given[old];
    delete given[old];
  }
  for (const [key, value] of Object.entries(given)) {
    if (key === 'appId') {
      if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '')
        problems.push(`appId: expected the HubSpot app id (e.g. "1160452"), got ${JSON.stringify(value)}`);
      else options.appId = String(value);
    } else if (key === 'ticketPriorityHistory') {
      if (typeof value !== 'boolean') problems.push(`ticketPriorityHistory: expected true or false, got ${JSON.stringify(value)}`);
      else options.ticketPriorityHistory = value;
    } else if (key in HUBSPOT_DEFAULT_OPTIONS) {
      const min = key === 'maxAttempts' || key === 'pageSize' ? 1 : 0;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
        problems.push(`${key}: expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
      else (options as unknown as Record<string, number>)[key] = key === 'pageSize' ? Math.min(value, 200) : value;
    }
    // Unknown keys are left for other parts of Fieldcast (the options bag is shared).
  }
  if (problems.length) throw new ConnectorException('CONFIG', `HubSpot connection options are invalid: ${problems.join('; ')}`);
  return options;
}
