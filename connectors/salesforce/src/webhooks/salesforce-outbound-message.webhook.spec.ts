import type { WebhookRequest } from '@fieldcast/connector-sdk';
import { parseSalesforceOutboundMessage, salesforceOutboundMessageWebhook } from './salesforce-outbound-message.webhook';

/** The payload of vendor-apis.md 1.8 (the WSDL's shape), with a second notification and a modstamp. */
const ENVELOPE = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                  xmlns:xsd="http://www.w3.org/2001/XMLSchema"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>00Dxx0000001gPLEAY</OrganizationId>
   <ActionId>04kxx00000000A1AAI</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://yourorg.my.salesforce.com/services/Soap/c/62.0/00Dxx0000001gPL</EnterpriseUrl>
   <PartnerUrl>https://yourorg.my.salesforce.com/services/Soap/u/62.0/00Dxx0000001gPL</PartnerUrl>
   <Notification>
    <Id>04lxx00000000AAAAA</Id>
    <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>00Qxx000001AbCdEAF</sf:Id>
     <sf:Email>jane&amp;co@example.com</sf:Email>
     <sf:LastModifiedById>005xx000001SwiUAAS</sf:LastModifiedById>
     <sf:SystemModstamp>2024-06-01T10:00:00.000Z</sf:SystemModstamp>
    </sObject>
   </Notification>
   <Notification>
    <Id>04lxx00000000AAAAB</Id>
    <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>006xx000001AbCdEAF</sf:Id>
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;

const request = (body: string, url = '/webhooks/salesforce/c1/s3cret'): WebhookRequest => ({
  method: 'POST',
  url,
  headers: {},
  rawBody: Buffer.from(body),
  receivedAt: Date.UTC(2024, 5, 1, 10, 0, 5),
});

describe('Salesforce outbound message webhook', () => {
  it('parses the WSDL envelope into notifications with decoded field values', () => {
    const parsed = parseSalesforceOutboundMessage(Buffer.from(ENVELOPE));
    expect(parsed.organizationId).toBe('00Dxx0000001gPLEAY');
    expect(parsed.actionId).toBe('04kxx00000000A1AAI');
    expect(parsed.notifications[0]).toEqual({
      notificationId: '04lxx00000000AAAAA',
      object: 'Lead',
      fields: {
        Id: '00Qxx000001AbCdEAF',
        Email: 'jane&co@example.com',
        LastModifiedById: '005xx000001SwiUAAS',
        SystemModstamp: '2024-06-01T10:00:00.000Z',
      },
    });
  });

  it('verifies by OrganizationId (15 or 18 characters) and URL secret', () => {
    const hook = salesforceOutboundMessageWebhook;
    expect(hook.verify(request(ENVELOPE), { organizationId: '00Dxx0000001gPLEAY', signingSecret: 's3cret' })).toEqual({ ok: true });
    expect(hook.verify(request(ENVELOPE), { organizationId: '00Dxx0000001gPL', signingSecret: 's3cret' })).toEqual({ ok: true });
    expect(
      hook.verify(request(ENVELOPE, '/webhooks/salesforce/c1/s3cret?x=1'), {
        organizationId: '00Dxx0000001gPLEAY',
        signingSecret: 's3cret',
      }),
    ).toEqual({ ok: true });
    expect(hook.verify(request(ENVELOPE), { organizationId: '00Dxx0000001gPXEAY', signingSecret: 's3cret' })).toMatchObject({ ok: false });
    expect(hook.verify({ ...request(ENVELOPE), method: 'GET' }, { organizationId: '00Dxx0000001gPLEAY' })).toMatchObject({ ok: false });
    expect(
      hook.verify(request(ENVELOPE.replace('2005/09/outbound', '2099/01/other')), { organizationId: '00Dxx0000001gPLEAY' }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('namespace'),
    });
  });

  it('turns notifications into events, drops unsynced objects and the integration user’s echoes, and acks in SOAP', () => {
    const result = salesforceOutboundMessageWebhook.parse(request(ENVELOPE), { integrationUserId: '005xx000001Other' });
    expect(result.events).toEqual([
      {
        eventId: '04lxx00000000AAAAA',
        stream: 'leads',
        externalId: '00Qxx000001AbCdEAF',
        kind: 'updated',
        occurredAt: '2024-06-01T10:00:00.000Z',
        changeSource: '005xx000001SwiUAAS',
      },
    ]);
    expect(result.dropped).toEqual([{ eventId: '04lxx00000000AAAAB', reason: 'object Opportunity is not synced by Fieldcast' }]);
    expect(result.acknowledgement?.body).toContain('<Ack>true</Ack>');
    const echo = salesforceOutboundMessageWebhook.parse(request(ENVELOPE), { integrationUserId: '005xx000001SwiU' });
    expect(echo.events).toEqual([]);
    expect(echo.dropped[0].reason).toContain('echo');
  });
});
