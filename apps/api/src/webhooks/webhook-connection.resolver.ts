/**
 * The connection a webhook claims to be for, with its verification secrets decrypted in memory only.
 * Results (including "no such connection") are kept for a few seconds so the ack path at 1,000
 * events/s does not query and decrypt per request, and so a known and an unknown id cost the same
 * (a cache hit either way). A paused connection, another vendor's connection, and one without
 * webhook secrets all come back as null: the caller cannot tell them from a missing one.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import type { WebhookSecrets } from '@fieldcast/connector-sdk';
import { ConnectionEntity } from '@fieldcast/database';
import { CONFIG, LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { decryptSecrets, type StoredSecrets } from '@fieldcast/sync-engine';
import type { FieldcastConfig } from '@fieldcast/config';
import { LruCache } from '../scoring-api/lru-cache';
import { WEBHOOK_PROVIDERS, webhookContext, type WebhookProvider } from './webhook-providers';

export interface WebhookTarget {
  connectionId: string;
  secrets: WebhookSecrets;
  context: { integrationUserId?: string; appId?: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TTL_MS = 10_000;

@Injectable()
export class WebhookConnectionResolver {
  private readonly cache = new LruCache<WebhookTarget | null>(10_000, TTL_MS);

  constructor(
    private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  async resolve(provider: WebhookProvider, connectionId: string): Promise<WebhookTarget | null> {
    if (!UUID.test(connectionId)) return null;
    const key = `${provider}:${connectionId.toLowerCase()}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const target = await this.load(provider, connectionId);
    this.cache.set(key, target);
    return target;
  }

  decoy(provider: WebhookProvider): WebhookSecrets {
    return WEBHOOK_PROVIDERS[provider].decoySecrets(this.publicUrl());
  }

  /** Forget cached connections (after an admin changed or paused one in this process). */
  invalidate(): void {
    this.cache.clear();
  }

  private publicUrl(): string {
    return this.config.publicUrl.replace(/\/+$/, '');
  }

  private async load(provider: WebhookProvider, connectionId: string): Promise<WebhookTarget | null> {
    const connection = await this.dataSource.getRepository(ConnectionEntity).findOneBy({ id: connectionId });
    if (!connection || connection.vendor !== provider || connection.status === 'paused') return null;
    let stored: StoredSecrets | null = null;
    if (connection.secretsCiphertext) {
      try {
        stored = decryptSecrets(this.secretBox, connection);
      } catch (error) {
        // A key rotation gone wrong must not turn into 500s for the vendor; the admin sees it in the log.
        this.log.error({ err: error, connectionId }, 'cannot decrypt the connection secrets for webhook verification');
      }
    }
    const secrets = WEBHOOK_PROVIDERS[provider].secrets(connection, stored, this.publicUrl());
    if (!secrets) return null;
    return { connectionId: connection.id, secrets, context: webhookContext(connection) };
  }
}
