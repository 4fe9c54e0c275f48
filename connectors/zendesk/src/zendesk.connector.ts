/**
 * The Zendesk connector: the tickets stream over node-zendesk (API token or OAuth), incremental sync
 * from the cursor-based export with a compound cursor, tombstone deletes, ticket-field provisioning
 * and check, update_many write-back with job-status polling, X-Rate-Limit / Retry-After into the rate
 * budget, and signed event-subscription webhooks with echo suppression. Raw Zendesk shapes never
 * leave this folder.
 */
import { chunk } from '@fieldcast/common';
import {
  ConnectorException,
  resolveVendorCallPolicy,
  type CheckResult,
  type Connector,
  type ConnectorContext,
  type ConnectorDescriptor,
  type FetchPageRequest,
  type FetchPageResult,
  type FieldProvisionResult,
  type FieldSpec,
  type SyncedRecord,
  type VendorCallPolicy,
  type WriteOp,
  type WriteResult,
} from '@fieldcast/connector-sdk';
import { ZendeskFieldCatalog } from './mappers/zendesk-field-catalog';
import { mapZendeskTicket, type ZendeskMappingContext } from './mappers/zendesk-ticket.mapper';
import { ZENDESK_TICKETS_STREAM } from './streams/zendesk-tickets.stream';
import { fetchZendeskTicketsPage } from './streams/zendesk-tickets.reader';
import { createZendeskCall, type ZendeskCall } from './zendesk-call';
import { checkZendeskConnection } from './zendesk-check';
import { parseZendeskOptions } from './zendesk-connector.options';
import { listZendeskTicketFields, provisionZendeskFields } from './zendesk-fields.provisioner';
import type { ZendeskRawTicket } from './zendesk-raw.types';
import { ZendeskSession } from './zendesk-session';
import { writeZendeskBatch, type ZendeskWritePolicy } from './zendesk-writer';
import { zendeskWebhookHandler } from './webhooks/zendesk-webhook.handler';

export interface ZendeskConnectorOptions {
  /** Attempts per vendor call for 429 / 5xx / network failures (node-zendesk retries nothing). Default 5. */
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Retry-After waits up to this long happen in the connector; longer ones go back to the engine. Default 15 s. */
  maxInlineWaitMs?: number;
  /** How long the ticket-field list and tier-2 groups are reused. Default 5 minutes. */
  catalogTtlMs?: number;
  /** Per-request timeout (node-zendesk has none). Default 30 s. */
  requestTimeoutMs?: number;
  /** OAuth: refresh an expiring access token when it has less than this left (or half its lifetime). Default 5 minutes. */
  refreshMarginMs?: number;
  write?: Partial<ZendeskWritePolicy>;
}

export const ZENDESK_DEFAULT_CALL_POLICY: VendorCallPolicy = { maxAttempts: 5, retryBaseMs: 500, maxInlineWaitMs: 15_000 };

interface CachedAccount {
  at: number;
  catalog: ZendeskFieldCatalog;
  tier2GroupIds: Set<number>;
}

export class ZendeskConnector implements Connector {
  readonly webhooks = zendeskWebhookHandler;
  private readonly accounts = new Map<string, CachedAccount>();
  private readonly retry: VendorCallPolicy;
  private readonly writePolicy: ZendeskWritePolicy;
  private readonly sessions = new WeakMap<ConnectorContext, ZendeskSession>();

  constructor(private readonly options: ZendeskConnectorOptions = {}) {
    this.retry = resolveVendorCallPolicy('Zendesk', options, ZENDESK_DEFAULT_CALL_POLICY);
    this.writePolicy = { jobsInFlight: 10, pollIntervalMs: 500, maxWaitMs: 120_000, ...options.write };
  }

  describe(): ConnectorDescriptor {
    return {
      vendor: 'zendesk',
      displayName: 'Zendesk Support',
      authModes: ['api_token', 'oauth2'],
      streams: [ZENDESK_TICKETS_STREAM],
      rateLimitModel:
        'Requests per minute per account by plan (200-2500; X-Rate-Limit / X-Rate-Limit-Remaining), 10 incremental exports per minute (30 with High Volume); 429 with Retry-After.',
      supportsWebhooks: true,
    };
  }

  async check(ctx: ConnectorContext): Promise<CheckResult> {
    const options = parseZendeskOptions(ctx.settings.options);
    return checkZendeskConnection(this.call(ctx), this.fieldSpecs(ctx), options.categoryFieldId);
  }

  async fetchPage(ctx: ConnectorContext, request: FetchPageRequest): Promise<FetchPageResult> {
    this.stream(request.stream);
    const call = this.call(ctx);
    return fetchZendeskTicketsPage(call, request, await this.mapping(ctx, call), ctx.log);
  }

