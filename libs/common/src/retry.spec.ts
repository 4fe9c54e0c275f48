import { retryWithBackoff } from './retry';

describe('retryWithBackoff', () => {
  it('retries transient failures until success, waiting per backoff or Retry-After', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('503'), { transient: true });
        return 'ok';
      },
      {
        attempts: 5,
        baseMs: 10,
        random: () => 1,
        shouldRetry: (_e, attempt) => ({ retry: true, retryAfterMs: attempt === 2 ? 5 : undefined }),
        onRetry: (_e, _a, d) => delays.push(d),
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([10, 5]);
  });

  it('stops at the attempt limit and on failures it must not retry, rethrowing the last error', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(async () => Promise.reject(new Error(`fail ${++calls}`)), {
        attempts: 3,
        baseMs: 1,
        shouldRetry: () => ({ retry: true }),
      }),
    ).rejects.toThrow('fail 3');
    calls = 0;
    await expect(
      retryWithBackoff(async () => Promise.reject(new Error(`fail ${++calls}`)), { attempts: 3, shouldRetry: () => ({ retry: false }) }),
    ).rejects.toThrow('fail 1');
    await expect(retryWithBackoff(async () => 1, { attempts: 0, shouldRetry: () => ({ retry: false }) })).rejects.toThrow(
      'attempts must be an integer >= 1',
    );
  });
});
