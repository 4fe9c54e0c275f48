import type { LoggerService } from '@nestjs/common';
import type { FieldcastLogger } from '@fieldcast/runtime';

/** Routes Nest's own log lines into the structured logger. Route-mapping chatter stays at debug. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: FieldcastLogger) {}

  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
