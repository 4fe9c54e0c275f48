import { ConnectorException } from '@fieldcast/connector-sdk';
import { parseZendeskError, parseZendeskJobResult, parseZendeskResolvedFailure } from './zendesk-error.parser';

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
