/**
 * One sync run of one stream of one connection: page → persist records, predictions, outbox rows
 * and the cursor in ONE transaction → write back → next page. A crash at any point resumes from the
 * last committed page; the outbox's idempotency keys make a replayed page write nothing twice.
 * One run per (connection, stream) at a time, enforced by a PostgreSQL advisory lock, across every
 * worker process on every machine.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { sleep, type SecretBox } from '@fieldcast/common';
import type { Connector, ConnectorLogger, StreamDescriptor, SyncMode, SyncedRecord } from '@fieldcast/connector-sdk';
import { ConnectionEntity, SyncRunEntity, SyncStateEntity, type StreamConfig, type SyncRunCounts } from '@fieldcast/database';
import { ConnectionRateBudget } from '../budget/connection-rate-budget';
import { buildConnectorContext } from '../context/connection-context.factory';
import { decideOnError } from '../errors/connector-error.policy';
import { OutboxDrainer, type DrainResult } from '../outbox/outbox-drainer';
import { insertIntents, type OutboxIntent, type OutboxRow } from '../outbox/outbox-store';
import { contentHash, valueHash } from '../records/content-hash';
import { knownContentHashes, markDeleted, upsertRecords } from '../records/record-store';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { insertPredictions, type PredictionRow } from '../scoring/prediction-store';
import { scoreRecords, type ModelProvider, type RecordScore } from '../scoring/record-scorer';
import { runLogger } from './run-log';
import { WriteBatcher } from './write-batcher';
import { WriteQueue } from './write-queue';

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

/** A page read from the vendor, ready for its transaction (see SyncRunner.preparePage). */
interface PreparedPage {
  records: SyncedRecord[];
  hashes: Map<string, string>;
  /** Content hashes Fieldcast held for the page's records when it was prepared. */
  known: Map<string, string>;
  scores: RecordScore[];
  unchanged: number;
}

