/**
 * Fault injection for a sandbox (POST /__sandbox/faults): latency, random 429 / 5xx rates and outage
 * windows. Token expiry is vendor-specific and lives with each vendor's token store.
 * Randomness is seeded so a test that sets a rate sees the same sequence every run.
 */
export interface FaultSettings {
  /** Added to every vendor call. */
  latencyMs: number;
  /** Share of vendor calls answered 429, 0..1. */
  rateLimitRate: number;
  /** Retry-After the injected 429s carry. */
  retryAfterSeconds: number;
  /** Share of vendor calls answered with a server error, 0..1. */
  serverErrorRate: number;
  serverErrorStatus: number;
  /** Every vendor call fails (503) until this epoch-ms time. */
  outageUntil: number;
  /** Fail the next N vendor calls with 429 (deterministic storms for tests). */
  rateLimitNext: number;
  /** Fail the next N vendor calls with a server error. */
  serverErrorNext: number;
  /** Seed for the random rates. */
  seed: number;
}

const DEFAULTS: FaultSettings = {
  latencyMs: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  serverErrorRate: 0,
  serverErrorStatus: 503,
  outageUntil: 0,
  rateLimitNext: 0,
  serverErrorNext: 0,
  seed: 1,
};

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'outage'; latencyMs: number }
  | { kind: 'rate-limit'; latencyMs: number; retryAfterSeconds: number }
  | { kind: 'server-error'; latencyMs: number; status: number };

export class SandboxFaults {
  private settings: FaultSettings = { ...DEFAULTS };
  private randomState = DEFAULTS.seed;

  /** Applies a partial update; returns the problems (nothing is changed when there are any). */
  configure(update: Partial<FaultSettings> & { outageSeconds?: number }): string[] {
    const problems: string[] = [];
    const next = { ...this.settings };
    for (const [key, value] of Object.entries(update)) {
      if (key === 'outageSeconds') {
        if (typeof value !== 'number' || value < 0) problems.push('outageSeconds: expected a number >= 0');
        else next.outageUntil = value === 0 ? 0 : Date.now() + value * 1000;
        continue;
      }
      if (!(key in DEFAULTS)) {
        problems.push(`${key}: unknown setting (known: ${Object.keys(DEFAULTS).join(', ')}, outageSeconds)`);
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        problems.push(`${key}: expected a number >= 0, got ${JSON.stringify(value)}`);
        continue;
      }
      if ((key === 'rateLimitRate' || key === 'serverErrorRate') && value > 1) {
        problems.push(`${key}: expected a share between 0 and 1, got ${value}`);
        continue;
      }
      (next as Record<string, number>)[key] = value;
    }
    if (problems.length) return problems;
    this.settings = next;
    if (update.seed !== undefined) this.randomState = update.seed;
    return [];
  }

  reset(): void {
    this.settings = { ...DEFAULTS };
    this.randomState = DEFAULTS.seed;
  }

  decide(): FaultDecision {
    const s = this.settings;
    const latencyMs = s.latencyMs;
    if (s.outageUntil > Date.now()) return { kind: 'outage', latencyMs };
    if (s.rateLimitNext > 0) {
      s.rateLimitNext -= 1;
      return { kind: 'rate-limit', latencyMs, retryAfterSeconds: s.retryAfterSeconds };
    }
    if (s.serverErrorNext > 0) {
      s.serverErrorNext -= 1;
      return { kind: 'server-error', latencyMs, status: s.serverErrorStatus };
    }
    if (s.rateLimitRate > 0 && this.random() < s.rateLimitRate)
      return { kind: 'rate-limit', latencyMs, retryAfterSeconds: s.retryAfterSeconds };
    if (s.serverErrorRate > 0 && this.random() < s.serverErrorRate) return { kind: 'server-error', latencyMs, status: s.serverErrorStatus };
    return { kind: 'none', latencyMs };
  }

  toJSON(): FaultSettings & { outageActive: boolean } {
    return { ...this.settings, outageActive: this.settings.outageUntil > Date.now() };
  }

  /** mulberry32: small, fast, seedable. */
  private random(): number {
    let t = (this.randomState += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
