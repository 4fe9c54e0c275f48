/**
 * One sync run of one stream of one connection: page → persist records, predictions, outbox rows
 * and the cursor in ONE transaction → write back → next page. A crash at any point resumes from the
 * last committed page; the outbox's idempotency keys make a replayed page write nothing twice.
 * One run per (connection, stream) at a time, enforced by a PostgreSQL advisory lock, across every
 * worker process on every machine.
 */
import type { DataSource, EntityManager, QueryDeepPartialEntity, QueryRunner } from 'typeorm';
import { In } from 'typeorm';
import { sleep, type SecretBox } from '@fieldcast/common';
import type { Connector, ConnectorLogger, StreamDescriptor, SyncMode, SyncedRecord } from '@fieldcast/connector-sdk';
import {
  ConnectionEntity,
  PredictionEntity,
  SyncedRecordEntity,
  SyncRunEntity,
  SyncStateEntity,
  WritebackOutboxEntity,
  type StreamConfig,
  type SyncRunCounts,
} from '@fieldcast/database';
import { ConnectionRateBudget } from '../budget/connection-rate-budget';
import { buildConnectorContext } from '../context/connection-context.factory';
import { decideOnError } from '../errors/connector-error.policy';
import { OutboxDrainer } from '../outbox/outbox-drainer';
import { contentHash, valueHash } from '../records/content-hash';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { scoreRecords, type ModelProvider, type RecordScore } from '../scoring/record-scorer';
import { runLogger } from './run-log';

export interface SyncRequest {
  connectionId: string;
  stream: string;
  mode: SyncMode;
  trigger: string;
  /** An existing queued run row to fill in (the CLI creates it to follow progress). */
  runId?: string;
  pageSize?: number;
  /**
   * How long a write-back row may stay in_flight before another worker reclaims it (default
   * OUTBOX_LEASE_SECONDS). Part of the job data rather than an environment variable, so fault tests
   * can shorten it for one run without changing how any other run behaves.
   */
  outboxLeaseSeconds?: number;
}

export type SyncOutcome =
  | { status: 'skipped'; reason: string }
  | { status: 'succeeded' | 'partial' | 'failed'; runId: string; counts: SyncRunCounts; apiCalls: number; error?: string };

export interface SyncRunnerDeps {
  dataSource: DataSource;
  secrets: SecretBox;
  registry: ConnectorRegistry;
  models: ModelProvider;
  log?: ConnectorLogger;
  /** Budgets per connection live as long as the worker process: reads and writes share them. */
  budgets?: Map<string, ConnectionRateBudget>;
}

export const DEFAULT_STREAM_CONFIG: Omit<StreamConfig, 'fields'> = {
  enabled: true,
  tasks: [],
  writePolicy: 'overwrite',
  autoWriteThreshold: 0,
  shadowMode: false,
};

export class SyncRunner {
  private readonly budgets: Map<string, ConnectionRateBudget>;

  constructor(private readonly deps: SyncRunnerDeps) {
    this.budgets = deps.budgets ?? new Map();
  }

  budgetFor(connectionId: string): ConnectionRateBudget {
    let budget = this.budgets.get(connectionId);
    if (!budget) this.budgets.set(connectionId, (budget = new ConnectionRateBudget()));
    return budget;
  }

