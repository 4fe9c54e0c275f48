import { hubSpotRateObservation } from './hubspot-rate-limit.headers';

describe('hubSpotRateObservation', () => {
  it('reports the rolling window for OAuth callers (no Daily headers)', () => {
    expect(
      hubSpotRateObservation({
        'x-hubspot-ratelimit-max': '100',
        'x-hubspot-ratelimit-remaining': '97',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
      }),
    ).toEqual({ limit: 100, remaining: 97, used: 3, windowMs: 10_000 });
  });

  it('reports the scarcer of window and daily quota for private apps', () => {
    const headers = {
      'x-hubspot-ratelimit-max': '190',
      'x-hubspot-ratelimit-remaining': '180',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '1000',
    };
    expect(hubSpotRateObservation(headers)).toEqual({ limit: 250_000, remaining: 1000, used: 249_000, windowMs: 86_400_000 });
    expect(hubSpotRateObservation({ ...headers, 'x-hubspot-ratelimit-daily-remaining': '240000' })!.windowMs).toBe(10_000);
  });

  it('says nothing when the headers are absent', () => {
    expect(hubSpotRateObservation({})).toBeUndefined();
    expect(hubSpotRateObservation(undefined)).toBeUndefined();
  });
});
