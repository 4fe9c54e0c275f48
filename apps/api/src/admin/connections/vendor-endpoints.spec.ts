import { loadConfig } from '@fieldcast/config';
import { checkVendorBaseUrl, demoModeAllowed } from './vendor-endpoints';

const KEY = 'a'.repeat(44);

describe('checkVendorBaseUrl', () => {
  const dev = loadConfig({ NODE_ENV: 'development' });
  const prod = loadConfig({ NODE_ENV: 'production', FIELDCAST_SECRET_KEY: KEY });

  it('accepts the vendors’ own https hosts', () => {
    expect(checkVendorBaseUrl(prod, 'zendesk', 'https://acme.zendesk.com/')).toEqual({ url: 'https://acme.zendesk.com', isPrivate: false });
    expect(checkVendorBaseUrl(prod, 'hubspot', 'https://api.hubapi.com')).toEqual({ url: 'https://api.hubapi.com', isPrivate: false });
    expect(checkVendorBaseUrl(prod, 'salesforce', 'https://acme.my.salesforce.com')).toEqual({
      url: 'https://acme.my.salesforce.com',
      isPrivate: false,
    });
  });

  it('refuses other hosts, plain http and embedded credentials', () => {
    expect(checkVendorBaseUrl(prod, 'zendesk', 'https://zendesk.com.evil.example')).toHaveProperty('problem');
    expect(checkVendorBaseUrl(prod, 'hubspot', 'http://api.hubapi.com')).toHaveProperty('problem');
    expect(checkVendorBaseUrl(prod, 'zendesk', 'https://user:pw@acme.zendesk.com')).toHaveProperty('problem');
    expect(checkVendorBaseUrl(prod, 'zendesk', 'not a url')).toHaveProperty('problem');
  });

  it('allows loopback and private addresses (the sandboxes) only in demo mode', () => {
    expect(demoModeAllowed(dev)).toBe(true);
    expect(demoModeAllowed(prod)).toBe(false);
    expect(checkVendorBaseUrl(dev, 'hubspot', 'http://127.0.0.1:4102')).toEqual({ url: 'http://127.0.0.1:4102', isPrivate: true });
    expect(checkVendorBaseUrl(prod, 'hubspot', 'http://127.0.0.1:4102')).toEqual({
      problem: expect.stringContaining('only allowed in demo mode'),
    });
    expect(checkVendorBaseUrl(prod, 'zendesk', 'http://10.0.0.5')).toHaveProperty('problem');
  });
});
