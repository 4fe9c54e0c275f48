import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PlatformModule, type Platform } from '@fieldcast/runtime';
import { DiagnosticJob } from './jobs/diagnostic.job';
import { RetrainJob } from './jobs/retrain.job';
import { SyncJob } from './jobs/sync.job';
import { WebhookJob } from './jobs/webhook.job';
import { WritebackJob } from './jobs/writeback.job';
import { PipelineRunner } from './pipeline/pipeline.providers';
import { RunHistoryRetention } from './schedule/run-history-retention';
import { SyncScheduler } from './schedule/sync-scheduler';
import { WorkerRegistrar } from './worker.registrar';

@Module({})
export class WorkerModule {
  static forRoot(platform: Platform): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(platform), ScheduleModule.forRoot()],
      providers: [
        PipelineRunner,
        DiagnosticJob,
        SyncJob,
        WritebackJob,
        WebhookJob,
        RetrainJob,
        SyncScheduler,
        RunHistoryRetention,
        WorkerRegistrar,
      ],
    };
  }
}
