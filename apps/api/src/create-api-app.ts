import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Platform } from '@fieldcast/runtime';
import { ApiModule } from './api.module';
import { NestPinoLogger } from './nest-pino.logger';

/** Builds the HTTP app (not listening yet), so tests and the launcher share the exact same setup. */
export async function createApiApp(platform: Platform): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(platform), {
    // Webhook signatures are verified on the raw bytes.
    rawBody: true,
    bodyParser: false,
    logger: new NestPinoLogger(platform.log),
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.useBodyParser('text', { limit: '1mb', type: ['text/xml', 'application/soap+xml', 'text/plain'] });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Fieldcast API')
      .setDescription('Scoring API (v1), admin API, webhook ingress and health. Errors are RFC 9457 problem+json.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Scoring API key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export async function startApi(platform: Platform): Promise<{ app: INestApplication; url: string }> {
  const app = await createApiApp(platform);
  try {
    await app.listen(platform.config.PORT, platform.config.HOST);
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(`Port ${platform.config.PORT} is already in use on ${platform.config.HOST}. Set PORT to a free port.`, {
        cause: error,
      });
    if (code === 'EACCES')
      throw new Error(`Not allowed to listen on port ${platform.config.PORT}. Use a port above 1023 (set PORT).`, { cause: error });
    throw error;
  }
  return { app, url: platform.config.publicUrl };
}
