/**
 * Which model answers a scoring call: the connection's champion for the task (when a connectionId is
 * given and it has one), else the instance default (champion with no connection), else the default
 * shipped with @fieldcast/scoring. Which row is champion is re-read at most every few seconds (a
 * promotion shows up quickly without a query per request); compiled models are cached by artifact
 * id, because compiling decodes the packed weights and is the expensive part.
 */
import { HttpException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { defaultArtifact, loadArtifact, type LoadedModel, type ScoringTask } from '@fieldcast/scoring';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { problem } from '../problem/problem-details';
import { LruCache } from './lru-cache';

export type ModelSource = 'connection' | 'instance' | 'shipped';

export interface ResolvedApiModel {
  model: LoadedModel;
  /** model_artifact row id; null for the shipped default. */
  artifactId: string | null;
  source: ModelSource;
  /** Identifies the exact artifact for caches: row id + version, or the shipped model id + version. */
  cacheKey: string;
}

/** The shipped cold-start artifact for a task, or undefined when none is shipped (yet). */
export type ShippedDefaults = (task: ScoringTask) => unknown;

export const SHIPPED_DEFAULTS = Symbol('SHIPPED_DEFAULTS');

/**
 * The defaults shipped with @fieldcast/scoring (rules priors for lead score and escalation risk, the
 * trained ticket-category default). A default that cannot be read (its artifact file missing from an
 * install) is "none": the task answers 503 with the reason instead of failing every request with 500.
 */
export function shippedDefaultsFromScoringLibrary(): ShippedDefaults {
  return (task) => {
    try {
      return defaultArtifact(task);
    } catch {
      return undefined;
    }
  };
}

const RESOLUTION_TTL_MS = 5_000;
const MODEL_CACHE_ENTRIES = 64;
const CONNECTION_TTL_MS = 30_000;

interface ChampionRow {
  id: string;
  version: number;
  connection_id: string | null;
}

export function noModelProblem(task: ScoringTask): HttpException {
  return new HttpException(
    problem(
      503,
      `No model can answer ${task} yet: no trained champion for this connection or instance and no shipped default. Train one (or wait for the shipped defaults), then retry.`,
      { retryAfterSeconds: 300 },
    ),
    503,
  );
}

@Injectable()
export class ModelResolverService {
  private readonly resolutions = new LruCache<{ row: ChampionRow | null }>(1_000, RESOLUTION_TTL_MS);
  private readonly models = new LruCache<LoadedModel>(MODEL_CACHE_ENTRIES, Number.POSITIVE_INFINITY);
  private readonly shipped = new Map<ScoringTask, LoadedModel | null>();
  private readonly connections = new LruCache<boolean>(10_000, CONNECTION_TTL_MS);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SHIPPED_DEFAULTS) private readonly shippedDefaults: ShippedDefaults,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  async connectionExists(connectionId: string): Promise<boolean> {
    const cached = this.connections.get(connectionId);
    if (cached !== undefined) return cached;
    const rows = (await this.dataSource.query('SELECT 1 FROM connection WHERE id = $1', [connectionId])) as unknown[];
    this.connections.set(connectionId, rows.length > 0);
    return rows.length > 0;
  }

  async resolve(task: ScoringTask, connectionId?: string): Promise<ResolvedApiModel> {
    const key = `${connectionId ?? '-'}:${task}`;
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      const rows = (await this.dataSource.query(
        `SELECT id, version, connection_id FROM model_artifact
          WHERE task = $1 AND status = 'champion' AND (connection_id IS NULL OR connection_id = $2)
          ORDER BY (connection_id IS NULL), version DESC, promoted_at DESC NULLS LAST LIMIT 1`,
        [task, connectionId ?? null],
      )) as ChampionRow[];
      resolution = { row: rows[0] ?? null };
      this.resolutions.set(key, resolution);
    }
    const row = resolution.row;
    if (row) {
      return {
        model: await this.loadStored(row),
        artifactId: row.id,
        source: row.connection_id ? 'connection' : 'instance',
        cacheKey: `${row.id}@${row.version}`,
      };
    }
    const shipped = this.loadShipped(task);
    if (!shipped) throw noModelProblem(task);
    return {
      model: shipped,
      artifactId: null,
      source: 'shipped',
      cacheKey: `shipped:${shipped.metadata.modelId}@${shipped.metadata.version}`,
    };
  }

  private async loadStored(row: ChampionRow): Promise<LoadedModel> {
    const cacheKey = `${row.id}@${row.version}`;
    const cached = this.models.get(cacheKey);
    if (cached) return cached;
    const rows = (await this.dataSource.query('SELECT artifact FROM model_artifact WHERE id = $1', [row.id])) as Array<{
      artifact: unknown;
    }>;
    if (!rows[0]) {
      // Deleted between the two reads: forget the resolution and let the caller retry.
      this.resolutions.clear();
      throw new HttpException(problem(503, 'The model changed while this request was answered; retry.', { retryAfterSeconds: 1 }), 503);
    }
    try {
      const model = loadArtifact(rows[0].artifact);
      this.models.set(cacheKey, model);
      return model;
    } catch (error) {
      this.log.error({ err: error, artifactId: row.id }, 'champion model artifact cannot be loaded');
      throw new HttpException(
        problem(
          503,
          `The champion model ${row.id} cannot be loaded (${(error as Error).message}). An administrator must roll back or retrain it.`,
          {
            retryAfterSeconds: 300,
          },
        ),
        503,
      );
    }
  }

  private loadShipped(task: ScoringTask): LoadedModel | null {
    if (this.shipped.has(task)) return this.shipped.get(task) ?? null;
    const artifact = this.shippedDefaults(task);
    let model: LoadedModel | null = null;
    if (artifact) {
      try {
        model = loadArtifact(artifact);
      } catch (error) {
        this.log.error({ err: error, task }, 'shipped default model cannot be loaded');
      }
    }
    // A missing default is not remembered, so one that ships later (hot reload in dev) is picked up.
    if (model) this.shipped.set(task, model);
    return model;
  }

  /** Forget which rows are champions (after a promotion in this process). */
  invalidate(): void {
    this.resolutions.clear();
  }
}
