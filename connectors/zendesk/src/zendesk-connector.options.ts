/**
 * Per-connection Zendesk options (ConnectionSettings.options), validated with a message an admin can
 * act on. Everything is optional: fields are found by title and groups by name when ids are not given.
 */
import { ConnectorException } from '@fieldcast/connector-sdk';

export interface ZendeskConnectionOptions {
  /** The ticket field holding the agents' category (training label); default: the field titled "Category". */
  categoryFieldId?: number;
  /** The ticket field holding the customer tier; default: the field titled "Customer Tier". */
  tierFieldId?: number;
  /** Groups whose assignment means "escalated"; default: groups whose name contains "tier 2". */
  tier2GroupIds?: number[];
  /** The tag that marks an escalation (default `escalated`). */
  escalatedTag: string;
  /** Re-read this far before the committed cursor when resuming without a Zendesk cursor (default 5 min). */
  lookbackMs: number;
}

export function parseZendeskOptions(raw: Record<string, unknown> | undefined): ZendeskConnectionOptions {
  const o = raw ?? {};
  const problems: string[] = [];
  const id = (name: string): number | undefined => {
    const v = o[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
      problems.push(`${name}: expected a ticket field id (a positive integer), got ${JSON.stringify(v)}`);
    return v as number;
  };
  const categoryFieldId = id('categoryFieldId');
  const tierFieldId = id('tierFieldId');
  let tier2GroupIds: number[] | undefined;
  if (o.tier2GroupIds !== undefined) {
    if (!Array.isArray(o.tier2GroupIds) || o.tier2GroupIds.some((g) => typeof g !== 'number'))
      problems.push(`tier2GroupIds: expected an array of group ids, got ${JSON.stringify(o.tier2GroupIds)}`);
    else tier2GroupIds = o.tier2GroupIds as number[];
  }
  const escalatedTag = o.escalatedTag === undefined ? 'escalated' : o.escalatedTag;
  if (typeof escalatedTag !== 'string' || !escalatedTag)
    problems.push(`escalatedTag: expected a tag, got ${JSON.stringify(o.escalatedTag)}`);
  const lookbackMs = o.lookbackMs === undefined ? 5 * 60_000 : o.lookbackMs;
  if (typeof lookbackMs !== 'number' || lookbackMs < 0)
    problems.push(`lookbackMs: expected milliseconds >= 0, got ${JSON.stringify(o.lookbackMs)}`);
  if (problems.length) throw new ConnectorException('CONFIG', `Zendesk connection options are invalid: ${problems.join('; ')}`);
  return { categoryFieldId, tierFieldId, tier2GroupIds, escalatedTag: escalatedTag as string, lookbackMs: lookbackMs as number };
}
