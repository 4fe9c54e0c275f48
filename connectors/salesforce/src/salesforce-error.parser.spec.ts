import { ConnectorException } from '@fieldcast/connector-sdk';
import { parseSalesforceError, parseSalesforceSaveErrors } from './salesforce-error.parser';

/** What jsforce's HttpApiError looks like: name and errorCode are the vendor code. */
function httpApiError(errorCode: string, message: string): Error {
  return Object.assign(new Error(message), { name: errorCode, errorCode });
}

describe('parseSalesforceError', () => {
  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 'RATE_LIMITED', 3_600_000],
    // No wait is known for the concurrency limit (Salesforce sends none): backoff, not a made-up 30 s.
    ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', 'RATE_LIMITED', undefined],
    ['ERROR_HTTP_429', 'Too Many Requests', 'RATE_LIMITED', undefined],
    ['INVALID_SESSION_ID', 'Session expired or invalid', 'AUTH_EXPIRED', undefined],
    ['SERVER_UNAVAILABLE', 'Service Unavailable', 'TEMPORARY', undefined],
    ['ERROR_HTTP_502', 'Bad gateway', 'TEMPORARY', undefined],
    ['INVALID_QUERY_LOCATOR', 'invalid query locator', 'INVALID_CURSOR', undefined],
    ['INVALID_FIELD', "No such column 'X__c' on entity 'Lead'", 'CONFIG', undefined],
    ['INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', 'PERMISSION', undefined],
    ['NOT_FOUND', 'The requested resource does not exist', 'NOT_FOUND', undefined],
    ['SOMETHING_NEW', 'who knows', 'UNKNOWN', undefined],
  ])('maps %s (%s) to %s', (vendorCode, message, code, retryAfterMs) => {
    const parsed = parseSalesforceError(httpApiError(vendorCode, message), 'GET query');
    expect(parsed).toBeInstanceOf(ConnectorException);
    expect(parsed).toMatchObject({ code, vendorCode, retryAfterMs });
    expect(parsed.message).toContain('Salesforce GET query');
  });

  it('treats a failed refresh as AUTH_EXPIRED, network failures as TEMPORARY, and passes ConnectorExceptions through', () => {
    expect(parseSalesforceError(new Error('Unable to refresh session due to: expired access/refresh token'), 'x').code).toBe(
      'AUTH_EXPIRED',
    );
    expect(parseSalesforceError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'x').code).toBe(
      'TEMPORARY',
    );
    const own = new ConnectorException('CONFIG', 'bad');
    expect(parseSalesforceError(own, 'x')).toBe(own);
    expect(parseSalesforceError('weird', 'x').code).toBe('UNKNOWN');
    // jsforce's OAuth2 errors carry the OAuth `error` as their name.
    const oauth = (name: string, message: string) => Object.assign(new Error(message), { name });
    expect(parseSalesforceError(oauth('invalid_grant', 'invalid authorization code'), 'x')).toMatchObject({
      code: 'AUTH_EXPIRED',
      vendorCode: 'invalid_grant',
    });
    expect(parseSalesforceError(oauth('invalid_client', 'invalid client credentials'), 'x')).toMatchObject({
      code: 'CONFIG',
      vendorCode: 'invalid_client',
    });
  });
});

describe('parseSalesforceSaveErrors', () => {
  it('reads statusCode (the wire) or errorCode (jsforce’s type) and says which fields', () => {
    expect(
      parseSalesforceSaveErrors([
        { statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: 'Unable to create/update fields: A__c.', fields: ['A__c'] },
      ]),
    ).toEqual({
      code: 'PERMISSION',
      vendorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: 'Unable to create/update fields: A__c. (fields: A__c)',
      retryable: false,
    });
    expect(parseSalesforceSaveErrors([{ errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }])).toMatchObject({
      code: 'TEMPORARY',
      retryable: true,
    });
    expect(
      parseSalesforceSaveErrors([
        { statusCode: 'STRING_TOO_LONG', message: 'too long' },
        { statusCode: 'X', message: 'y' },
      ]),
    ).toMatchObject({
      code: 'VALIDATION',
      message: 'too long (+1 more)',
      retryable: false,
    });
    expect(parseSalesforceSaveErrors([])).toMatchObject({ code: 'UNKNOWN', retryable: true });
  });
});
