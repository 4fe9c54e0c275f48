import { ConnectorException, type ConnectorErrorCode } from './connector-exception';
import type { ConnectorContext } from './connector.types';
import { CountingRateBudget } from './testing';
import { callVendor, resolveVendorCallPolicy, type VendorCallAuth, type VendorCallPolicy } from './vendor-call';

// Real timers throughout: the waits are kept short by the policy, not faked.
const POLICY: VendorCallPolicy = { maxAttempts: 4, retryBaseMs: 2, maxInlineWaitMs: 500 };

function context(signal?: AbortSignal) {
  const budget = new CountingRateBudget();
  const warnings: Array<{ message: string; details?: Record<string, unknown> }> = [];
  const ctx: ConnectorContext = {
    connectionId: 'conn-1',
    credentials: { kind: 'api_token', email: 'a@example.com', token: 't' },
    settings: { baseUrl: 'http://127.0.0.1:1' },
    budget,
    log: { debug: () => undefined, info: () => undefined, warn: (message, details) => warnings.push({ message, details }) },
    signal,
    onCredentialsRefreshed: async () => undefined,
  };
  return { ctx, budget, warnings };
}

/** An attempt function that fails with the given errors in turn, then answers `ok`. */
function failing(errors: unknown[]) {
  const calls: number[] = [];
  return {
    calls,
    attempt: async () => {
      calls.push(Date.now());
      const next = errors[calls.length - 1];
      if (next !== undefined) throw next;
      return 'ok';
    },
  };
}

const call = (attempt: () => Promise<string>, policy = POLICY, auth?: VendorCallAuth) => ({
  vendor: 'acme',
  endpoint: 'GET /things',
  kind: 'read' as const,
  policy,
  auth,
  attempt,
});

