import { HUBSPOT_DEFAULT_OPTIONS, parseHubSpotOptions } from './hubspot-connector.options';

describe('parseHubSpotOptions', () => {
  it('fills defaults, keeps valid values, caps the page size at 200 and ignores other keys', () => {
    expect(parseHubSpotOptions(undefined)).toEqual(HUBSPOT_DEFAULT_OPTIONS);
    expect(parseHubSpotOptions({ appId: 1160452, lookbackMs: 0, pageSize: 500, somethingElse: true })).toMatchObject({
      appId: '1160452',
      lookbackMs: 0,
      pageSize: 200,
    });
  });

  it('names every invalid option in one CONFIG error', () => {
    expect(() => parseHubSpotOptions({ lookbackMs: -1, maxAttempts: 0, ticketPriorityHistory: 'yes' })).toThrow(
      /lookbackMs: expected a whole number >= 0.*maxAttempts: expected a whole number >= 1.*ticketPriorityHistory: expected true or false/,
    );
  });

  it('still accepts maxInProcessWaitMs, the earlier name of maxInlineWaitMs, from stored settings', () => {
    expect(parseHubSpotOptions({ maxInProcessWaitMs: 1000 })).toMatchObject({ maxInlineWaitMs: 1000 });
    expect(parseHubSpotOptions({ maxInlineWaitMs: 2000 })).toMatchObject({ maxInlineWaitMs: 2000 });
    expect(parseHubSpotOptions({ maxInProcessWaitMs: 2000, maxInlineWaitMs: 2000 })).toMatchObject({ maxInlineWaitMs: 2000 });
    expect(() => parseHubSpotOptions({ maxInProcessWaitMs: -5 })).toThrow(/maxInlineWaitMs: expected a whole number >= 0, got -5/);
    expect(() => parseHubSpotOptions({ maxInProcessWaitMs: 1000, maxInlineWaitMs: 2000 })).toThrow(
      /maxInProcessWaitMs is the earlier name of maxInlineWaitMs; give only maxInlineWaitMs/,
    );
    expect(parseHubSpotOptions({ maxInProcessWaitMs: 1000 })).not.toHaveProperty('maxInProcessWaitMs');
  });
});
