import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobQueue } from '@fieldcast/sync-engine';
import type { Platform } from './platform';

export const PLATFORM = Symbol('PLATFORM');
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');

/** Makes the process's Platform (config, logger, DataSource, JobQueue) injectable everywhere. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(platform: Platform): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: PLATFORM, useValue: platform },
        { provide: CONFIG, useValue: platform.config },
        { provide: LOGGER, useValue: platform.log },
        { provide: DataSource, useValue: platform.dataSource },
        { provide: JobQueue, useValue: platform.queue },
      ],
      exports: [PLATFORM, CONFIG, LOGGER, DataSource, JobQueue],
    };
  }
}
