/**
 * Builds a ConnectorContext for one connection: credentials decrypted only in memory, the
 * connection's rate budget, a logger that also writes the run's log lines, and a refresh hook that
 * persists a new token (encrypted) before the connector uses it again.
 */
import type { DataSource, EntityManager } from 'typeorm';
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
  const persist = (manager: Pick<DataSource, 'getRepository'>) =>
    manager
      .getRepository(ConnectionEntity)
      .update({ id: connection.id }, { secretsCiphertext: encryptSecrets(secrets, connection.id, stored) });
  /** Runs `work` with the connection's secrets as stored now, under the connection's credentials lock. */
  const withLatestSecrets = <T>(work: (tx: EntityManager, latest: StoredSecrets) => Promise<T>): Promise<T> =>
    dataSource.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`credentials:${connection.id}`]);
      return work(tx, decryptSecrets(secrets, await tx.getRepository(ConnectionEntity).findOneByOrFail({ id: connection.id })));
    });
  const ctx: ConnectorContext = {
    connectionId: connection.id,
    credentials: stored.credentials,
    settings: connection.settings as unknown as ConnectionSettings,
    budget: options.budget,
    log: options.log,
    signal: options.signal,
    async onCredentialsRefreshed(next) {
      // Only the credentials change: the other secrets are taken as stored now (an admin may have
      // changed the webhook secret since this context was built, and must not be reverted).
      await withLatestSecrets(async (tx, latest) => {
        Object.assign(stored, latest, { credentials: next });
        ctx.credentials = next;
        await persist(tx);
      });
    },
    /**
     * One refresh per connection at a time, across every process: a transaction-scoped advisory lock
     * (not a row lock, so syncs and admin edits of the connection row never wait behind a token
     * request). Inside it the stored credentials are read again, so a process that waited sees the
     * token the first one got instead of spending a rotated refresh token a second time.
     */
    async refreshCredentialsExclusively(refresh) {
      return withLatestSecrets(async (tx, latest) => {
        const next = await refresh(latest.credentials);
        Object.assign(stored, latest, { credentials: next });
        ctx.credentials = next;
        if (JSON.stringify(next) !== JSON.stringify(latest.credentials)) await persist(tx);
        return next;
      });
    },
  };
  return ctx;
}
