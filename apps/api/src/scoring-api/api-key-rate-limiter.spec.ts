import { ApiKeyRateLimiter } from './api-key-rate-limiter';

describe('ApiKeyRateLimiter', () => {
  it('allows a burst up to the per-minute limit, then says when the next request passes', () => {
    const limiter = new ApiKeyRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('k', 3, t0)).toMatchObject({ allowed: true });
    // 3 per minute refills one token every 20 s.
    expect(limiter.take('k', 3, t0)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(limiter.take('k', 3, t0 + 10_000)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('k', 3, t0 + 20_000)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('keeps keys apart and never asks to wait less than a second', () => {
    const limiter = new ApiKeyRateLimiter();
    expect(limiter.take('a', 6000, 0)).toMatchObject({ allowed: true, remaining: 5999 });
    for (let i = 0; i < 5999; i++) limiter.take('a', 6000, 0);
    expect(limiter.take('a', 6000, 0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', 1, 0)).toMatchObject({ allowed: true });
  });
});
