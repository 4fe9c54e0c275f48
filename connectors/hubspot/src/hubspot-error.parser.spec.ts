import { ConnectorException } from '@fieldcast/connector-sdk';
import { parseHubSpotError } from './hubspot-error.parser';

// Shapes as @hubspot/api-client 14 throws them: ApiException {code, body, headers}.
const apiException = (code: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });

describe('parseHubSpotError', () => {
  it('maps HubSpot categories and statuses to connector codes', () => {
    expect(
      parseHubSpotError(apiException(401, { status: 'error', category: 'EXPIRED_AUTHENTICATION', message: 'expired' }), 'GET /x').code,
    ).toBe('AUTH_EXPIRED');
    expect(parseHubSpotError(apiException(403, { status: 'error', category: 'MISSING_SCOPES', message: 'no' }), 'GET /x').code).toBe(
      'PERMISSION',
    );
    expect(parseHubSpotError(apiException(404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'no' }), 'GET /x').code).toBe(
      'NOT_FOUND',
    );
    expect(
      parseHubSpotError(apiException(400, { status: 'error', category: 'VALIDATION_ERROR', message: 'bad' }), 'POST /x'),
    ).toMatchObject({ code: 'VALIDATION', vendorCode: 'VALIDATION_ERROR', httpStatus: 400 });
    expect(parseHubSpotError(apiException(502, { status: 'error', message: 'internal error' }), 'GET /x').code).toBe('TEMPORARY');
    expect(parseHubSpotError(apiException(418, {}), 'GET /x').code).toBe('UNKNOWN');
  });

  it('turns refused OAuth refreshes into AUTH_EXPIRED with a fix', () => {
    const e = parseHubSpotError(
      apiException(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' }),
      'POST /oauth/v1/token',
    );
    expect(e).toMatchObject({ code: 'AUTH_EXPIRED', vendorCode: 'BAD_REFRESH_TOKEN' });
    expect(e.message).toContain('reconnect');
  });

  it('reads the wait of a 429 from Retry-After, else from the policy', () => {
    const tenSecondly = {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    };
    expect(parseHubSpotError(apiException(429, tenSecondly, { 'retry-after': '3' }), 'GET /x')).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 3000,
      vendorCode: 'TEN_SECONDLY_ROLLING',
    });
    expect(
      parseHubSpotError(apiException(429, tenSecondly, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' }), 'GET /x').retryAfterMs,
    ).toBe(10_000);
    expect(
      parseHubSpotError(apiException(429, { status: 'error', message: 'You have reached your secondly limit.' }), 'POST /search')
        .retryAfterMs,
    ).toBe(1000);
    const daily = parseHubSpotError(
      apiException(429, { status: 'error', message: 'You have reached your daily limit.', policyName: 'DAILY' }),
      'GET /x',
    );
    expect(daily.retryAfterMs).toBeGreaterThan(0);
    expect(daily.retryAfterMs).toBeLessThanOrEqual(86_400_000);
  });

  it('treats network failures as TEMPORARY and passes ConnectorExceptions through', () => {
    expect(parseHubSpotError(new TypeError('fetch failed'), 'GET /x').code).toBe('TEMPORARY');
    const own = new ConnectorException('CONFIG', 'mine');
    expect(parseHubSpotError(own, 'GET /x')).toBe(own);
    expect(parseHubSpotError(new Error('weird'), 'GET /x').code).toBe('UNKNOWN');
  });
});
