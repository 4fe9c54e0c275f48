import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectorRegistry, JobQueue } from '@fieldcast/sync-engine';
import { SecretBox } from '@fieldcast/common';
import type { Platform } from './platform';

export const PLATFORM = Symbol('PLATFORM');
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');

/** Makes the process's Platform (config, logger, DataSource, JobQueue, ConnectorRegistry, SecretBox) injectable everywhere. */
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
        { provide: ConnectorRegistry, useValue: platform.registry },
        { provide: SecretBox, useValue: platform.secrets },
      ],
      exports: [PLATFORM, CONFIG, LOGGER, DataSource, JobQueue, ConnectorRegistry, SecretBox],
    };
  }
}