  async run(request: SyncRequest, signal?: AbortSignal): Promise<SyncOutcome> {
    const { dataSource } = this.deps;
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `sync:${request.connectionId}:${request.stream}`,
      ]);
      if (!locked) return { status: 'skipped', reason: `a sync of ${request.stream} is already running for this connection` };
      try {
        await this.failOrphanedRuns(request.connectionId, request.stream, request.runId);
        return await this.runLocked(request, signal);
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`sync:${request.connectionId}:${request.stream}`]);
      }
    } finally {
      await lock.release();
    }
  }

  private async runLocked(request: SyncRequest, signal?: AbortSignal): Promise<SyncOutcome> {
    const { dataSource, registry, secrets } = this.deps;
    const connection = await dataSource.getRepository(ConnectionEntity).findOneBy({ id: request.connectionId });
    if (!connection) return { status: 'skipped', reason: `connection ${request.connectionId} does not exist` };
    if (connection.status === 'paused' || connection.status === 'needs_reauth')
      return { status: 'skipped', reason: `connection is ${connection.status}` };
    const connector = registry.get(connection.vendor);
    const stream = registry.stream(connection.vendor, request.stream);
    const config = streamConfig(connection, stream);
    const runs = dataSource.getRepository(SyncRunEntity);
    const run = request.runId
      ? await runs.findOneByOrFail({ id: request.runId })
      : await runs.save(
          runs.create({ connectionId: connection.id, stream: stream.name, trigger: request.trigger, mode: request.mode, status: 'queued' }),
        );
    await runs.update({ id: run.id }, { status: 'running', startedAt: new Date(), mode: request.mode });
    const budget = this.budgetFor(connection.id);
    const callsBefore = budget.snapshot();
    const log = runLogger(dataSource, run.id, this.deps.log);
    const counts: SyncRunCounts = { fetched: 0, deleted: 0, scored: 0, written: 0, skippedUnchanged: 0, failed: 0 };
    const ctx = buildConnectorContext({ dataSource, secrets, connection, budget, log, signal });
    const drainer = new OutboxDrainer({ dataSource, connector, ctx, stream, leaseSeconds: request.outboxLeaseSeconds });
    const finish = async (status: 'succeeded' | 'partial' | 'failed', error?: string): Promise<SyncOutcome> => {
      const after = budget.snapshot();
      const apiCalls = after.calls - callsBefore.calls;
      const byEndpoint = Object.fromEntries(
        Object.entries(after.callsByEndpoint)
          .map(([k, v]) => [k, v - (callsBefore.callsByEndpoint[k] ?? 0)])
          .filter(([, v]) => (v as number) > 0),
      );
      await log.flush();
      await runs.update(
        { id: run.id },
        {
          status,
          counts,
          apiCalls,
          apiCallsByEndpoint: byEndpoint,
          rateLimitWaitMs: after.waitedMs - callsBefore.waitedMs,
          error: error ?? null,
          finishedAt: new Date(),
        },
      );
      if (status !== 'failed')
        await dataSource
          .getRepository(ConnectionEntity)
          .update({ id: connection.id }, { lastSyncedAt: new Date(), lastError: null, status: 'active' });
      else await dataSource.getRepository(ConnectionEntity).update({ id: connection.id }, { lastError: error ?? null });
      return { status, runId: run.id, counts, apiCalls, error };
    };

    log.info(`sync ${request.mode} of ${stream.name} started (${request.trigger})`);
    try {
      return await this.pageLoop(
        { request, connection, connector, stream, config, ctx, drainer, counts, log, runId: run.id, finish },
        signal,
      );
    } catch (error) {
      // Anything unexpected still ends the run visibly (never a run stuck in "running").
      const message = `unexpected error: ${(error as Error).message}`;
      log.warn(message);
      return finish('failed', message);
    }
  }

  private async pageLoop(
    p: {
      request: SyncRequest;
      connection: ConnectionEntity;
      connector: Connector;
      stream: StreamDescriptor;
      config: StreamConfig;
      ctx: ReturnType<typeof buildConnectorContext>;
      drainer: OutboxDrainer;
      counts: SyncRunCounts;
      log: ConnectorLogger;
      runId: string;
      finish: (status: 'succeeded' | 'partial' | 'failed', error?: string) => Promise<SyncOutcome>;
    },
    signal?: AbortSignal,
  ): Promise<SyncOutcome> {
    const { request, connection, connector, stream, config, ctx, drainer, counts, log, finish } = p;
    const { dataSource } = this.deps;
    const state = await this.loadState(connection.id, stream.name);
    if (!config.shadowMode) {
      const promoted = await promoteShadowWrites(dataSource, connection.id, stream.name);
      if (promoted) log.info(`shadow mode is off: ${promoted} previewed value(s) queued for writing`);
    }
    if (!state.lastSuccessAt && !config.shadowMode) await this.provisionFields(connector, ctx, stream, config, log);
    let mode = request.mode;
    let cursor = mode === 'full' ? state.fullSyncCursor : state.cursor;
    let attempt = 0;
    const fieldcastNames = new Set(Object.values(config.fields));
    while (!signal?.aborted) {
      let page;
      try {
        page = await connector.fetchPage(ctx, { stream: stream.name, cursor, pageSize: request.pageSize ?? 500, mode });
        attempt = 0;
      } catch (error) {
        attempt += 1;
        const decision = decideOnError(error, attempt);
        if (decision.action === 'retry') {
          log.warn(`fetch failed, retrying in ${Math.round(decision.delayMs / 1000)} s: ${decision.reason}`);
          await sleep(decision.delayMs, signal).catch(() => undefined);
          continue;
        }
        if (decision.action === 'needs-reauth') {
          await dataSource
            .getRepository(ConnectionEntity)
            .update({ id: connection.id }, { status: 'needs_reauth', lastError: decision.reason });
          log.warn(decision.reason);
          return finish('failed', decision.reason);
        }
        if (decision.action === 'restart-full' && mode !== 'full') {
          log.warn(`the saved cursor is no longer valid (${decision.reason}); restarting with a full sync`);
          mode = 'full';
          cursor = null;
          continue;
        }
        log.warn(`sync failed: ${decision.reason}`);
        return finish('failed', decision.reason);
      }
      counts.fetched += page.records.length;
      const scored = await this.persistPage({
        connection,
        stream,
        config,
        records: page.records,
        deletedIds: page.deletedIds,
        nextCursor: page.nextCursor,
        mode,
        fieldcastNames,
        counts,
      });
      if (scored > 0 && !config.shadowMode) {
        const result = await drainer.drain({ fullBatchesOnly: true });
        counts.written += result.written;
        counts.failed += result.deadLettered;
      }
      cursor = page.nextCursor;
      // Progress for `fieldcast sync --wait` and the UI's progress bar.
      await dataSource.getRepository(SyncRunEntity).update({ id: p.runId }, { counts: { ...counts } });
      if (!page.hasMore) break;
    }
    if (signal?.aborted) return finish('partial', 'the run was interrupted; the next run resumes from the last committed page');
    if (!config.shadowMode) {
      const rest = await drainer.drain();
      counts.written += rest.written;
      counts.failed += rest.deadLettered;
    }
    if (mode === 'full') {
      await dataSource
        .getRepository(SyncStateEntity)
        .update({ connectionId: connection.id, stream: stream.name }, { fullSyncCursor: null, lastFullSyncAt: new Date(), cursor });
    }
    await dataSource
      .getRepository(SyncStateEntity)
      .update({ connectionId: connection.id, stream: stream.name }, { lastSuccessAt: new Date() });
    log.info(
      `sync finished: ${counts.fetched} fetched, ${counts.scored} scored, ${counts.written} written, ${counts.skippedUnchanged} unchanged, ${counts.failed} failed`,
    );
    return finish(counts.failed > 0 ? 'partial' : 'succeeded');
  }

  /**
   * Event-driven path: re-reads the current state of specific records (a webhook only says "changed"),
   * then persists, scores and writes them back exactly like a sync page, without moving the cursor.
   */
  async syncRecords(
    request: { connectionId: string; stream: string; externalIds: string[] },
    signal?: AbortSignal,
  ): Promise<SyncRunCounts & { skipped?: string }> {
    const { dataSource, registry, secrets } = this.deps;
    const counts: SyncRunCounts = { fetched: 0, deleted: 0, scored: 0, written: 0, skippedUnchanged: 0, failed: 0 };
    const connection = await dataSource.getRepository(ConnectionEntity).findOneBy({ id: request.connectionId });
    if (!connection) return { ...counts, skipped: 'connection does not exist' };
    if (connection.status === 'paused' || connection.status === 'needs_reauth')
      return { ...counts, skipped: `connection is ${connection.status}` };
    const connector = registry.get(connection.vendor);
    const stream = registry.stream(connection.vendor, request.stream);
    const config = streamConfig(connection, stream);
    const ctx = buildConnectorContext({
      dataSource,
      secrets,
      connection,
      budget: this.budgetFor(connection.id),
      log: this.deps.log ?? silentLogger,
      signal,
    });
    const records = await connector.fetchByIds(ctx, stream.name, request.externalIds);
    counts.fetched = records.length;
    await this.loadState(connection.id, stream.name);
    const scored = await this.persistPage({
      connection,
      stream,
      config,
      records,
      deletedIds: [],
      nextCursor: undefined,
      mode: 'incremental',
      fieldcastNames: new Set(Object.values(config.fields)),
      counts,
    });
    if (scored > 0 && !config.shadowMode) {
      const drained = await new OutboxDrainer({ dataSource, connector, ctx, stream }).drain();
      counts.written += drained.written;
      counts.failed += drained.deadLettered;
    }
    return counts;
  }

  /**
   * Runs left "running" by a worker that was killed: holding the advisory lock proves nobody runs
   * them any more, so they are closed as interrupted (the new run resumes from their last page).
   */
  private async failOrphanedRuns(connectionId: string, stream: string, currentRunId?: string): Promise<void> {
    await this.deps.dataSource
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({
        status: 'failed',
        error: 'interrupted (the worker stopped); the next run resumed from the last committed page',
        finishedAt: () => 'now()',
      })
      .where('connection_id = :connectionId AND stream = :stream AND status = :running', { connectionId, stream, running: 'running' })
      .andWhere(currentRunId ? 'id <> :currentRunId' : 'true', { currentRunId })
      .execute();
  }

  /**
   * Before a stream's first sync, Fieldcast creates the fields it writes (custom fields, properties,
   * ticket fields) and checks it may write them; what fails is logged in words an admin can act on,
   * and the writes to it dead-letter with the vendor's error until it is fixed.
   */
  private async provisionFields(
    connector: Connector,
    ctx: ReturnType<typeof buildConnectorContext>,
    stream: StreamDescriptor,
    config: StreamConfig,
    log: ConnectorLogger,
  ): Promise<void> {
    const specs = stream.defaultFields.filter((f) => config.fields[f.key]).map((f) => ({ ...f, name: config.fields[f.key]! }));
    try {
      const result = await connector.ensureFields(ctx, stream.name, specs);
      const created = result.fields.filter((f) => f.status === 'created').map((f) => f.name);
      const problems = result.fields.filter((f) => f.status === 'failed' || !f.writable);
      if (created.length) log.info(`created fields ${created.join(', ')}`);
      for (const f of problems) log.warn(`field ${f.name} is not writable: ${f.message ?? f.status}`);
    } catch (error) {
      log.warn(`could not provision the write-back fields: ${(error as Error).message}`);
    }
  }

  private async loadState(connectionId: string, stream: string): Promise<SyncStateEntity> {
    const repo = this.deps.dataSource.getRepository(SyncStateEntity);
    await repo.createQueryBuilder().insert().values({ connectionId, stream }).orIgnore().execute();
    return repo.findOneByOrFail({ connectionId, stream });
  }

  /** Persists one page; returns how many records were scored. */
  private async persistPage(p: {
    connection: ConnectionEntity;
    stream: StreamDescriptor;
    config: StreamConfig;
    records: SyncedRecord[];
    deletedIds: string[];
    /** undefined: leave the cursor alone (webhook-driven updates of single records). */
    nextCursor: string | null | undefined;
    mode: SyncMode;
    fieldcastNames: Set<string>;
    counts: SyncRunCounts;
  }): Promise<number> {
    const { dataSource, models } = this.deps;
    // A page can repeat a record (lookback window): the last copy wins.
    const unique = new Map(p.records.map((r) => [r.externalId, r]));
    const records = [...unique.values()];
    const hashes = new Map(records.map((r) => [r.externalId, contentHash(r.fields, p.fieldcastNames)]));
    const known = records.length
      ? await dataSource.getRepository(SyncedRecordEntity).find({
          select: { externalId: true, contentHash: true, data: true },
          where: { connectionId: p.connection.id, object: p.stream.vendorObject, externalId: In(records.map((r) => r.externalId)) },
        })
      : [];
    const knownById = new Map(known.map((k) => [k.externalId, k]));
    const changed = records.filter((r) => knownById.get(r.externalId)?.contentHash !== hashes.get(r.externalId));
    p.counts.skippedUnchanged += records.length - changed.length;
    const scores =
      p.config.enabled && p.config.tasks.length && changed.length
        ? await scoreRecords(models, p.connection.id, { ...p.stream, tasks: p.config.tasks as StreamDescriptor['tasks'] }, changed)
        : [];
    p.counts.scored += scores.length;
    const recordsById = new Map(records.map((r) => [r.externalId, r]));
    await dataSource.transaction(async (tx) => {
      if (records.length) await this.upsertRecords(tx, p.connection.id, p.stream, records, hashes);
      if (p.deletedIds.length) {
        const result = await tx
          .getRepository(SyncedRecordEntity)
          .update(
            { connectionId: p.connection.id, object: p.stream.vendorObject, externalId: In(p.deletedIds), isDeleted: false },
            { isDeleted: true, deletedAt: new Date() },
          );
        p.counts.deleted += result.affected ?? 0;
      }
      if (scores.length) await this.recordScores(tx, p.connection.id, p.stream, p.config, scores, recordsById);
      if (p.nextCursor !== undefined) {
        const column = p.mode === 'full' ? 'fullSyncCursor' : 'cursor';
        await tx
          .getRepository(SyncStateEntity)
          .update({ connectionId: p.connection.id, stream: p.stream.name }, { [column]: p.nextCursor });
      }
    });
    return scores.length;
  }

  private async upsertRecords(
    tx: EntityManager,
    connectionId: string,
    stream: StreamDescriptor,
    records: SyncedRecord[],
    hashes: Map<string, string>,
  ): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(SyncedRecordEntity)
      .values(
        records.map((r) => ({
          connectionId,
          stream: stream.name,
          object: stream.vendorObject,
          externalId: r.externalId,
          data: r.fields,
          vendorModstamp: new Date(r.modstamp),
          lastModifiedBy: r.lastModifiedBy ?? null,
          contentHash: hashes.get(r.externalId)!,
          isDeleted: false,
          deletedAt: null,
        })) as QueryDeepPartialEntity<SyncedRecordEntity>[],
      )
      .orUpdate(
        ['data', 'vendor_modstamp', 'last_modified_by', 'content_hash', 'is_deleted', 'deleted_at', 'updated_at'],
        ['connection_id', 'object', 'external_id'],
      )
      .execute();
  }

  /** The predictions and their intended writes, in the page's transaction (exactly-once effects). */
  private async recordScores(
    tx: EntityManager,
    connectionId: string,
    stream: StreamDescriptor,
    config: StreamConfig,
    scores: RecordScore[],
    recordsById: Map<string, SyncedRecord>,
  ): Promise<void> {
    const fieldcastNames = new Set(Object.values(config.fields));
    const predictionRows = scores.flatMap((score) =>
      score.predictions.map((p) => {
        const r = p.result;
        return {
          connectionId,
          object: stream.vendorObject,
          externalId: score.externalId,
          task: p.task,
          artifactId: p.artifactId,
          modelVersion: r.model.version,
          value: r.abstained
            ? { prediction: r.prediction ?? null }
            : { prediction: r.prediction, score: r.score ?? null, alternatives: r.alternatives ?? null },
          confidence: r.confidence ?? null,
          tier: r.abstained ? null : (r.tier ?? r.confidenceLevel),
          factors: r.abstained ? [] : r.factors,
          abstained: r.abstained,
          abstainReason: r.abstained ? r.reason : null,
          inputHash: contentHash(recordsById.get(score.externalId)!.fields, fieldcastNames),
        };
      }),
    );
    // One multi-row insert per page instead of a round trip per prediction.
    const inserted = await tx
      .createQueryBuilder()
      .insert()
      .into(PredictionEntity)
      .values(predictionRows as QueryDeepPartialEntity<PredictionEntity>[])
      .returning(['id'])
      .execute();
    const predictionIds = (inserted.identifiers as Array<{ id: string }>).map((r) => r.id);
    const outboxRows: Array<QueryDeepPartialEntity<WritebackOutboxEntity>> = [];
    let cursor = 0;
    for (const score of scores) {
      const predictionId = predictionIds[cursor] ?? null;
      cursor += score.predictions.length;
      if (Object.keys(score.values).length === 0) continue;
      if (!config.shadowMode && (score.blockedReason || (score.confidence ?? 0) < config.autoWriteThreshold)) continue;
      const record = recordsById.get(score.externalId)!;
      for (const [key, value] of Object.entries(score.values)) {
        const field = config.fields[key];
        if (!field) continue;
        const current = record.fields[field];
        if (config.writePolicy === 'only_when_empty' && current !== null && current !== undefined && current !== '') continue;
        const writeKey = [connectionId, stream.vendorObject, score.externalId, field, score.modelVersion, valueHash(value)].join('|');
        outboxRows.push({
          // A preview must not take the key of the real write it stands for (promoteShadowWrites).
          idempotencyKey: config.shadowMode ? `${SHADOW_KEY_PREFIX}${writeKey}` : writeKey,
          connectionId,
          stream: stream.name,
          object: stream.vendorObject,
          externalId: score.externalId,
          field,
          value: value as QueryDeepPartialEntity<WritebackOutboxEntity>['value'],
          modelVersion: score.modelVersion,
          predictionId,
          status: config.shadowMode ? 'shadow' : 'pending',
        });
      }
    }
    // A replayed page (crash after commit of an earlier attempt) inserts nothing twice.
    if (outboxRows.length) await tx.createQueryBuilder().insert().into(WritebackOutboxEntity).values(outboxRows).orIgnore().execute();
  }
}

