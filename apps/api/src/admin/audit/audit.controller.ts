import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuditLogEntity } from '@fieldcast/database';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { pageOf, pageRequest } from '../common/pagination';

@ApiTags('admin: audit log')
@Controller('admin/api/audit-log')
@UseGuards(AdminSessionGuard)
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Who did what, when and from where (newest first, paginated; optional ?action= filter)' })
  async list(@Query() query: Record<string, unknown>) {
    const request = pageRequest(query);
    const action = typeof query['action'] === 'string' && query['action'] ? query['action'] : undefined;
    const [rows, total] = await this.dataSource
      .getRepository(AuditLogEntity)
      .findAndCount({ where: action ? { action } : {}, order: { createdAt: 'DESC' }, skip: request.skip, take: request.pageSize });
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        at: r.createdAt.toISOString(),
        actorType: r.actorType,
        actor: r.actorLabel,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        details: r.details,
        ip: r.ip,
        userAgent: r.userAgent,
      })),
      total,
      request,
    );
  }
}
