/**
 * The versioned scoring API (v1). Order of checks: key (401/403/429) before anything about the body,
 * so an anonymous caller learns nothing and cannot spend server CPU on validation; then media type
 * (415), body (400/413/422), model (503) and the deadline (503).
 */
import { Controller, Get, Header, HttpCode, HttpException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ModelArtifact, ScoringTask } from '@fieldcast/scoring';
import { problem } from '../problem/problem-details';
import { ApiKeyAuthService } from './api-key-auth.service';
import { checkPredictRequest } from './predict-request.schema';
import { ApiModelErrors, ApiPredictOperation } from './scoring-api.openapi';
import { scoringApiMetrics } from './scoring-api.metrics';
import { apiMetadata, ScoringApiService, type ApiModelMetadata, type PredictResponse } from './scoring-api.service';
import { isScoringTask, SCORING_API_TASKS } from './scoring-task';

const DEADLINE_HEADER = 'fieldcast-deadline-ms';

export interface ModelDescription extends ApiModelMetadata {
  /** The fields the model reads, with their types: what a caller should send. */
  fields: Array<{ name: string; type: string; label?: string; required?: boolean }>;
  status: { autoWriteAllowed: boolean; reasons: string[] };
  provenance: Record<string, unknown>;
}

function taskOrNotFound(task: string): ScoringTask {
  if (!isScoringTask(task)) {
    throw new HttpException(problem(404, `Unknown task ${JSON.stringify(task)}; expected ${SCORING_API_TASKS.join(', ')}.`), 404);
  }
  return task;
}

function connectionIdQuery(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !z.uuid().safeParse(value).success) {
    throw new HttpException(
      problem(400, 'connectionId must be a connection id (UUID).', {
        errors: [{ pointer: '/connectionId', detail: `expected a UUID, got ${JSON.stringify(value)}` }],
      }),
      400,
    );
  }
  return value;
}

@ApiTags('scoring')
@Controller('v1')
export class ScoringApiController {
  constructor(
    private readonly auth: ApiKeyAuthService,
    private readonly scoring: ScoringApiService,
  ) {}

  @Post('predict/lead-score')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lead score: calibrated conversion probability, 1–99 score, tier and reasons' })
  @ApiHeader({
    name: 'Fieldcast-Deadline-Ms',
    required: false,
    description: 'Answer 503 instead of taking longer than this (at most the server deadline, 2000 ms)',
  })
  @ApiPredictOperation('lead-score')
  leadScore(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PredictResponse> {
    return this.handle('lead-score', req, res);
  }

  @Post('predict/ticket-category')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ticket category: label with calibrated confidence and the top 3 alternatives' })
  @ApiHeader({ name: 'Fieldcast-Deadline-Ms', required: false, description: 'Answer 503 instead of taking longer than this' })
  @ApiPredictOperation('ticket-category')
  ticketCategory(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PredictResponse> {
    return this.handle('ticket-category', req, res);
  }

  @Post('predict/escalation-risk')
  @HttpCode(200)
  @ApiOperation({ summary: 'Escalation risk: calibrated probability that the ticket escalates, tier and reasons' })
  @ApiHeader({ name: 'Fieldcast-Deadline-Ms', required: false, description: 'Answer 503 instead of taking longer than this' })
  @ApiPredictOperation('escalation-risk')
  escalationRisk(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PredictResponse> {
    return this.handle('escalation-risk', req, res);
  }

  @Get('models/:task')
  @ApiOperation({ summary: 'Metadata of the model that would answer this task (for a connection, or the default)' })
  @ApiParam({ name: 'task', enum: SCORING_API_TASKS })
  @ApiQuery({ name: 'connectionId', required: false, description: "Describe that connection's model" })
  @ApiOkResponse({ description: 'Model card: id, version, trained-at, training size, held-out metrics, fields read, provenance' })
  @ApiModelErrors()
  async describe(
    @Param('task') taskParam: string,
    @Query('connectionId') connectionParam: unknown,
    @Req() req: Request,
  ): Promise<ModelDescription> {
    const task = taskOrNotFound(taskParam);
    await this.auth.authorize(req.headers.authorization, task);
    const resolved = await this.scoring.resolveFor(task, connectionIdQuery(connectionParam));
    const artifact = resolved.model.artifact;
    return {
      ...apiMetadata(resolved),
      fields: artifact.featureSchema.fields.map((f) => ({
        name: f.name,
        type: f.type,
        ...(f.label ? { label: f.label } : {}),
        ...(f.required ? { required: true } : {}),
      })),
      status: { autoWriteAllowed: artifact.status.autoWriteAllowed, reasons: artifact.status.reasons },
      provenance: { ...artifact.provenance },
    };
  }

  @Get('models/:task/artifact')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Export the model artifact (versioned JSON) for in-process scoring with @fieldcast/scoring (embedded pattern)' })
  @ApiParam({ name: 'task', enum: SCORING_API_TASKS })
  @ApiQuery({ name: 'connectionId', required: false })
  @ApiOkResponse({ description: 'The artifact JSON, loadable with loadArtifact()' })
  @ApiModelErrors()
  async artifact(
    @Param('task') taskParam: string,
    @Query('connectionId') connectionParam: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ModelArtifact> {
    const task = taskOrNotFound(taskParam);
    await this.auth.authorize(req.headers.authorization, task);
    const resolved = await this.scoring.resolveFor(task, connectionIdQuery(connectionParam));
    const { modelId, version } = resolved.model.metadata;
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${`${task}-${modelId}-v${version}`.replace(/[^A-Za-z0-9._-]/g, '_')}.json"`,
    );
    return resolved.model.artifact;
  }

  private async handle(task: ScoringTask, req: Request, res: Response): Promise<PredictResponse> {
    const metrics = scoringApiMetrics();
    const started = process.hrtime.bigint();
    let status = 200;
    try {
      const key = await this.auth.authorize(req.headers.authorization, task);
      res.setHeader('RateLimit-Limit', String(key.rateLimitPerMinute));
      res.setHeader('RateLimit-Remaining', String(key.remaining));
      if (!req.is('application/json')) {
        throw new HttpException(problem(415, 'Send the body as application/json.'), 415);
      }
      const check = checkPredictRequest(req.body);
      if (!check.ok) throw new HttpException(problem(check.status, check.detail, { errors: check.errors }), check.status);
      const response = await this.scoring.predict(task, check.value, this.deadlineFor(req));
      metrics.latency.observe({ task }, Number(process.hrtime.bigint() - started) / 1e9);
      return response;
    } catch (error) {
      status = error instanceof HttpException ? error.getStatus() : 500;
      throw error;
    } finally {
      metrics.requests.inc({ task, status: String(status) });
    }
  }

  /** A caller may ask for a shorter deadline than the server's, never a longer one. */
  private deadlineFor(req: Request): number {
    const raw = req.headers[DEADLINE_HEADER];
    const asked = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : undefined;
    return asked !== undefined && asked >= 1 ? Math.min(asked, this.scoring.deadlineMs) : this.scoring.deadlineMs;
  }
}
