import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { JobQueue } from '@fieldcast/sync-engine';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
  ) {}

  /** The process is up (for restart decisions); never touches dependencies. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: database and queue reachable (for load balancers and start-up scripts). */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database and job queue reachable' })
  ready() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.dataSource.query('SELECT 1');
          })
          .withTimeout(3000),
      () =>
        this.indicators
          .check('queue')
          .attempt(() => this.queue.ping())
          .withTimeout(3000),
    ]);
  }
}
