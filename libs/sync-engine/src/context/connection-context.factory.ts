/**
 * Builds a ConnectorContext for one connection: credentials decrypted only in memory, the
 * connection's rate budget, a logger that also writes the run's log lines, and a refresh hook that
 * persists a new token (encrypted) before the connector uses it again.
 */
import type { DataSource } from 'typeorm';
import type { SecretBox } from '@fieldcast/common';
import type { ConnectionCredentials, ConnectionSettings, ConnectorContext, ConnectorLogger, RateBudget } from '@fieldcast/connector-sdk';
import { ConnectionEntity } from '@fieldcast/database';

export interface StoredSecrets {
  credentials: ConnectionCredentials;
  /** HubSpot client secret / Zendesk signing secret, for webhook verification. */
  webhookSigningSecret?: string;
}

export function encryptSecrets(secrets: SecretBox, connectionId: string, value: StoredSecrets): string {
  return secrets.encryptJson(value, `connection:${connectionId}`);
}

export function decryptSecrets(secrets: SecretBox, connection: ConnectionEntity): StoredSecrets {
  if (!connection.secretsCiphertext) throw new Error(`Connection ${connection.name} has no stored credentials; connect it again.`);
  return secrets.decryptJson<StoredSecrets>(connection.secretsCiphertext, `connection:${connection.id}`);
}

export function buildConnectorContext(options: {
  dataSource: DataSource;
  secrets: SecretBox;
  connection: ConnectionEntity;
  budget: RateBudget;
  log: ConnectorLogger;
  signal?: AbortSignal;
}): ConnectorContext {
  const { dataSource, secrets, connection } = options;
  const stored = decryptSecrets(secrets, connection);
  return {
    connectionId: connection.id,
    credentials: stored.credentials,
    settings: connection.settings as unknown as ConnectionSettings,
    budget: options.budget,
    log: options.log,
    signal: options.signal,
    async onCredentialsRefreshed(next) {
      stored.credentials = next;
      await dataSource
        .getRepository(ConnectionEntity)
        .update({ id: connection.id }, { secretsCiphertext: encryptSecrets(secrets, connection.id, stored) });
    },
  };
}
