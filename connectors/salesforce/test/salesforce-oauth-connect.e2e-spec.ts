/** The connector's OAuth "Connect" (authorize URL + code exchange through jsforce) against the sandbox's consent page. */
import { SalesforceConnector } from '../src';
import { demoLeads, makeContext, startSandbox } from './salesforce-connector.helpers';
import type { StartedSalesforceSandbox } from '../../../apps/sandbox/test/salesforce-sandbox.helpers';

describe('Salesforce connector: OAuth connect', () => {
  let sf: StartedSalesforceSandbox;
  const connector = new SalesforceConnector();
  beforeAll(async () => {
    sf = await startSandbox({ data: { leads: demoLeads(3), tickets: [] } });
  });
  afterAll(() => sf.sandbox.stop());

  it('builds the consent URL, exchanges the code, and the credentials it returns sync', async () => {
    const creds = await sf.credentials();
    const redirectUri = 'http://127.0.0.1:9/oauth/salesforce/callback';
    const url = new URL(connector.oauth.authorizeUrl({ baseUrl: `${sf.baseUrl}/`, clientId: creds.clientId, redirectUri, state: 'st-1' }));
    expect(url.origin + url.pathname).toBe(`${sf.baseUrl}/services/oauth2/authorize`);
    expect(url.searchParams.get('scope')).toBe('api refresh_token offline_access');
    expect((await fetch(url)).status).toBe(200);
    const consent = await fetch(`${sf.baseUrl}/services/oauth2/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: creds.clientId, redirect_uri: redirectUri, state: 'st-1', decision: 'allow' }),
      redirect: 'manual',
    });
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('st-1');

    const exchanged = await connector.oauth.exchangeCode({
      baseUrl: sf.baseUrl,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      redirectUri,
      code: back.searchParams.get('code')!,
    });
    expect(exchanged.settings).toEqual({ baseUrl: sf.baseUrl, integrationUserId: creds.integrationUserId });
    expect(exchanged.credentials).toMatchObject({
      kind: 'oauth2',
      refreshToken: expect.any(String),
      instanceUrl: sf.baseUrl,
      loginUrl: sf.baseUrl,
    });

    const { ctx } = await makeContext(sf);
    ctx.credentials = exchanged.credentials;
    const page = await connector.fetchPage(ctx, { stream: 'leads', cursor: null, pageSize: 10, mode: 'incremental' });
    expect(page.records).toHaveLength(3);

    await expect(
      connector.oauth.exchangeCode({
        baseUrl: sf.baseUrl,
        clientId: creds.clientId,
        clientSecret: creds.clientSecret,
        redirectUri,
        code: 'used-or-forged',
      }),
    ).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
  });
});
