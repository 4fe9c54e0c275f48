import { ConnectorException } from './connector-exception';
import type { ConnectionCredentials, ConnectorContext } from './connector.types';
import { OAuthTokenKeeper, type OAuthCredentials, type OAuthTokenGrant } from './oauth-token-keeper';
import { CountingRateBudget } from './testing';

const BASE: OAuthCredentials = { kind: 'oauth2', accessToken: 'a1', refreshToken: 'r1', clientId: 'cid', clientSecret: 'secret' };

/** A token endpoint that rotates both tokens on every refresh, as Zendesk does, and refuses an old refresh token. */
function rotatingVendor(options: { latencyMs?: number; expiresInSeconds?: number } = {}) {
  let valid = 'r1';
  let n = 1;
  const requests: string[] = [];
  const exchange = async (current: OAuthCredentials): Promise<OAuthTokenGrant> => {
    requests.push(current.refreshToken!);
    await new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 5));
    if (current.refreshToken !== valid) throw new ConnectorException('AUTH_EXPIRED', 'invalid_grant: the refresh token was revoked');
    n += 1;
    valid = `r${n}`;
    return { accessToken: `a${n}`, refreshToken: valid, expiresInSeconds: options.expiresInSeconds };
  };
  return { exchange, requests };
}

function context(persisted: ConnectionCredentials[], order: string[]) {
  const budget = new CountingRateBudget();
  const ctx: ConnectorContext = {
    connectionId: 'conn-1',
    credentials: BASE,
    settings: { baseUrl: 'http://127.0.0.1:1' },
    budget,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined },
    onCredentialsRefreshed: async (next) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      persisted.push(next);
      order.push(`persisted ${(next as OAuthCredentials).accessToken}`);
    },
  };
  return { ctx, budget };
}

