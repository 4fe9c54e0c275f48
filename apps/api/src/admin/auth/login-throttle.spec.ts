import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('allows maxAttempts per window per IP, then says how long to wait, and forgets after the window', () => {
    const throttle = new LoginThrottle(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(throttle.hit('10.0.0.1', t0 + i)).toEqual({ allowed: true });
    expect(throttle.hit('10.0.0.1', t0 + 10_000)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(throttle.hit('10.0.0.2', t0 + 10_000)).toEqual({ allowed: true });
    expect(throttle.hit('10.0.0.1', t0 + 60_000)).toEqual({ allowed: true });
  });
});
