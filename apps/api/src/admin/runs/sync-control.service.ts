/**
 * Schedules, "Sync now", run history and dead letters. Sync now creates the sync_run row (queued)
 * before enqueueing, so the UI can follow the run by id from the first second; the worker fills it in.
 */
import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ConnectionEntity, SyncRunEntity, SyncRunLogEntity, WritebackOutboxEntity, type ScheduleConfig } from '@fieldcast/database';
import { JobQueue, QUEUE_NAMES, streamConfig } from '@fieldcast/sync-engine';
import { problem } from '../../problem/problem-details';
import type { AdminPrincipal } from '../auth/admin-principal';
import { AuditService } from '../audit/audit.service';
import { pageOf, type Page, type PageRequest } from '../common/pagination';
import { parseInput, validationProblem } from '../common/zod-validation';
import { ConnectionsService } from '../connections/connections.service';
import { ConnectorAccessService } from '../connections/connector-access.service';
import { cronProblem } from './cron-expression';

export const scheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('interval'),
      minutes: z
        .number({ message: 'expected the interval in whole minutes' })
        .int('expected whole minutes')
        .min(1, 'expected at least 1 minute')
        .max(7 * 24 * 60, 'expected at most 10080 minutes (one week)'),
    }),
    z.object({ kind: z.literal('cron'), expression: z.string({ message: 'expected a cron expression like "*/15 * * * *"' }).max(200) }),
  ],
  { message: 'expected kind "interval" (with minutes) or "cron" (with expression)' },
);

export const syncNowSchema = z
  .object({
    stream: z.string({ message: 'expected a stream name' }).optional(),
    mode: z.enum(['incremental', 'full'], { message: 'expected incremental or full' }).default('incremental'),
  })
  .strict();

export interface RunView {
  id: string;
  connectionId: string;
  stream: string | null;
  trigger: string;
  mode: string;
  status: string;
  counts: SyncRunEntity['counts'];
  apiCalls: number;
  rateLimitWaitMs: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

function runView(run: SyncRunEntity): RunView {
  return {
    id: run.id,
    connectionId: run.connectionId,
    stream: run.stream,
    trigger: run.trigger,
    mode: run.mode,
    status: run.status,
    counts: run.counts,
    apiCalls: run.apiCalls,
    rateLimitWaitMs: run.rateLimitWaitMs,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.startedAt ? (run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime() : null,
  };
}

@Injectable()
export class SyncControlService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly connections: ConnectionsService,
    private readonly access: ConnectorAccessService,
    private readonly audit: AuditService,
  ) {}

  async setSchedule(request: Request, actor: AdminPrincipal, id: string, body: unknown) {
    const schedule = parseInput(scheduleSchema, body) as ScheduleConfig;
    if (schedule.kind === 'cron') {
      const why = cronProblem(schedule.expression);
      if (why) throw validationProblem([{ pointer: '/expression', detail: why }]);
    }
    const connection = await this.connections.find(id);
    await this.dataSource.getRepository(ConnectionEntity).update({ id }, { schedule });
    await this.audit.record(request, actor, {
      action: 'connection.schedule.update',
      targetType: 'connection',
      targetId: id,
      details: { name: connection.name, schedule },
    });
    return this.connections.get(id);
  }

  async syncNow(request: Request, actor: AdminPrincipal, id: string, body: unknown): Promise<{ runs: RunView[] }> {
    const input = parseInput(syncNowSchema, body);
    const connection = await this.connections.find(id);
    if (connection.status === 'paused') throw new HttpException(problem(409, 'This connection is paused; resume it before syncing.'), 409);
    if (connection.status === 'needs_reauth')
      throw new HttpException(problem(409, 'This connection needs to be re-authenticated before it can sync.'), 409);
    const streams = this.access.connector(connection.vendor).describe().streams;
    let targets = streams.filter((s) => streamConfig(connection, s).enabled);
    if (input.stream) {
      targets = streams.filter((s) => s.name === input.stream);
      if (!targets.length)
        throw validationProblem([{ pointer: '/stream', detail: `expected one of ${streams.map((s) => s.name).join(', ')}` }]);
    }
    if (!targets.length)
      throw validationProblem([{ pointer: '/stream', detail: 'every stream of this connection is disabled; enable one first' }]);
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const created: SyncRunEntity[] = [];
    for (const stream of targets) {
      const run = await runs.save(
        runs.create({ connectionId: id, stream: stream.name, trigger: 'manual', mode: input.mode, status: 'queued' }),
      );
      await this.queue.send(QUEUE_NAMES.sync, {
        connectionId: id,
        stream: stream.name,
        mode: input.mode,
        trigger: 'manual',
        runId: run.id,
      });
      created.push(run);
    }
    await this.audit.record(request, actor, {
      action: 'connection.sync_now',
      targetType: 'connection',
      targetId: id,
      details: { streams: targets.map((s) => s.name), mode: input.mode, runIds: created.map((r) => r.id) },
    });
    return { runs: created.map(runView) };
  }

