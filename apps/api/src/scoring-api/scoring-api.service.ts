/**
 * Answers a validated prediction request: resolve the model, answer what the cache knows, predict the
 * rest in chunks (yielding between chunks so one 1,000-record call does not stall the small ones
 * behind it), all under a per-request deadline. The cache key is the exact artifact plus a hash of the
 * record's fields, so identical inputs on the same model get the identical answer; entries expire
 * after a few minutes because date fields are scored as recency relative to "now".
 */
import { HttpException, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { predict, type ModelMetadata, type PredictionResult, type ScoringTask } from '@fieldcast/scoring';
import { problem } from '../problem/problem-details';
import { LruCache } from './lru-cache';
import { ModelResolverService, type ModelSource, type ResolvedApiModel } from './model-resolver.service';
import type { PredictRequest } from './predict-request.schema';
import { scoringApiMetrics } from './scoring-api.metrics';

export const SCORING_API_OPTIONS = Symbol('SCORING_API_OPTIONS');

export interface ScoringApiOptions {
  /** Longest a prediction request may take before it is answered 503 + Retry-After. */
  deadlineMs: number;
  cacheEntries: number;
  cacheTtlMs: number;
  /** How often api_key.last_used_at is written. */
  usageFlushMs: number;
}

export const DEFAULT_SCORING_API_OPTIONS: ScoringApiOptions = {
  deadlineMs: 2_000,
  cacheEntries: 50_000,
  cacheTtlMs: 5 * 60_000,
  usageFlushMs: 30_000,
};

export interface ApiModelMetadata extends ModelMetadata {
  /** model_artifact row id; null when the shipped default answered. */
  artifactId: string | null;
  source: ModelSource;
}

export type ApiPrediction = Omit<PredictionResult, 'model'> & { model: ApiModelMetadata };

export interface PredictResponse {
  task: ScoringTask;
  model: ApiModelMetadata;
  predictions: ApiPrediction[];
  cache: { hits: number; misses: number };
}

const CHUNK = 100;

type CachedResult = Omit<PredictionResult, 'id' | 'model'>;

/** Key order must not matter: {a,b} and {b,a} are the same record. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function deadlineExceeded(deadlineMs: number): HttpException {
  return new HttpException(
    problem(503, `The prediction did not finish within the ${deadlineMs} ms deadline; retry shortly or send fewer records per request.`, {
      retryAfterSeconds: 1,
    }),
    503,
  );
}

export function apiMetadata(resolved: ResolvedApiModel): ApiModelMetadata {
  return { ...resolved.model.metadata, artifactId: resolved.artifactId, source: resolved.source };
}

@Injectable()
export class ScoringApiService {
  private readonly cache: LruCache<CachedResult>;

  constructor(
    private readonly resolver: ModelResolverService,
    @Inject(SCORING_API_OPTIONS) private readonly options: ScoringApiOptions,
  ) {
    this.cache = new LruCache(options.cacheEntries, options.cacheTtlMs);
  }

  get deadlineMs(): number {
    return this.options.deadlineMs;
  }

  async predict(task: ScoringTask, request: PredictRequest, deadlineMs = this.options.deadlineMs): Promise<PredictResponse> {
    const deadline = Date.now() + deadlineMs;
    const resolved = await this.withDeadline(this.resolveFor(task, request.connectionId), deadline, deadlineMs);
    const metadata = apiMetadata(resolved);
    const results: Array<PredictionResult | undefined> = new Array(request.records.length);
    const keys: string[] = new Array(request.records.length);
    const missing: number[] = [];
    request.records.forEach((record, i) => {
      const key = `${resolved.cacheKey}:${createHash('sha256').update(stableJson(record.fields)).digest('base64url')}`;
      keys[i] = key;
      const hit = this.cache.get(key);
      if (hit) results[i] = { ...hit, id: record.id, model: resolved.model.metadata } as PredictionResult;
      else missing.push(i);
    });
    for (let start = 0; start < missing.length; start += CHUNK) {
      if (start > 0) await yieldToEventLoop();
      if (Date.now() >= deadline) throw deadlineExceeded(deadlineMs);
      const slice = missing.slice(start, start + CHUNK);
      const predicted = predict(
        resolved.model,
        slice.map((i) => request.records[i]!),
      );
      predicted.forEach((result, j) => {
        const i = slice[j]!;
        results[i] = result;
        const { id: _id, model: _model, ...cacheable } = result;
        this.cache.set(keys[i]!, cacheable);
      });
    }
    if (Date.now() >= deadline) throw deadlineExceeded(deadlineMs);
    const hits = request.records.length - missing.length;
    scoringApiMetrics().cacheLookups.inc({ task, result: 'hit' }, hits);
    scoringApiMetrics().cacheLookups.inc({ task, result: 'miss' }, missing.length);
    return {
      task,
      model: metadata,
      predictions: results.map((r) => ({ ...(r as PredictionResult), model: metadata }) as ApiPrediction),
      cache: { hits, misses: missing.length },
    };
  }

  async resolveFor(task: ScoringTask, connectionId: string | undefined): Promise<ResolvedApiModel> {
    if (connectionId !== undefined && !(await this.resolver.connectionExists(connectionId))) {
      throw new HttpException(
        problem(422, 'connectionId does not name a connection of this Fieldcast instance.', {
          errors: [
            { pointer: '/connectionId', detail: `no connection with id ${connectionId}; omit connectionId to use the default model` },
          ],
        }),
        422,
      );
    }
    return this.resolver.resolve(task, connectionId);
  }

  private async withDeadline<T>(work: Promise<T>, deadline: number, deadlineMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(deadlineExceeded(deadlineMs)), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