  async fetchByIds(ctx: ConnectorContext, streamName: string, externalIds: string[]): Promise<SyncedRecord[]> {
    this.stream(streamName);
    const bad = externalIds.filter((id) => !/^\d+$/.test(id));
    if (bad.length) throw new ConnectorException('VALIDATION', `not Zendesk ticket ids: ${bad.slice(0, 5).join(', ')}`);
    const call = this.call(ctx);
    const mapping = await this.mapping(ctx, call);
    const out: SyncedRecord[] = [];
    for (const ids of chunk(externalIds, 100)) {
      // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#show-multiple-tickets
      const tickets = await call<ZendeskRawTicket[]>('GET /api/v2/tickets/show_many', 'read', (client) =>
        client.tickets.showMany(ids.map(Number)),
      );
      for (const raw of tickets) out.push(mapZendeskTicket(raw, mapping));
    }
    return out;
  }

  async ensureFields(ctx: ConnectorContext, streamName: string, fields: FieldSpec[]): Promise<FieldProvisionResult> {
    this.stream(streamName);
    const call = this.call(ctx);
    this.accounts.delete(ctx.connectionId);
    const account = await this.account(ctx, call);
    const result = await provisionZendeskFields(call, account.catalog, fields);
    this.accounts.delete(ctx.connectionId);
    return result;
  }

  async writeBatch(ctx: ConnectorContext, request: { stream: string; ops: WriteOp[] }): Promise<WriteResult[]> {
    this.stream(request.stream);
    const call = this.call(ctx);
    const account = await this.account(ctx, call);
    // A field missing from a cached catalog may have been created since: look once more before failing ops.
    const known = request.ops.every((op) => Object.keys(op.fields).every((name) => account.catalog.byTitle(name)));
    const catalog = known ? account.catalog : (await this.account(ctx, call, true)).catalog;
    return writeZendeskBatch(ctx, call, catalog, request.ops, this.writePolicy);
  }

  /** Field specs with the connection's configured names applied. */
  fieldSpecs(ctx: ConnectorContext): FieldSpec[] {
    const names = ctx.settings.fieldNames ?? {};
    return ZENDESK_TICKETS_STREAM.defaultFields.map((f) => ({ ...f, name: names[f.key] ?? f.name }));
  }

  private call(ctx: ConnectorContext): ZendeskCall {
    let session = this.sessions.get(ctx);
    if (!session) {
      session = new ZendeskSession(ctx, {
        requestTimeoutMs: this.options.requestTimeoutMs ?? 30_000,
        refreshMarginMs: this.options.refreshMarginMs ?? 5 * 60_000,
        retryBaseMs: this.retry.retryBaseMs,
      });
      this.sessions.set(ctx, session);
    }
    return createZendeskCall(ctx, session, this.retry);
  }

  private stream(name: string): void {
    if (name !== ZENDESK_TICKETS_STREAM.name)
      throw new ConnectorException('CONFIG', `unknown Zendesk stream '${name}' (known: ${ZENDESK_TICKETS_STREAM.name})`);
  }

  private async account(ctx: ConnectorContext, call: ZendeskCall, refresh = false): Promise<CachedAccount> {
    const cached = this.accounts.get(ctx.connectionId);
    if (cached && !refresh && Date.now() - cached.at < (this.options.catalogTtlMs ?? 300_000)) return cached;
    const options = parseZendeskOptions(ctx.settings.options);
    const catalog = new ZendeskFieldCatalog(await listZendeskTicketFields(call));
    let tier2 = options.tier2GroupIds;
    if (!tier2) {
      // https://developer.zendesk.com/api-reference/ticketing/groups/groups/#list-groups
      const groups = await call<Array<{ id: number; name: string }>>('GET /api/v2/groups', 'read', (client) =>
        client.groups.get(['groups']),
      );
      tier2 = groups.filter((g) => /tier[\s_-]*2|second line|escalation/i.test(g.name)).map((g) => g.id);
    }
    const account = { at: Date.now(), catalog, tier2GroupIds: new Set(tier2) };
    this.accounts.set(ctx.connectionId, account);
    return account;
  }

  private async mapping(ctx: ConnectorContext, call: ZendeskCall): Promise<ZendeskMappingContext> {
    const options = parseZendeskOptions(ctx.settings.options);
    const account = await this.account(ctx, call);
    return {
      catalog: account.catalog,
      options,
      categoryFieldId: options.categoryFieldId ?? account.catalog.byTitle('Category')?.id,
      tierFieldId: options.tierFieldId ?? account.catalog.byTitle('Customer Tier')?.id,
      tier2GroupIds: account.tier2GroupIds,
      fieldSpecs: this.fieldSpecs(ctx),
    };
  }
}
