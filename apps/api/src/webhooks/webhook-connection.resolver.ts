/**
 * The connection a webhook claims to be for, with its verification secrets decrypted in memory only.
 * Results (including "no such connection") are cached, so the ack path at 1,000 events/s neither
 * queries nor decrypts per request, and a known and an unknown id cost the same (a cache hit either
 * way). A paused connection, another vendor's connection, and one without webhook secrets all come
 * back as null: the caller cannot tell them from a missing one.
 *
 * Invalidation works across processes: every REVALIDATE_MS one indexed query reads `updated_at` of
 * the cached connections that exist, and drops entries whose row changed (new secret, paused,
 * re-authorised: every write through TypeORM bumps updated_at) or is gone. So a secret change or a
 * pause made by any process takes effect here within about two seconds, and the TTL only bounds
 * staleness if that query keeps failing.
 */
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import type { WebhookSecrets } from '@fieldcast/connector-sdk';
import { ConnectionEntity } from '@fieldcast/database';
import { CONFIG, LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { decryptSecrets, type StoredSecrets } from '@fieldcast/sync-engine';
import type { FieldcastConfig } from '@fieldcast/config';
import { WEBHOOK_PROVIDERS, webhookContext, type WebhookProvider } from './webhook-providers';

export interface WebhookTarget {
  connectionId: string;
  secrets: WebhookSecrets;
  context: { integrationUserId?: string; appId?: string };
}

interface Entry {
  target: WebhookTarget | null;
  connectionId: string;
  /** updated_at of the row when loaded (ISO), or null when there was no row. */
  updatedAt: string | null;
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const WEBHOOK_CONNECTION_TTL_MS = 30_000;
export const WEBHOOK_CONNECTION_REVALIDATE_MS = 2_000;
const MAX_ENTRIES = 10_000;

@Injectable()
export class WebhookConnectionResolver implements OnModuleDestroy {
  private readonly cache = new Map<string, Entry>();
  private timer?: NodeJS.Timeout;
  private revalidating = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  async resolve(provider: WebhookProvider, connectionId: string, now = Date.now()): Promise<WebhookTarget | null> {
    if (!UUID.test(connectionId)) return null;
    const id = connectionId.toLowerCase();
    const key = `${provider}:${id}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.target;
    const entry = await this.load(provider, id, now);
    this.cache.delete(key);
    this.cache.set(key, entry);
    // Map keeps insertion order: the first key is the oldest entry.
    while (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.timer ??= setInterval(() => void this.revalidate(), WEBHOOK_CONNECTION_REVALIDATE_MS).unref();
    return entry.target;
  }

  decoy(provider: WebhookProvider): WebhookSecrets {
    return WEBHOOK_PROVIDERS[provider].decoySecrets(this.publicUrl());
  }

  /** Forget every cached connection at once (this process only; other processes revalidate). */
  invalidate(): void {
    this.cache.clear();
  }

  /** Drops entries whose connection row changed or disappeared since it was loaded. */
  async revalidate(): Promise<number> {
    if (this.revalidating) return 0;
    const ids = [...new Set([...this.cache.values()].filter((e) => e.updatedAt !== null).map((e) => e.connectionId))];
    if (ids.length === 0) return 0;
    this.revalidating = true;
    try {
      const rows = (await this.dataSource.query(`SELECT id::text AS id, updated_at FROM connection WHERE id = ANY($1::uuid[])`, [
        ids,
      ])) as Array<{
        id: string;
        updated_at: Date;
      }>;
      const current = new Map(rows.map((r) => [r.id, new Date(r.updated_at).toISOString()]));
      let dropped = 0;
      for (const [key, entry] of this.cache) {
        if (entry.updatedAt !== null && current.get(entry.connectionId) !== entry.updatedAt) {
          this.cache.delete(key);
          dropped += 1;
        }
      }
      return dropped;
    } catch (error) {
      this.log.warn({ err: error }, 'webhook connection cache: revalidation failed; entries expire on their TTL');
      return 0;
    } finally {
      this.revalidating = false;
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private publicUrl(): string {
    return this.config.publicUrl.replace(/\/+$/, '');
  }

  private async load(provider: WebhookProvider, connectionId: string, now: number): Promise<Entry> {
    const connection = await this.dataSource.getRepository(ConnectionEntity).findOneBy({ id: connectionId });
    const entry = (target: WebhookTarget | null): Entry => ({
      target,
      connectionId,
      updatedAt: connection ? new Date(connection.updatedAt).toISOString() : null,
      expiresAt: now + WEBHOOK_CONNECTION_TTL_MS,
    });
    if (!connection || connection.vendor !== provider || connection.status === 'paused') return entry(null);
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
    return entry(secrets ? { connectionId: connection.id, secrets, context: webhookContext(connection) } : null);
  }
}
