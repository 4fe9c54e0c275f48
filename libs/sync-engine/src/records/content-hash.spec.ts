import { contentHash } from './content-hash';

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
});