describe('callVendor: the shared vendor-call policy', () => {
  it('retries TEMPORARY failures with backoff, counting and budgeting every attempt, logging a line that names the vendor', async () => {
    const { ctx, budget, warnings } = context();
    const run = failing([new ConnectorException('TEMPORARY', 'acme 503'), new ConnectorException('TEMPORARY', 'acme 502')]);
    await expect(callVendor(ctx, call(run.attempt))).resolves.toBe('ok');
    expect(run.calls).toHaveLength(3);
    expect(budget.snapshot().callsByEndpoint).toEqual({ 'GET /things': 3 });
    expect(warnings.map((w) => w.message)).toEqual(['acme call failed, retrying', 'acme call failed, retrying']);
    expect(warnings[0]!.details).toMatchObject({ endpoint: 'GET /things', attempt: 1, error: 'acme 503', connectionId: 'conn-1' });
    // Full jitter below retryBaseMs * 2^(n-1): 2 ms, then 4 ms.
    expect(warnings[0]!.details!.delayMs).toBeLessThanOrEqual(2);
    expect(warnings[1]!.details!.delayMs).toBeLessThanOrEqual(4);
  });

  it("honours the vendor's Retry-After, for a rate limit and for a TEMPORARY failure, and tells the budget", async () => {
    const { ctx, budget, warnings } = context();
    const run = failing([
      new ConnectorException('RATE_LIMITED', 'acme 429', { retryAfterMs: 120 }),
      new ConnectorException('TEMPORARY', 'acme 503', { retryAfterMs: 80 }),
    ]);
    await expect(callVendor(ctx, call(run.attempt))).resolves.toBe('ok');
    expect(warnings.map((w) => w.details!.delayMs)).toEqual([120, 80]);
    expect(run.calls[1]! - run.calls[0]!).toBeGreaterThanOrEqual(115);
    expect(run.calls[2]! - run.calls[1]!).toBeGreaterThanOrEqual(75);
    // The 429's wait reaches the budget (every call of the connection waits); the 503's is this call's own.
    expect(budget.snapshot().rateLimitHits).toBe(1);
  });

  it('retries a rate limit that came without a wait with backoff, like a transient failure', async () => {
    const { ctx, warnings } = context();
    const run = failing([new ConnectorException('RATE_LIMITED', 'acme: too many concurrent requests')]);
    await expect(callVendor(ctx, call(run.attempt))).resolves.toBe('ok');
    expect(run.calls).toHaveLength(2);
    expect(warnings[0]!.details!.delayMs).toBeLessThanOrEqual(POLICY.retryBaseMs);
  });

  it('gives a wait longer than maxInlineWaitMs back to the engine as RATE_LIMITED, at once and untouched', async () => {
    const { ctx, budget } = context();
    const daily = new ConnectorException('RATE_LIMITED', 'acme daily quota', { retryAfterMs: 3_600_000 });
    const run = failing([daily]);
    const started = Date.now();
    await expect(callVendor(ctx, call(run.attempt))).rejects.toBe(daily);
    expect(Date.now() - started).toBeLessThan(200);
    expect(run.calls).toHaveLength(1);
    expect(budget.snapshot().rateLimitHits).toBe(1);
    // Just above the limit goes back too; a TEMPORARY with a long wait (maintenance) likewise.
    const over = failing([new ConnectorException('RATE_LIMITED', 'x', { retryAfterMs: POLICY.maxInlineWaitMs + 1 })]);
    await expect(callVendor(ctx, call(over.attempt))).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 501 });
    const maintenance = failing([new ConnectorException('TEMPORARY', 'down for maintenance', { retryAfterMs: 600_000 })]);
    await expect(callVendor(ctx, call(maintenance.attempt))).rejects.toMatchObject({ code: 'TEMPORARY', retryAfterMs: 600_000 });
    expect(over.calls).toHaveLength(1);
    expect(maintenance.calls).toHaveLength(1);
  });

  it.each<ConnectorErrorCode>(['AUTH_EXPIRED', 'PERMISSION', 'VALIDATION', 'CONFIG', 'NOT_FOUND', 'INVALID_CURSOR', 'UNKNOWN'])(
    'never retries %s',
    async (code) => {
      const { ctx, warnings } = context();
      const error = new ConnectorException(code, `acme said ${code}`, { httpStatus: 400 });
      const run = failing([error]);
      await expect(callVendor(ctx, call(run.attempt))).rejects.toBe(error);
      expect(run.calls).toHaveLength(1);
      expect(warnings).toEqual([]);
    },
  );

  it('never retries what is not a ConnectorException (a bug, not the vendor)', async () => {
    const { ctx } = context();
    const run = failing([new TypeError('cannot read properties of undefined')]);
    await expect(callVendor(ctx, call(run.attempt))).rejects.toThrow(TypeError);
    expect(run.calls).toHaveLength(1);
  });

  it('stops at maxAttempts and throws the last failure', async () => {
    const { ctx } = context();
    const errors = Array.from({ length: 10 }, (_, i) => new ConnectorException('TEMPORARY', `503 #${i + 1}`));
    const run = failing(errors);
    await expect(callVendor(ctx, call(run.attempt, { ...POLICY, maxAttempts: 3 }))).rejects.toBe(errors[2]);
    expect(run.calls).toHaveLength(3);
    const once = failing(errors);
    await expect(callVendor(ctx, call(once.attempt, { ...POLICY, maxAttempts: 1 }))).rejects.toBe(errors[0]);
    expect(once.calls).toHaveLength(1);
  });

  it('stops waiting and stops calling when the run is aborted', async () => {
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const run = failing([new ConnectorException('RATE_LIMITED', 'acme 429', { retryAfterMs: 400 })]);
    const started = Date.now();
    const pending = callVendor(ctx, call(run.attempt));
    setTimeout(() => controller.abort(new Error('run cancelled')), 30);
    await expect(pending).rejects.toThrow('run cancelled');
    expect(Date.now() - started).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(run.calls).toHaveLength(1);
  });

  it('after a 401 gets one fresh token and makes the same call again, once', async () => {
    const { ctx, warnings } = context();
    let token = 'old';
    const recovered: string[] = [];
    const auth: VendorCallAuth = {
      beforeAttempt: async () => token,
      recover: async (used) => {
        recovered.push(used);
        token = 'new';
        return true;
      },
    };
    const used: string[] = [];
    const rejected = () => new ConnectorException('AUTH_EXPIRED', 'acme 401', { httpStatus: 401 });
    const attempt = async () => {
      used.push(token);
      if (token === 'old') throw rejected();
      return 'ok';
    };
    await expect(callVendor(ctx, call(attempt, POLICY, auth))).resolves.toBe('ok');
    expect(used).toEqual(['old', 'new']);
    expect(recovered).toEqual(['old']);
    expect(warnings[0]!.details!.error).toContain('retrying with a refreshed token');

    // A token that is still refused after the refresh is the vendor's final word: AUTH_EXPIRED, no loop.
    const refused = failing(Array.from({ length: 10 }, rejected));
    await expect(callVendor(ctx, call(refused.attempt, POLICY, auth))).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    expect(refused.calls).toHaveLength(2);
    // Without a way to refresh, the 401 goes straight to the engine.
    const noRefresh: VendorCallAuth = { beforeAttempt: async () => 't', recover: async () => false };
    const final = failing(Array.from({ length: 10 }, rejected));
    await expect(callVendor(ctx, call(final.attempt, POLICY, noRefresh))).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    expect(final.calls).toHaveLength(1);
  });
});

describe('resolveVendorCallPolicy', () => {
  const defaults: VendorCallPolicy = { maxAttempts: 4, retryBaseMs: 1000, maxInlineWaitMs: 60_000 };

  it('puts what was given over the defaults', () => {
    expect(resolveVendorCallPolicy('Acme', {}, defaults)).toEqual(defaults);
    expect(resolveVendorCallPolicy('Acme', { retryBaseMs: 10, maxInlineWaitMs: 0 }, defaults)).toEqual({
      maxAttempts: 4,
      retryBaseMs: 10,
      maxInlineWaitMs: 0,
    });
  });

  it('names every bad option in one CONFIG error', () => {
    expect(() => resolveVendorCallPolicy('Acme', { maxAttempts: 0, retryBaseMs: -1, maxInlineWaitMs: Number.NaN }, defaults)).toThrow(
      'Acme retry options are invalid: maxAttempts: expected a whole number >= 1, got 0; retryBaseMs: expected milliseconds >= 0, got -1; maxInlineWaitMs: expected milliseconds >= 0, got null',
    );
    try {
      resolveVendorCallPolicy('Acme', { maxAttempts: 2.5 }, defaults);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG' });
    }
    expect.assertions(2);
  });
});
