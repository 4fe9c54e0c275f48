import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PlatformModule, type Platform } from '@fieldcast/runtime';
import { AdminModule } from './admin/admin.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { PipelineMetrics } from './metrics/pipeline-metrics';
import { ProblemDetailsFilter } from './problem/problem-details.filter';
import { ScoringApiModule } from './scoring-api/scoring-api.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class ApiModule {
  static forRoot(platform: Platform): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(platform),
        TerminusModule.forRoot({ logger: false, errorLogStyle: 'pretty' }),
        ScoringApiModule.forRoot(),
        WebhooksModule,
        AdminModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }, PipelineMetrics],
    };
  }
}
