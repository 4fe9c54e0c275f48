/**
 * Per-IP throttling of sign-in attempts (the per-account lockout lives in admin_user). A fixed
 * window in memory: one API process serves the admin UI, and a restart only forgives a few minutes.
 */
export class LoginThrottle {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly maxAttempts = 20,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Counts an attempt; returns the seconds to wait when the IP is over its limit. */
  hit(ip: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    let window = this.windows.get(ip);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(ip, window);
    }
    window.count++;
    if (this.windows.size > 10_000) this.prune(now);
    if (window.count > this.maxAttempts)
      return { allowed: false, retryAfterSeconds: Math.ceil((window.start + this.windowMs - now) / 1000) };
    return { allowed: true };
  }

  private prune(now: number): void {
    for (const [ip, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(ip);
  }
}
