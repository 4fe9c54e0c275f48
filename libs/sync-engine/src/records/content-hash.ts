import { createHash } from 'node:crypto';

/**
 * Hash of the fields that matter for scoring: Fieldcast's own write-back fields are left out, so our
 * write (which bumps the vendor's modstamp) comes back from the next sync with an unchanged hash and
 * is neither rescored nor rewritten (echo suppression that needs no vendor cooperation).
 */
/** Stamps every vendor write bumps (ours included): never content, or our own write-back would look like a change. */
const VOLATILE_FIELD =
  /^(SystemModstamp|LastModifiedDate|LastModifiedById|LastReferencedDate|LastViewedDate|lastmodifieddate|hs_lastmodifieddate|updated_at|updatedAt)$/;

export function contentHash(fields: Record<string, unknown>, ignoredFields: ReadonlySet<string>): string {
  // One string, one update: the same bytes as feeding each part separately (so stored hashes stay
  // valid), at a third of the cost — four native calls per field were a tenth of a sync's worker CPU.
  let text = '';
  for (const key of Object.keys(fields).sort()) {
    if (ignoredFields.has(key) || VOLATILE_FIELD.test(key)) continue;
    text += `${key}\u0000${JSON.stringify(fields[key] ?? null)}\u0001`;
  }
  return createHash('sha256').update(text).digest('base64url');
}

/** Hash of one intended write value, part of the outbox idempotency key. */
export function valueHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('base64url')
    .slice(0, 16);
}
