/**
 * Scoring API keys: created with a name, task scopes and a per-minute limit; the key itself is in
 * the creation answer only (the table keeps its SHA-256); revocable; lists show prefix and last use.
 */
import { Body, Controller, Get, HttpException, NotFoundException, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource, IsNull } from 'typeorm';
import { z } from 'zod';
import { generateApiKey } from '@fieldcast/common';
import { ApiKeyEntity } from '@fieldcast/database';
import { problem } from '../../problem/problem-details';
import { principalOf } from '../auth/admin-principal';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { AuditService } from '../audit/audit.service';
import { pageOf, pageRequest } from '../common/pagination';
import { openApiSchema, parseInput } from '../common/zod-validation';

export const SCORING_TASKS = ['lead-score', 'ticket-category', 'escalation-risk'] as const;

const createKeySchema = z
  .object({
    name: z
      .string({ message: 'expected a name for the key' })
      .trim()
      .min(1, 'expected a name, e.g. "website lead form"')
      .max(100, 'expected at most 100 characters'),
    scopes: z
      .array(z.enum(SCORING_TASKS, { message: `expected one of ${SCORING_TASKS.join(', ')}` }), { message: 'expected a list of tasks' })
      .min(1, 'expected at least one task the key may call'),
    rateLimitPerMinute: z
      .number({ message: 'expected requests per minute' })
      .int('expected a whole number')
      .min(1, 'expected 1 or more')
      .max(100_000, 'expected at most 100000')
      .default(600),
  })
  .strict();

function keyView(key: ApiKeyEntity) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    rateLimitPerMinute: key.rateLimitPerMinute,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

@ApiTags('admin: api keys')
@Controller('admin/api/api-keys')
@UseGuards(AdminSessionGuard)
export class ApiKeysController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'API keys (never the key itself), newest first, paginated' })
  async list(@Query() query: Record<string, unknown>) {
    const request = pageRequest(query);
    const [rows, total] = await this.dataSource
      .getRepository(ApiKeyEntity)
      .findAndCount({ order: { createdAt: 'DESC' }, skip: request.skip, take: request.pageSize });
    return pageOf(rows.map(keyView), total, request);
  }

  @Post()
  @ApiOperation({ summary: 'Create a key: the answer carries the key once; only its hash is stored' })
  @ApiBody({ schema: openApiSchema(createKeySchema) })
  async create(@Req() request: Request, @Body() body: unknown) {
    const input = parseInput(createKeySchema, body);
    const actor = principalOf(request);
    const generated = generateApiKey();
    const saved = await this.dataSource.getRepository(ApiKeyEntity).save({
      name: input.name,
      prefix: generated.prefix,
      keyHash: generated.hash,
      scopes: input.scopes,
      rateLimitPerMinute: input.rateLimitPerMinute,
      createdBy: actor.email,
    });
    await this.audit.record(request, actor, {
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: saved.id,
      details: { name: input.name, prefix: generated.prefix, scopes: input.scopes },
    });
    return { ...keyView(saved), key: generated.key };
  }

  @Post(':id/revoke')
  @ApiOperation({ summary: 'Revoke a key (immediately refused by the scoring API)' })
  async revoke(@Req() request: Request, @Param('id') id: string) {
    const repo = this.dataSource.getRepository(ApiKeyEntity);
    const key = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findOneBy({ id }) : null;
    if (!key) throw new NotFoundException(problem(404, `There is no API key ${id}.`));
    if (key.revokedAt) throw new HttpException(problem(409, `The key ${key.name} was already revoked.`), 409);
    await repo.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.audit.record(request, principalOf(request), {
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: id,
      details: { name: key.name, prefix: key.prefix },
    });
    return keyView((await repo.findOneBy({ id }))!);
  }
}
