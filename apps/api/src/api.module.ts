import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PlatformModule, type Platform } from '@fieldcast/runtime';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ProblemDetailsFilter } from './problem/problem-details.filter';

@Module({})
export class ApiModule {
  static forRoot(platform: Platform): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forRoot(platform), TerminusModule.forRoot({ logger: false, errorLogStyle: 'pretty' })],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
