import { createHash } from 'node:crypto';
import { contentHash } from './content-hash';

/** The original formulation (one update per part): hashes stored by earlier versions must still match. */
function referenceHash(fields: Record<string, unknown>, ignored: ReadonlySet<string>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(fields).sort()) {
    if (ignored.has(key) || /^(SystemModstamp|LastModifiedById|lastmodifieddate|hs_lastmodifieddate|updated_at)$/.test(key)) continue;
    hash.update(key);
    hash.update('\u0000');
    hash.update(JSON.stringify(fields[key] ?? null));
    hash.update('\u0001');
  }
  return hash.digest('base64url');
}

describe('contentHash', () => {
  const base = { Title: 'VP Sales', LeadSource: 'Webinar', SystemModstamp: '2026-01-01T00:00:00.000Z', Fieldcast_Lead_Score__c: 12 };
  const ours = new Set(['Fieldcast_Lead_Score__c']);

  it('ignores our own fields and the vendor stamps every write bumps', () => {
    const after = { ...base, Fieldcast_Lead_Score__c: 87, SystemModstamp: '2026-01-02T00:00:00.000Z', LastModifiedById: '005x' };
    expect(contentHash(after, ours)).toBe(contentHash(base, ours));
  });

  it('changes when a field that feeds scoring changes, whatever the key order', () => {
    expect(contentHash({ ...base, Title: 'Intern' }, ours)).not.toBe(contentHash(base, ours));
    expect(contentHash({ LeadSource: 'Webinar', Title: 'VP Sales' }, ours)).toBe(
      contentHash({ Title: 'VP Sales', LeadSource: 'Webinar' }, ours),
    );
  });

  it('gives the same digest as the per-part formulation earlier versions stored (unicode, nested, null)', () => {
    const record = { Name: 'Zoë Ångström 🚀', nested: { a: [1, 2, { b: null }] }, empty: null, missing: undefined, n: 1.5, flag: true };
    expect(contentHash(record, ours)).toBe(referenceHash(record, ours));
    expect(contentHash(base, ours)).toBe(referenceHash(base, ours));
  });
});