  async runs(id: string, request: PageRequest): Promise<Page<RunView>> {
    await this.connections.find(id);
    const [rows, total] = await this.dataSource
      .getRepository(SyncRunEntity)
      .findAndCount({ where: { connectionId: id }, order: { createdAt: 'DESC' }, skip: request.skip, take: request.pageSize });
    return pageOf(rows.map(runView), total, request);
  }

  async run(runId: string, logPage: PageRequest) {
    const run = /^[0-9a-f-]{36}$/i.test(runId) ? await this.dataSource.getRepository(SyncRunEntity).findOneBy({ id: runId }) : null;
    if (!run) throw new NotFoundException(problem(404, `There is no sync run ${runId}.`));
    const [lines, total] = await this.dataSource
      .getRepository(SyncRunLogEntity)
      .findAndCount({ where: { runId }, order: { at: 'ASC' }, skip: logPage.skip, take: logPage.pageSize });
    return {
      run: { ...runView(run), apiCallsByEndpoint: run.apiCallsByEndpoint },
      log: pageOf(
        lines.map((l) => ({ at: l.at.toISOString(), level: l.level, message: l.message, details: l.details })),
        total,
        logPage,
      ),
    };
  }

  async deadLetters(id: string, request: PageRequest) {
    await this.connections.find(id);
    const [rows, total] = await this.dataSource.getRepository(WritebackOutboxEntity).findAndCount({
      where: { connectionId: id, status: 'dead' },
      order: { updatedAt: 'DESC' },
      skip: request.skip,
      take: request.pageSize,
    });
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        stream: r.stream,
        object: r.object,
        externalId: r.externalId,
        fields: r.fields,
        modelVersion: r.modelVersion,
        attempts: r.attempts,
        errorCode: r.errorCode,
        vendorErrorCode: r.vendorErrorCode,
        lastError: r.lastError,
        failedAt: r.updatedAt.toISOString(),
      })),
      total,
      request,
    );
  }

  /** Puts dead letters back in the outbox (pending, attempts 0, due now) and wakes the write-back job per stream. */
  async replay(request: Request, actor: AdminPrincipal, id: string, outboxId: string | null): Promise<{ replayed: number }> {
    await this.connections.find(id);
    if (outboxId !== null && !/^[0-9a-f-]{36}$/i.test(outboxId))
      throw new NotFoundException(problem(404, `There is no dead letter ${outboxId}.`));
    const rows = (await this.dataSource.query(
      `UPDATE writeback_outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
       WHERE connection_id = $1 AND status = 'dead' ${outboxId ? 'AND id = $2' : ''}
       RETURNING id, stream`,
      outboxId ? [id, outboxId] : [id],
    )) as [Array<{ id: string; stream: string }>, number];
    const replayed = rows[0];
    if (outboxId && !replayed.length)
      throw new NotFoundException(problem(404, `There is no dead letter ${outboxId} on this connection (already replayed?).`));
    for (const stream of new Set(replayed.map((r) => r.stream))) {
      await this.queue.send(QUEUE_NAMES.writeback, { connectionId: id, stream });
    }
    await this.audit.record(request, actor, {
      action: outboxId ? 'dead_letter.replay' : 'dead_letter.replay_all',
      targetType: 'connection',
      targetId: id,
      details: { count: replayed.length, ...(outboxId ? { outboxId } : {}) },
    });
    return { replayed: replayed.length };
  }
}
