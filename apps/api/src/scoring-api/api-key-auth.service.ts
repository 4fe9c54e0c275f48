/**
 * Authenticates a scoring API call: `Authorization: Bearer fck_…` → SHA-256 → one indexed lookup
 * (no cache, so a revocation takes effect on the next request), scope check against the task, the
 * key's rate limit, and a batched last-used mark.
 */
import { HttpException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_KEY_PREFIX, hashApiKey } from '@fieldcast/common';
import type { ScoringTask } from '@fieldcast/scoring';
import { problem } from '../problem/problem-details';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { ApiKeyUsageTracker } from './api-key-usage.tracker';

export interface AuthenticatedKey {
  id: string;
  scopes: string[];
  rateLimitPerMinute: number;
  /** Tokens left in the key's bucket after this request. */
  remaining: number;
}

interface KeyRow {
  id: string;
  scopes: string[];
  rate_limit_per_minute: number;
  revoked_at: Date | null;
}

// A key is `fck_` + 43 base64url characters; anything far from that shape is not worth a query.
const KEY_SHAPE = /^fck_[A-Za-z0-9_-]{20,200}$/;

function unauthorized(detail: string): HttpException {
  return new HttpException(problem(401, detail), 401);
}

@Injectable()
export class ApiKeyAuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limiter: ApiKeyRateLimiter,
    private readonly usage: ApiKeyUsageTracker,
  ) {}

  async authorize(authorization: string | undefined, task: ScoringTask): Promise<AuthenticatedKey> {
    if (!authorization)
      throw unauthorized(`Send the API key as "Authorization: Bearer ${API_KEY_PREFIX}…". Create one with: npx fieldcast api-keys create`);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized('The Authorization header must be "Bearer <api key>".');
    const key = match[1]!;
    if (!KEY_SHAPE.test(key)) throw unauthorized('The API key is not valid.');
    const rows = (await this.dataSource.query('SELECT id, scopes, rate_limit_per_minute, revoked_at FROM api_key WHERE key_hash = $1', [
      hashApiKey(key),
    ])) as KeyRow[];
    const row = rows[0];
    if (!row) throw unauthorized('The API key is not valid.');
    if (row.revoked_at) throw unauthorized('The API key has been revoked. Ask an administrator for a new one.');
    if (!row.scopes.includes(task)) {
      throw new HttpException(
        problem(403, `This API key may not call ${task}; its scopes are: ${row.scopes.join(', ') || '(none)'}.`, { requiredScope: task }),
        403,
      );
    }
    const decision = this.limiter.take(row.id, row.rate_limit_per_minute);
    if (!decision.allowed) {
      throw new HttpException(
        problem(
          429,
          `This API key may make ${row.rate_limit_per_minute} requests per minute; retry after ${decision.retryAfterSeconds} s.`,
          {
            retryAfterSeconds: decision.retryAfterSeconds,
          },
        ),
        429,
      );
    }
    this.usage.touch(row.id);
    return { id: row.id, scopes: row.scopes, rateLimitPerMinute: row.rate_limit_per_minute, remaining: decision.remaining };
  }
}
