import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Platform } from '@fieldcast/runtime';
import { WorkerModule } from './worker.module';
import { WorkerRegistrar } from './worker.registrar';

/** The worker role: job handlers on the shared queue and the schedules (which only enqueue). No HTTP. */
export async function startWorker(platform: Platform): Promise<{ context: INestApplicationContext; queues: string[] }> {
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(platform), { logger: false });
  const queues = await context.get(WorkerRegistrar).register();
  return { context, queues };
}
