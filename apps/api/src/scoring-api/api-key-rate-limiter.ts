/**
 * Per-key token bucket: a key may burst up to its per-minute limit and refills at limit/60 per
 * second, so a steady client at the limit is never refused and a burst is told exactly when the next
 * request will pass (Retry-After). In memory: each API process enforces the limit on its own traffic,
 * so behind N processes a key gets at most N × its limit (documented in the report; a shared limiter
 * would cost a database round trip per request).
 */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
  limit: number;
}

const MAX_BUCKETS = 100_000;

export class ApiKeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  take(keyId: string, limitPerMinute: number, now = Date.now()): RateDecision {
    const ratePerMs = limitPerMinute / 60_000;
    let bucket = this.buckets.get(keyId);
    if (!bucket || bucket.limit !== limitPerMinute) {
      // A changed limit starts a fresh bucket at the new size rather than carrying the old balance over.
      bucket = { tokens: limitPerMinute, updatedAt: now, limit: limitPerMinute };
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
      this.buckets.set(keyId, bucket);
    } else {
      bucket.tokens = Math.min(limitPerMinute, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
      bucket.updatedAt = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)) };
  }
}
