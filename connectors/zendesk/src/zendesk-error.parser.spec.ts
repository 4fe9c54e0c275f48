import { ConnectorException } from '@fieldcast/connector-sdk';
import { parseZendeskError, parseZendeskJobResult, parseZendeskResolvedFailure, parseZendeskTokenError } from './zendesk-error.parser';

/** What node-zendesk 6 throws with throwOriginalException: Error + statusCode + parsed body. */
function thrown(statusCode: number, result: unknown): Error {
  return Object.assign(new Error(`Zendesk Error (${statusCode})`), { statusCode, result });
}

describe('parseZendeskError', () => {
  it.each([
    [401, { error: "Couldn't authenticate you" }, 'AUTH_EXPIRED', "Couldn't authenticate you"],
    [403, { error: { title: 'Forbidden', message: 'no access' } }, 'PERMISSION', 'Forbidden'],
    [404, { error: 'RecordNotFound', description: 'Not found' }, 'NOT_FOUND', 'RecordNotFound'],
    [422, { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [] } }, 'VALIDATION', 'RecordInvalid'],
    [400, { error: 'InvalidPaginationParameter', description: 'cursor is invalid' }, 'INVALID_CURSOR', 'InvalidPaginationParameter'],
    [400, { errors: [{ code: 'InvalidValue', title: 'Invalid value', detail: 'bad endpoint' }] }, 'VALIDATION', 'InvalidValue'],
    [503, {}, 'TEMPORARY', undefined],
    [409, {}, 'TEMPORARY', undefined],
  ])('codes HTTP %s as %s', (status, body, code, vendorCode) => {
    const e = parseZendeskError(thrown(status, body), 'GET /api/v2/x');
    expect(e).toBeInstanceOf(ConnectorException);
    expect(e).toMatchObject({ code, httpStatus: status, vendorCode });
  });

  it('codes transport failures as TEMPORARY and anything else as UNKNOWN', () => {
    expect(parseZendeskError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'GET x').code).toBe(
      'TEMPORARY',
    );
    expect(parseZendeskError(new TypeError('fetch failed'), 'GET x').code).toBe('TEMPORARY');
    expect(parseZendeskError(new Error('weird'), 'GET x').code).toBe('UNKNOWN');
  });
});

describe('parseZendeskResolvedFailure', () => {
  it('turns a resolved 429 into RATE_LIMITED with the Retry-After wait, and a resolved 502 into TEMPORARY', () => {
    expect(parseZendeskResolvedFailure(429, '7', 'GET x')).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7000, httpStatus: 429 });
    expect(parseZendeskResolvedFailure(503, '30', 'GET x')).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 30_000 });
    expect(parseZendeskResolvedFailure(502, null, 'GET x')).toMatchObject({ code: 'TEMPORARY', httpStatus: 502 });
  });
});

describe('parseZendeskTokenError', () => {
  it('makes a refused refresh token or OAuth client a re-auth (AUTH_EXPIRED), and keeps transient failures transient', () => {
    const revoked = parseZendeskTokenError(
      400,
      { error: 'invalid_grant', error_description: 'The refresh token is invalid or was revoked.' },
      null,
    );
    expect(revoked).toMatchObject({ code: 'AUTH_EXPIRED', vendorCode: 'invalid_grant', httpStatus: 400 });
    expect(revoked.message).toContain('reconnect Zendesk');
    expect(revoked.message).toContain('The refresh token is invalid or was revoked.');
    expect(parseZendeskTokenError(401, { error: 'invalid_client', error_description: 'Client authentication failed' }, null)).toMatchObject(
      {
        code: 'AUTH_EXPIRED',
        vendorCode: 'invalid_client',
      },
    );
    expect(parseZendeskTokenError(400, { error: 'unsupported_grant_type' }, null)).toMatchObject({ code: 'CONFIG' });
    expect(parseZendeskTokenError(503, {}, null)).toMatchObject({ code: 'TEMPORARY', httpStatus: 503 });
    expect(parseZendeskTokenError(429, undefined, '5')).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 5000 });
  });
});

describe('parseZendeskJobResult', () => {
  it('maps update_many per-ticket results to coded write errors', () => {
    expect(parseZendeskJobResult({ id: 1, action: 'update', status: 'Updated', success: true })).toBeUndefined();
    expect(parseZendeskJobResult({ id: 2, success: false, error: 'TicketNotFound', details: 'Ticket 2 not found' })).toEqual({
      code: 'NOT_FOUND',
      vendorCode: 'TicketNotFound',
      message: 'Ticket 2 not found',
      retryable: false,
    });
    expect(
      parseZendeskJobResult({ id: 3, success: false, error: 'RecordInvalid', details: 'Status: closed prevents ticket update' }),
    ).toMatchObject({
      code: 'VALIDATION',
      retryable: false,
    });
    expect(
      parseZendeskJobResult({ id: 4, success: false, error: 'RecordInvalid', details: 'Custom field 9 does not exist on this account' }),
    ).toMatchObject({
      code: 'CONFIG',
    });
    expect(parseZendeskJobResult({ id: 5, success: false, error: 'Whatever' })).toMatchObject({ code: 'UNKNOWN', retryable: true });
  });
});
