import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { principalOf } from '../auth/admin-principal';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { pageRequest } from '../common/pagination';
import { openApiSchema } from '../common/zod-validation';
import { scheduleSchema, SyncControlService, syncNowSchema } from './sync-control.service';

@ApiTags('admin: sync')
@Controller('admin/api')
@UseGuards(AdminSessionGuard)
export class RunsController {
  constructor(private readonly sync: SyncControlService) {}

  @Put('connections/:id/schedule')
  @ApiOperation({ summary: 'Set the schedule: {"kind":"interval","minutes":15} (>= 1) or {"kind":"cron","expression":"*/15 * * * *"}' })
  @ApiBody({ schema: openApiSchema(scheduleSchema) })
  schedule(@Req() request: Request, @Param('id') id: string, @Body() body: unknown) {
    return this.sync.setSchedule(request, principalOf(request), id, body);
  }

  @Post('connections/:id/sync')
  @HttpCode(202)
  @ApiOperation({ summary: 'Sync now: creates a queued run per stream and enqueues it; follow it with GET /admin/api/runs/{runId}' })
  @ApiBody({ schema: openApiSchema(syncNowSchema) })
  syncNow(@Req() request: Request, @Param('id') id: string, @Body() body: unknown) {
    return this.sync.syncNow(request, principalOf(request), id, body);
  }

  @Get('connections/:id/runs')
  @ApiOperation({ summary: 'Run history with counts and duration, newest first, paginated' })
  runs(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    return this.sync.runs(id, pageRequest(query));
  }

  @Get('runs/:runId')
  @ApiOperation({ summary: 'One run with its log lines (paginated with ?page=&pageSize=)' })
  run(@Param('runId') runId: string, @Query() query: Record<string, unknown>) {
    return this.sync.run(runId, pageRequest({ pageSize: 200, ...query }));
  }

  @Get('connections/:id/dead-letters')
  @ApiOperation({ summary: 'Write-backs that failed for good, with the vendor error code and message, paginated' })
  deadLetters(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    return this.sync.deadLetters(id, pageRequest(query));
  }

  @Post('connections/:id/dead-letters/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay every dead letter of the connection' })
  replayAll(@Req() request: Request, @Param('id') id: string) {
    return this.sync.replay(request, principalOf(request), id, null);
  }

  @Post('connections/:id/dead-letters/:outboxId/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay one dead letter' })
  replayOne(@Req() request: Request, @Param('id') id: string, @Param('outboxId') outboxId: string) {
    return this.sync.replay(request, principalOf(request), id, outboxId);
  }
}
