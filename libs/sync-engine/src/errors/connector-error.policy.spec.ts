import { ConnectorException } from '@fieldcast/connector-sdk';
import { decideOnError, MAX_TRANSIENT_ATTEMPTS } from './connector-error.policy';

describe('decideOnError', () => {
  it('retries transient errors with growing, jittered backoff and gives up eventually', () => {
    const e = new ConnectorException('TEMPORARY', '503 from vendor');
    const d1 = decideOnError(e, 1, () => 1);
    const d3 = decideOnError(e, 3, () => 1);
    expect(d1).toMatchObject({ action: 'retry', delayMs: 2000 });
    expect(d3).toMatchObject({ action: 'retry', delayMs: 8000 });
    expect(decideOnError(e, 3, () => 0.5)).toMatchObject({ delayMs: 4000 });
    expect(decideOnError(e, MAX_TRANSIENT_ATTEMPTS).action).toBe('fail');
  });

  it('waits as long as the vendor asked', () => {
    expect(decideOnError(new ConnectorException('RATE_LIMITED', '429', { retryAfterMs: 7000 }), 1)).toMatchObject({
      action: 'retry',
      delayMs: 7000,
    });
  });

  it('asks for re-authentication instead of hammering the vendor with bad credentials', () => {
    expect(decideOnError(new ConnectorException('AUTH_EXPIRED', 'refresh token revoked.'), 1)).toMatchObject({ action: 'needs-reauth' });
  });

  it('restarts the stream on an invalid cursor, fails on config errors, treats unknown errors as transient', () => {
    expect(decideOnError(new ConnectorException('INVALID_CURSOR', 'expired'), 1).action).toBe('restart-full');
    expect(decideOnError(new ConnectorException('CONFIG', 'bad url'), 1).action).toBe('fail');
    expect(decideOnError(new Error('socket hang up'), 1).action).toBe('retry');
  });
});