export const SHADOW_KEY_PREFIX = 'shadow|';

/**
 * When shadow mode is turned off, the values it previewed become real writes (the records will not
 * be rescored: nothing about them changed). Returns how many pending writes were queued.
 */
export async function promoteShadowWrites(dataSource: DataSource, connectionId: string, stream: string): Promise<number> {
  const rows = (await dataSource.query(
    `WITH moved AS (
       UPDATE writeback_outbox SET status = 'superseded', updated_at = now()
       WHERE connection_id = $1 AND stream = $2 AND status = 'shadow'
       RETURNING idempotency_key, connection_id, stream, object, external_id, field, value, model_version, prediction_id, created_at)
     INSERT INTO writeback_outbox (idempotency_key, connection_id, stream, object, external_id, field, value, model_version, prediction_id, status, created_at)
     SELECT substr(idempotency_key, ${SHADOW_KEY_PREFIX.length + 1}), connection_id, stream, object, external_id, field, value, model_version, prediction_id, 'pending', created_at
     FROM moved
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [connectionId, stream],
  )) as Array<{ id: string }>;
  return rows.length;
}

const silentLogger: ConnectorLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

export function streamConfig(connection: ConnectionEntity, stream: StreamDescriptor): StreamConfig {
  const stored = connection.streams[stream.name];
  const defaultFields = Object.fromEntries(
    stream.defaultFields.map((f) => [
      f.key,
      connection.settings['fieldNames'] && (connection.settings['fieldNames'] as Record<string, string>)[f.key]
        ? (connection.settings['fieldNames'] as Record<string, string>)[f.key]!
        : f.name,
    ]),
  );
  return {
    ...DEFAULT_STREAM_CONFIG,
    ...(stored ?? {}),
    tasks: stored?.tasks?.length ? stored.tasks : stream.tasks,
    fields: { ...defaultFields, ...(stored?.fields ?? {}) },
  };
}

export type { QueryRunner };
