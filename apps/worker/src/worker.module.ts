import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PlatformModule, type Platform } from '@fieldcast/runtime';
import { DiagnosticJob } from './jobs/diagnostic.job';
import { WorkerRegistrar } from './worker.registrar';

@Module({})
export class WorkerModule {
  static forRoot(platform: Platform): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(platform), ScheduleModule.forRoot()],
      providers: [DiagnosticJob, WorkerRegistrar],
    };
  }
}
