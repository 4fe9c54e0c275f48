/**
 * The admin side of the API: sign-in and sessions, the admin API under /admin/api (every route
 * behind AdminSessionGuard), and the settings UI served at `/`.
 */
import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AdminAuthController } from './auth/admin-auth.controller';
import { AdminAuthService } from './auth/admin-auth.service';
import { AdminSessionGuard } from './auth/admin-session.guard';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { ConnectionHealthService } from './connections/connection-health.service';
import { ConnectionsController } from './connections/connections.controller';
import { ConnectionsService } from './connections/connections.service';
import { ConnectorAccessService } from './connections/connector-access.service';
import { StreamsService } from './connections/streams.service';
import { ModelsController } from './models/models.controller';
import { ModelsService } from './models/models.service';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthFlowService } from './oauth/oauth-flow.service';
import { RunsController } from './runs/runs.controller';
import { SyncControlService } from './runs/sync-control.service';
import { SettingsUiBuilder } from './ui/settings-ui.builder';
import { SettingsUiMiddleware } from './ui/settings-ui.middleware';

@Module({
  controllers: [
    AdminAuthController,
    OAuthController,
    ConnectionsController,
    RunsController,
    ModelsController,
    ApiKeysController,
    AuditController,
  ],
  providers: [
    AdminAuthService,
    AdminSessionGuard,
    AuditService,
    ConnectorAccessService,
    ConnectionHealthService,
    ConnectionsService,
    StreamsService,
    OAuthFlowService,
    SyncControlService,
    ModelsService,
    SettingsUiBuilder,
  ],
})
export class AdminModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SettingsUiMiddleware).forRoutes('{*path}');
  }
}
