import type { ConnectionEntity } from '@fieldcast/database';
import type { StoredSecrets } from '@fieldcast/sync-engine';
import { MASKED_SECRET, newWebhookUrlSecret, vendorNeedsUrlSecret, webhookEndpointView } from './webhook-endpoint';

const ID = '6b88b7b1-0727-4658-8796-3194d04bb08e';
const PUBLIC = 'https://fieldcast.example.com/';

function connection(vendor: string, settings: Record<string, unknown> = {}, status = 'active'): ConnectionEntity {
  return { id: ID, vendor, status, settings } as ConnectionEntity;
}

const credentials = { kind: 'api_token', email: 'a@b.co', token: 't' } as StoredSecrets['credentials'];

describe('webhookEndpointView', () => {
  it('builds the Salesforce URL on the public URL, masked unless revealed, ready with an org id and a URL secret', () => {
    const sf = connection('salesforce', { organizationId: '00D5g000004XyZaEAK' });
    const stored: StoredSecrets = { credentials, webhookSigningSecret: 'S'.repeat(32) };
    const masked = webhookEndpointView(sf, stored, PUBLIC, { reveal: false })!;
    expect(masked).toMatchObject({
      url: `https://fieldcast.example.com/webhooks/salesforce/${ID}/${MASKED_SECRET}`,
      secretInUrl: true,
      revealed: false,
      ready: true,
      problems: [],
      organizationId: '00D5g000004XyZaEAK',
    });
    expect(JSON.stringify(masked)).not.toContain('S'.repeat(32));
    expect(webhookEndpointView(sf, stored, PUBLIC, { reveal: true })!).toMatchObject({
      url: `https://fieldcast.example.com/webhooks/salesforce/${ID}/${'S'.repeat(32)}`,
      revealed: true,
    });
  });

  it('says what stops deliveries: no org id yet, no URL secret, paused, secrets that cannot be decrypted', () => {
    const noOrg = webhookEndpointView(connection('salesforce'), { credentials, webhookSigningSecret: 'x'.repeat(32) }, PUBLIC, {
      reveal: true,
    })!;
    expect(noOrg.ready).toBe(false);
    expect(noOrg.problems).toEqual([expect.stringContaining('Test connection')]);
    // Never another secret in place of the URL secret (the OAuth client secret is in the same envelope).
    const noSecret = webhookEndpointView(
      connection('salesforce', { organizationId: '00D5g000004XyZaEAK' }),
      { credentials: { kind: 'oauth2', accessToken: 'a', clientId: 'c', clientSecret: 'client-secret' } } as StoredSecrets,
      PUBLIC,
      { reveal: true },
    )!;
    expect(noSecret).toMatchObject({ ready: false, revealed: false, problems: [expect.stringContaining('re-authenticate')] });
    expect(noSecret.url).not.toContain('client-secret');
    const paused = webhookEndpointView(connection('zendesk', {}, 'paused'), { credentials, webhookSigningSecret: 'z' }, PUBLIC, {
      reveal: false,
    })!;
    expect(paused.problems).toEqual([expect.stringContaining('paused')]);
    const unreadable = webhookEndpointView(connection('hubspot'), null, PUBLIC, { reveal: false, unreadable: 'wrong key' })!;
    expect(unreadable.problems).toEqual([expect.stringContaining('cannot be decrypted')]);
  });

  it('shows HubSpot and Zendesk URLs in full (no secret in them) and says where to paste them', () => {
    const hubspot = webhookEndpointView(connection('hubspot'), { credentials, webhookSigningSecret: 'cs' }, PUBLIC, { reveal: false })!;
    expect(hubspot).toMatchObject({ url: `https://fieldcast.example.com/webhooks/hubspot/${ID}`, secretInUrl: false, revealed: true });
    expect(hubspot.instructions).toContain('Target URL');
    const zendesk = webhookEndpointView(connection('zendesk'), { credentials }, PUBLIC, { reveal: false })!;
    expect(zendesk).toMatchObject({ url: `https://fieldcast.example.com/webhooks/zendesk/${ID}`, ready: false });
    expect(zendesk.problems).toEqual([expect.stringContaining('signing secret')]);
    expect(webhookEndpointView(connection('pipedrive'), null, PUBLIC, { reveal: false })).toBeNull();
  });

  it('generates URL secrets only for vendors that cannot sign, 32 URL-safe random characters each', () => {
    expect(['salesforce', 'hubspot', 'zendesk', 'other'].map(vendorNeedsUrlSecret)).toEqual([true, false, false, false]);
    const a = newWebhookUrlSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newWebhookUrlSecret()).not.toBe(a);
  });
});
