import { redactSalesforceSessionId } from './webhook-providers';

describe('redactSalesforceSessionId', () => {
  it('blanks the session id of an outbound message, with or without a namespace prefix, and nothing else', () => {
    const body = `<notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D5g000004XyZaEAK</OrganizationId>
<SessionId>00D5g000004XyZa!AQ4AQLive.Session-Token_123</SessionId><Notification><Id>04l1</Id></Notification></notifications>`;
    const out = redactSalesforceSessionId(Buffer.from(body)).toString();
    expect(out).not.toContain('AQ4AQLive');
    expect(out).toContain('<SessionId>[redacted]</SessionId>');
    expect(out).toContain('<OrganizationId>00D5g000004XyZaEAK</OrganizationId>\n<SessionId>');
    const prefixed = redactSalesforceSessionId(Buffer.from('<o:SessionId xmlns:o="x">secret!token</o:SessionId >')).toString();
    expect(prefixed).toBe('<o:SessionId xmlns:o="x">[redacted]</o:SessionId>');
  });

  it('returns the very same buffer when there is nothing to redact (nil session id, other bodies)', () => {
    const nil = Buffer.from('<SessionId xsi:nil="true"/><OrganizationId>00D</OrganizationId>');
    expect(redactSalesforceSessionId(nil)).toBe(nil);
    const json = Buffer.from('[{"eventId":1}]');
    expect(redactSalesforceSessionId(json)).toBe(json);
  });
});