describe('OAuthTokenKeeper', () => {
  it('refreshes ahead of expiry once for many parallel calls, persists before use, and keeps the rotated refresh token', async () => {
    const persisted: ConnectionCredentials[] = [];
    const order: string[] = [];
    const { ctx, budget } = context(persisted, order);
    const vendor = rotatingVendor({ expiresInSeconds: 3600 });
    const keeper = new OAuthTokenKeeper(
      ctx,
      { ...BASE, expiresAt: Date.now() + 1000 },
      {
        vendor: 'Acme',
        tokenEndpoint: 'POST /oauth/tokens',
        refreshMarginMs: 60_000,
        retryBaseMs: 1,
        exchange: vendor.exchange,
        onRefreshed: (next) => order.push(`using ${next.accessToken}`),
      },
    );
    const tokens = await Promise.all(Array.from({ length: 8 }, () => keeper.beforeAttempt()));
    expect(tokens).toEqual(Array(8).fill('a2'));
    expect(vendor.requests).toEqual(['r1']);
    expect(order).toEqual(['persisted a2', 'using a2']);
    expect(persisted).toEqual([{ ...BASE, accessToken: 'a2', refreshToken: 'r2', expiresAt: expect.any(Number) }]);
    expect((persisted[0] as OAuthCredentials).expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(budget.snapshot().callsByEndpoint).toEqual({ 'POST /oauth/tokens': 1 });
    // Fresh now: no further refresh.
    await keeper.beforeAttempt();
    expect(vendor.requests).toHaveLength(1);
  });

  it('uses a token without a known lifetime until the vendor rejects it; a 401 wave causes one refresh, late 401s reuse it', async () => {
    const persisted: ConnectionCredentials[] = [];
    const { ctx } = context(persisted, []);
    const vendor = rotatingVendor();
    const keeper = new OAuthTokenKeeper(ctx, BASE, {
      vendor: 'Acme',
      tokenEndpoint: 'POST /oauth/tokens',
      refreshMarginMs: 60_000,
      retryBaseMs: 1,
      exchange: vendor.exchange,
    });
    expect(await keeper.beforeAttempt()).toBe('a1');
    expect(vendor.requests).toEqual([]);
    // Five calls that all used a1 get their 401 while the refresh is under way, one after it finished.
    expect(await Promise.all(Array.from({ length: 5 }, () => keeper.recover('a1')))).toEqual(Array(5).fill(true));
    expect(await keeper.recover('a1')).toBe(true);
    expect(vendor.requests).toEqual(['r1']);
    expect(keeper.credentials).toMatchObject({ accessToken: 'a2', refreshToken: 'r2', expiresAt: undefined });
    // A 401 for the token now in use is news: refresh again (with the rotated refresh token).
    await keeper.recover('a2');
    expect(vendor.requests).toEqual(['r1', 'r2']);
    expect(persisted).toHaveLength(2);
  });

  it('retries a token request that failed transiently; a refused refresh token surfaces as AUTH_EXPIRED and nothing is stored', async () => {
    const persisted: ConnectionCredentials[] = [];
    const { ctx } = context(persisted, []);
    let failures = 2;
    const flaky = new OAuthTokenKeeper(ctx, BASE, {
      vendor: 'Acme',
      tokenEndpoint: 'POST /oauth/tokens',
      refreshMarginMs: 0,
      retryBaseMs: 1,
      exchange: async () => {
        if (failures-- > 0) throw new ConnectorException('TEMPORARY', 'token endpoint 503');
        return { accessToken: 'a2' };
      },
    });
    await flaky.recover('a1');
    expect(flaky.accessToken).toBe('a2');
    expect(flaky.credentials.refreshToken).toBe('r1');

    const revoked = new OAuthTokenKeeper(
      ctx,
      { ...BASE, refreshToken: 'r-revoked' },
      {
        vendor: 'Acme',
        tokenEndpoint: 'POST /oauth/tokens',
        refreshMarginMs: 0,
        retryBaseMs: 1,
        exchange: rotatingVendor().exchange,
      },
    );
    await expect(revoked.recover('a1')).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    expect(revoked.accessToken).toBe('a1');
    expect(persisted).toHaveLength(1);
  });

  it("across processes, with the engine's exclusive refresh: one exchange from the stored credentials, the other process adopts its token", async () => {
    // What the engine provides: one lock per connection across processes, the stored credentials inside it.
    let stored: ConnectionCredentials = BASE;
    let lock = Promise.resolve();
    let writes = 0;
    const vendor = rotatingVendor({ latencyMs: 20, expiresInSeconds: 3600 });
    const startWorker = () => {
      const { ctx } = context([], []);
      ctx.onCredentialsRefreshed = async () => {
        throw new Error('an exclusive refresh is stored by the engine, not through onCredentialsRefreshed');
      };
      ctx.refreshCredentialsExclusively = (refresh) => {
        const run = lock.then(async () => {
          const next = await refresh(stored);
          if (next !== stored) {
            stored = next;
            writes += 1;
          }
          return next;
        });
        lock = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      };
      return new OAuthTokenKeeper(ctx, BASE, {
        vendor: 'Acme',
        tokenEndpoint: 'POST /oauth/tokens',
        refreshMarginMs: 60_000,
        retryBaseMs: 1,
        exchange: vendor.exchange,
      });
    };
    const worker1 = startWorker();
    const worker2 = startWorker();
    // Both built their context from a1/r1; both see a1 rejected at the same time.
    await Promise.all([worker1.recover('a1'), worker2.recover('a1')]);
    expect(vendor.requests).toEqual(['r1']);
    expect(writes).toBe(1);
    expect(worker1.accessToken).toBe('a2');
    expect(worker2.accessToken).toBe('a2');
    expect(stored).toMatchObject({ accessToken: 'a2', refreshToken: 'r2' });
    // Later, a rejection of the shared token: one of them refreshes from the stored (rotated) refresh token.
    await worker2.recover('a2');
    await worker1.recover('a2');
    expect(vendor.requests).toEqual(['r1', 'r2']);
    expect(worker1.accessToken).toBe('a3');
    expect(worker2.accessToken).toBe('a3');
  });

  it('has nothing to refresh with when there is no refresh token', async () => {
    const { ctx } = context([], []);
    const keeper = new OAuthTokenKeeper(
      ctx,
      { ...BASE, refreshToken: undefined, expiresAt: Date.now() - 1 },
      { vendor: 'Acme', tokenEndpoint: 'POST /oauth/tokens', refreshMarginMs: 0, retryBaseMs: 1, exchange: rotatingVendor().exchange },
    );
    // An expired token without a refresh token is tried as it is (the vendor decides), and a 401 is final.
    expect(await keeper.beforeAttempt()).toBe('a1');
    expect(await keeper.recover('a1')).toBe(false);
  });
});
