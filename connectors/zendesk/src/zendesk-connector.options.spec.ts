import { parseZendeskOptions } from './zendesk-connector.options';
import { zendeskEndpointUri } from './zendesk-client.factory';

describe('parseZendeskOptions', () => {
  it('defaults everything', () => {
    expect(parseZendeskOptions(undefined)).toEqual({
      escalatedTag: 'escalated',
      lookbackMs: 300_000,
      categoryFieldId: undefined,
      tierFieldId: undefined,
      tier2GroupIds: undefined,
    });
  });

  it('lists every problem at once', () => {
    expect(() => parseZendeskOptions({ categoryFieldId: 'Category', tier2GroupIds: 'tier 2', lookbackMs: -1 })).toThrow(
      'Zendesk connection options are invalid: categoryFieldId: expected a ticket field id (a positive integer), got "Category"; tier2GroupIds: expected an array of group ids, got "tier 2"; lookbackMs: expected milliseconds >= 0, got -1',
    );
  });
});

describe('zendeskEndpointUri', () => {
  it('accepts the account URL with or without /api/v2 and refuses non-URLs', () => {
    expect(zendeskEndpointUri('https://acme.zendesk.com')).toBe('https://acme.zendesk.com/api/v2');
    expect(zendeskEndpointUri('https://acme.zendesk.com/api/v2/')).toBe('https://acme.zendesk.com/api/v2');
    expect(zendeskEndpointUri('http://127.0.0.1:4103')).toBe('http://127.0.0.1:4103/api/v2');
    expect(() => zendeskEndpointUri('acme')).toThrow('is not a URL');
    expect(() => zendeskEndpointUri('ftp://acme.zendesk.com')).toThrow('must be http(s)');
  });
});
