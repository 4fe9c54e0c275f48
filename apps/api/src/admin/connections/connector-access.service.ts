/**
 * Builds a connector context for admin-initiated vendor calls ("Test connection", "Create fields"),
 * with a fresh rate budget and a logger into the process log.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import type { Connector, ConnectorContext, ConnectorLogger } from '@fieldcast/connector-sdk';
import type { ConnectionEntity } from '@fieldcast/database';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { buildConnectorContext, ConnectionRateBudget, ConnectorRegistry } from '@fieldcast/sync-engine';

@Injectable()
export class ConnectorAccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    readonly registry: ConnectorRegistry,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  connector(vendor: string): Connector {
    return this.registry.get(vendor);
  }

  context(connection: ConnectionEntity): ConnectorContext {
    const base = { connectionId: connection.id, vendor: connection.vendor, via: 'admin' };
    const log: ConnectorLogger = {
      debug: (message, details) => this.log.debug({ ...base, ...details }, message),
      info: (message, details) => this.log.info({ ...base, ...details }, message),
      warn: (message, details) => this.log.warn({ ...base, ...details }, message),
    };
    return buildConnectorContext({
      dataSource: this.dataSource,
      secrets: this.secrets,
      connection,
      budget: new ConnectionRateBudget(),
      log,
      signal: AbortSignal.timeout(60_000),
    });
  }
}