/** Pages whose writes may wait behind the one being written (each holds at most a page of rows). */
const WRITE_QUEUE_DEPTH = 4;
/** How long the end of a run waits for writes whose retry comes due soon (see drainPatiently). */
const END_OF_RUN_RETRY_PATIENCE_MS = 30_000;

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
    // Which new writes go out right after their page commits: only whole vendor batches.
    const batcher = new WriteBatcher(stream.writeBatchMax);
    // Pages are pipelined: the next page is fetched while this one is scored and persisted, and the
    // pages' writes go out in the background (WriteQueue) while the next pages are processed. Vendor
    // latency, worker CPU and database work overlap instead of taking turns. One fetch ahead; writes
    // stay in page order; a crash loses nothing (the cursor only moves with a committed page, and
    // rows inserted in_flight are reclaimed after their lease).
    const fetchPage = (from: string | null) =>
      connector.fetchPage(ctx, { stream: stream.name, cursor: from, pageSize: request.pageSize ?? 500, mode });
    // The page after this one is fetched, hashed, checked against what Fieldcast holds and scored
    // while this one's transaction runs (`prepared`); the transactions themselves stay in page order.
    const clock = new StageClock();
    type Ahead = { cursor: string | null; page: ReturnType<typeof fetchPage>; prepared: Promise<PreparedPage> };
    let ahead: Ahead | undefined;
    const prepareNext = (page: Awaited<ReturnType<typeof fetchPage>>) =>
      this.preparePage({ connection, stream, config, records: page.records, fieldcastNames });
    const writes = new WriteQueue(WRITE_QUEUE_DEPTH, (result) => addWrites(counts, result));
    const end = async (status: 'succeeded' | 'partial' | 'failed', error?: string) => {
      await writes.settle().catch(() => undefined);
      return finish(status, error);
    };
    // Records of the page committed just before: a page prepared ahead checked its records against
    // the database before that commit, so they count as known (older intents may exist for them).
    let previousPage = new Set<string>();
    while (!signal?.aborted) {
      let page;
      let prepared: Promise<PreparedPage> | undefined;
      try {
        const reuse = ahead && ahead.cursor === cursor ? ahead : undefined;
        page = await clock.time('read', reuse ? reuse.page : fetchPage(cursor));
        prepared = reuse?.prepared;
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
          return end('failed', decision.reason);
        }
        if (decision.action === 'restart-full' && mode !== 'full') {
          log.warn(`the saved cursor is no longer valid (${decision.reason}); restarting with a full sync`);
          mode = 'full';
          cursor = null;
          continue;
        }
        log.warn(`sync failed: ${decision.reason}`);
        return end('failed', decision.reason);
      } finally {
        ahead = undefined;
      }
      prepared ??= prepareNext(page);
      if (page.hasMore) {
        const next = fetchPage(page.nextCursor);
        ahead = { cursor: page.nextCursor, page: next, prepared: next.then(prepareNext) };
        // Failures are handled when they are awaited (above and below), not as unhandled rejections now.
        ahead.page.catch(() => undefined);
        ahead.prepared.catch(() => undefined);
      }
      counts.fetched += page.records.length;
      const ready = await clock.time('prepare', prepared);
      const persisted = await clock.time(
        'persist',
        this.commitPage({
          connection,
          stream,
          config,
          prepared: ready,
          deletedIds: page.deletedIds,
          nextCursor: page.nextCursor,
          mode,
          counts,
          batcher,
          alsoKnown: previousPage,
        }),
      );
      previousPage = new Set(ready.records.map((r) => r.externalId));
      const due = batcher.afterCommit(persisted.newWrites, persisted.current);
      if (due)
        await clock.time(
          'write',
          writes.start(
            () => drainer.writeRows(due),
            () => drainer.release(due),
          ),
        );
      cursor = page.nextCursor;
      // Progress for `fieldcast sync --wait` and the UI's progress bar.
      await clock.time('progress', dataSource.getRepository(SyncRunEntity).update({ id: p.runId }, { counts: { ...counts } }));
      if (!page.hasMore) break;
    }
    await clock.time('write', writes.settle());
    log.info(`time waited: ${clock.summary()}`);
    if (signal?.aborted) return finish('partial', 'the run was interrupted; the next run resumes from the last committed page');
    // The last partial batch, and whatever else is due for this stream (retries, older backlog).
    if (!config.shadowMode) {
      const drained = await drainer.drainPatiently(END_OF_RUN_RETRY_PATIENCE_MS, signal);
      addWrites(counts, drained);
      if (drained.waiting)
        log.warn(
          `${drained.waiting.rows} write(s) wait for a retry from ${drained.waiting.dueAt.toISOString()}; the write-back job sends them then`,
        );
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
    const persisted = await this.persistPage({
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
    if (persisted.scored > 0 && !config.shadowMode)
      addWrites(counts, await new OutboxDrainer({ dataSource, connector, ctx, stream }).drain());
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

  /**
   * Persists one page in one transaction: records, predictions, intended writes and the cursor.
   * Returns how many records were scored, the new pending write rows (shadow previews are not
   * returned) and what the vendor holds for each record of the page.
   */
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
  }): Promise<{ scored: number; newWrites: OutboxRow[]; current: Map<string, Record<string, unknown>> }> {
    const prepared = await this.preparePage(p);
    return this.commitPage({ ...p, prepared });
  }

  /**
   * Everything about a page that needs no transaction: its unique records, content hashes, which of
   * them changed since Fieldcast last held them, and their scores.
   */
  private async preparePage(p: {
    connection: ConnectionEntity;
    stream: StreamDescriptor;
    config: StreamConfig;
    records: SyncedRecord[];
    fieldcastNames: Set<string>;
  }): Promise<PreparedPage> {
    const { dataSource, models } = this.deps;
    const scope = { connectionId: p.connection.id, stream: p.stream.name, object: p.stream.vendorObject };
    // A page can repeat a record (lookback window): the last copy wins.
    const unique = new Map(p.records.map((r) => [r.externalId, r]));
    const records = [...unique.values()];
    const hashes = new Map(records.map((r) => [r.externalId, contentHash(r.fields, p.fieldcastNames)]));
    const known = await knownContentHashes(
      dataSource,
      scope,
      records.map((r) => r.externalId),
    );
    const changed = records.filter((r) => known.get(r.externalId) !== hashes.get(r.externalId));
    const scores =
      p.config.enabled && p.config.tasks.length && changed.length
        ? await scoreRecords(models, p.connection.id, { ...p.stream, tasks: p.config.tasks as StreamDescriptor['tasks'] }, changed)
        : [];
    return { records, hashes, known, scores, unchanged: records.length - changed.length };
  }

  private async commitPage(p: {
    connection: ConnectionEntity;
    stream: StreamDescriptor;
    config: StreamConfig;
    prepared: PreparedPage;
    deletedIds: string[];
    nextCursor: string | null | undefined;
    mode: SyncMode;
    counts: SyncRunCounts;
    /** Sync runs: decides which new writes go out right after the commit (full vendor batches). */
    batcher?: WriteBatcher;
    /** Records committed since `prepared` read what Fieldcast holds (the previous page of a run). */
    alsoKnown?: ReadonlySet<string>;
  }): Promise<{ scored: number; newWrites: OutboxRow[]; current: Map<string, Record<string, unknown>> }> {
    const { dataSource } = this.deps;
    const { records, hashes, known, scores } = p.prepared;
    const scope = { connectionId: p.connection.id, stream: p.stream.name, object: p.stream.vendorObject };
    p.counts.skippedUnchanged += p.prepared.unchanged;
    p.counts.scored += scores.length;
    const current = new Map(records.map((r) => [r.externalId, r.fields]));
    const mayHaveOlder = p.alsoKnown?.size ? new Set([...known.keys(), ...p.alsoKnown]) : known;
    const newWrites = await dataSource.transaction(async (tx) => {
      await upsertRecords(tx, scope, records, hashes);
      p.counts.deleted += await markDeleted(tx, scope, p.deletedIds);
      const inserted = scores.length
        ? await this.recordScores(tx, scope, p.config, scores, { current, hashes, known: mayHaveOlder }, p.batcher)
        : [];
      if (p.nextCursor !== undefined) {
        const column = p.mode === 'full' ? 'fullSyncCursor' : 'cursor';
        await tx
          .getRepository(SyncStateEntity)
          .update({ connectionId: p.connection.id, stream: p.stream.name }, { [column]: p.nextCursor });
      }
      return inserted;
    });
    return { scored: scores.length, newWrites: p.config.shadowMode ? [] : newWrites, current };
  }

  /** The predictions and their intended writes, in the page's transaction (exactly-once effects). */
  private async recordScores(
    tx: EntityManager,
    scope: { connectionId: string; stream: string; object: string },
    config: StreamConfig,
    scores: RecordScore[],
    page: {
      current: Map<string, Record<string, unknown>>;
      hashes: Map<string, string>;
      known: ReadonlySet<string> | ReadonlyMap<string, string>;
    },
    batcher?: WriteBatcher,
  ): Promise<OutboxRow[]> {
    const { current, hashes } = page;
    const predictions: PredictionRow[] = [];
    const intents: OutboxIntent[] = [];
    for (const score of scores) {
      const ids = score.predictions.map(() => randomUUID());
      score.predictions.forEach((p, i) => {
        const r = p.result;
        predictions.push({
          id: ids[i]!,
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
          inputHash: hashes.get(score.externalId)!,
        });
      });
      if (Object.keys(score.values).length === 0) continue;
      if (!config.shadowMode && (score.blockedReason || (score.confidence ?? 0) < config.autoWriteThreshold)) continue;
      const held = current.get(score.externalId)!;
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(score.values)) {
        const field = config.fields[key];
        if (!field) continue;
        const heldValue = held[field];
        if (config.writePolicy === 'only_when_empty' && heldValue !== null && heldValue !== undefined && heldValue !== '') continue;
        fields[field] = value;
      }
      if (Object.keys(fields).length === 0) continue;
      // Field order must not change the key: the same values are the same write.
      const sorted = Object.keys(fields)
        .sort()
        .map((field) => [field, fields[field]]);
      const writeKey = [scope.connectionId, scope.object, score.externalId, score.modelVersion, valueHash(sorted)].join('|');
      intents.push({
        // A preview must not take the key of the real write it stands for (promoteShadowWrites).
        idempotencyKey: config.shadowMode ? `${SHADOW_KEY_PREFIX}${writeKey}` : writeKey,
        externalId: score.externalId,
        fields,
        modelVersion: score.modelVersion,
        predictionId: ids[0] ?? null,
        status: config.shadowMode ? 'shadow' : 'pending',
      });
    }
    if (batcher && !config.shadowMode) {
      const immediate = batcher.plan(intents.map((i) => i.externalId));
      for (const intent of intents) if (immediate.has(intent.externalId)) intent.status = 'in_flight';
    }
    await insertPredictions(tx, scope, predictions);
    // A replayed page (crash after commit of an earlier attempt) inserts nothing twice.
    return insertIntents(tx, scope, intents, page.known);
  }
}

function addWrites(counts: SyncRunCounts, result: DrainResult): void {
  counts.written += result.written;
  counts.failed += result.deadLettered;
}

/**
 * Where a run's wall time went, as the page loop awaited it, one stage after another: read (the
 * vendor's page), prepare (hashing, the known-hash query and scoring, done ahead while the previous
 * page committed; only what was not ready yet counts), persist (the page's transaction), write (room
 * in the write queue), progress.
 */
class StageClock {
  private readonly ms = new Map<string, number>();

  async time<T>(stage: string, work: Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work;
    } finally {
      this.ms.set(stage, (this.ms.get(stage) ?? 0) + performance.now() - started);
    }
  }

  summary(): string {
    return [...this.ms].map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(', ');
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
       RETURNING idempotency_key, connection_id, stream, object, external_id, fields, model_version, prediction_id, created_at)
     INSERT INTO writeback_outbox (idempotency_key, connection_id, stream, object, external_id, fields, model_version, prediction_id, status, created_at)
     SELECT substr(idempotency_key, ${SHADOW_KEY_PREFIX.length + 1}), connection_id, stream, object, external_id, fields, model_version, prediction_id, 'pending', created_at
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
