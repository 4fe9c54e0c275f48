import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { principalOf } from '../auth/admin-principal';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { ModelsService } from './models.service';

@ApiTags('admin: models')
@Controller('admin/api/connections/:id/models')
@UseGuards(AdminSessionGuard)
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @ApiOperation({ summary: 'Model cards per task: champion, versions, training size, held-out metrics, curves, top fields' })
  @ApiOkResponse({
    description:
      'Per task { task, champion, versions }; a version carries curveKind (binary | categories), curveRows, ' +
      'roc [{ fpr, tpr }], calibration [{ predicted, observed, count }], scoreHistogram [{ start, end, count, positives, correct }] ' +
      '(each null when the artifact has none; computed on cross-fitted held-out predictions) and topFields',
  })
  cards(@Param('id') id: string) {
    return this.models.cards(id);
  }

  @Post(':task/retrain')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a retrain of the task on this connection’s synced history' })
  retrain(@Req() request: Request, @Param('id') id: string, @Param('task') task: string) {
    return this.models.retrain(request, principalOf(request), id, task);
  }

  @Post(':task/rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Roll back to the previously promoted version' })
  rollback(@Req() request: Request, @Param('id') id: string, @Param('task') task: string) {
    return this.models.rollback(request, principalOf(request), id, task);
  }

  @Post('versions/:artifactId/promote')
  @HttpCode(200)
  @ApiOperation({ summary: 'Promote a version to champion (the current champion is retired)' })
  promote(@Req() request: Request, @Param('id') id: string, @Param('artifactId') artifactId: string) {
    return this.models.promote(request, principalOf(request), id, artifactId);
  }
}
