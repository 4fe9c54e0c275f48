/**
 * Retries a vendor call that failed transiently (429, 5xx, connection reset), waiting with full-jitter
 * backoff or the vendor's own Retry-After. SDKs retry some calls themselves (jsforce: GET only); this
 * covers the rest (writes) and gives every connector the same bounded, abortable behaviour.
 */
import { backoffDelayMs, sleep } from './backoff';

export interface RetryDecision {
  retry: boolean;
  /** The vendor's own wait, when it said. */
  retryAfterMs?: number;
}

export interface RetryOptions {
  /** Total attempts including the first (>= 1). */
  attempts: number;
  baseMs?: number;
  maxMs?: number;
  /** Classifies a failure; not retried unless it says so. */
  shouldRetry(error: unknown, attempt: number): RetryDecision;
  /** Called before each wait (logging, metrics). */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  signal?: AbortSignal;
  random?: () => number;
}

export async function retryWithBackoff<T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  if (!Number.isInteger(options.attempts) || options.attempts < 1) {
    throw new RangeError(`retryWithBackoff: attempts must be an integer >= 1, got ${options.attempts}`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const decision = attempt < options.attempts ? options.shouldRetry(error, attempt) : { retry: false };
      if (!decision.retry) throw error;
      const delayMs = backoffDelayMs(attempt - 1, {
        baseMs: options.baseMs,
        maxMs: options.maxMs,
        retryAfterMs: decision.retryAfterMs,
        random: options.random,
      });
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}
