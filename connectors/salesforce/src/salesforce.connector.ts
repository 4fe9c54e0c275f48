/**
 * The Salesforce connector: Lead and Case streams over jsforce (OAuth refresh on 401, keyset-paged
 * queryAll sync on (SystemModstamp, Id), deletes, Tooling-API field provisioning with field
 * permissions, composite write-back of 200, Sforce-Limit-Info into the rate budget, Outbound Message
 * webhooks). Raw Salesforce shapes never leave this folder.
 */
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
import { chunk } from '@fieldcast/common';
import type { Connection } from 'jsforce';
import { mapSalesforceRecord, type SalesforceRawRecord } from './mappers/salesforce-record.mapper';
import { salesforceCall } from './salesforce-call';
import { checkSalesforceConnection } from './salesforce-check';
import { salesforceOAuth } from './salesforce-oauth';
import { openSalesforceSession, SALESFORCE_DEFAULT_API_VERSION, type SalesforceSession } from './salesforce-connection.factory';
import { provisionSalesforceFields, type SalesforceDescribedField } from './salesforce-fields.provisioner';
import { writeSalesforceBatch } from './salesforce-writer';
import { SALESFORCE_CASES_STREAM } from './streams/salesforce-cases.stream';
import { fetchSalesforcePage } from './streams/salesforce-incremental.reader';
import { SALESFORCE_LEADS_STREAM } from './streams/salesforce-leads.stream';
import type { SalesforceStreamDefinition } from './streams/salesforce-stream.types';
import { salesforceOutboundMessageWebhook } from './webhooks/salesforce-outbound-message.webhook';

export interface SalesforceConnectorOptions {
  /** How far before the committed cursor an incremental run re-reads (default 5 minutes). */
  lookbackMs?: number;
  apiVersion?: string;
  /** Attempts per vendor call for transient failures, on top of jsforce's own GET retries (default 4). */
  maxAttempts?: number;
  /** Backoff base when Salesforce gives no wait, which is always (default 1 s). */
  retryBaseMs?: number;
  /** Waits longer than this go back to the engine instead of blocking a worker (default 60 s; the daily limit always does). */
  maxInlineWaitMs?: number;
  /** How long a describe result is reused (default 10 minutes). */
  describeTtlMs?: number;
  /** Share of the daily API allocation above which check() warns (default 0.5). */
  budgetShare?: number;
}

export const SALESFORCE_STREAMS: SalesforceStreamDefinition[] = [SALESFORCE_LEADS_STREAM, SALESFORCE_CASES_STREAM];

export const SALESFORCE_DEFAULT_CALL_POLICY: VendorCallPolicy = { maxAttempts: 4, retryBaseMs: 1000, maxInlineWaitMs: 60_000 };

type ScopedCall = <T>(endpoint: string, kind: 'read' | 'write', call: (conn: Connection) => PromiseLike<T>) => Promise<T>;

interface ConnectionOptions {
  lookbackMs: number;
  apiVersion: string;
  permissionSetId?: string;
}

export class SalesforceConnector implements Connector {
  readonly webhooks = salesforceOutboundMessageWebhook;
  readonly oauth = salesforceOAuth;
  private readonly describeCache = new Map<string, { at: number; fields: SalesforceDescribedField[] }>();
  private readonly policy: VendorCallPolicy;

  constructor(private readonly options: SalesforceConnectorOptions = {}) {
    this.policy = resolveVendorCallPolicy('Salesforce', options, SALESFORCE_DEFAULT_CALL_POLICY);
  }

  describe(): ConnectorDescriptor {
    return {
      vendor: 'salesforce',
      displayName: 'Salesforce',
      authModes: ['oauth2'],
      streams: SALESFORCE_STREAMS.map((s) => s.descriptor),
      rateLimitModel:
        'Daily API request allocation per org over a rolling 24 hours (Sforce-Limit-Info: api-usage=used/limit); 403 REQUEST_LIMIT_EXCEEDED when exhausted.',
      supportsWebhooks: true,
    };
  }

  async check(ctx: ConnectorContext): Promise<CheckResult> {
    return this.withSession(ctx, (call, session) =>
      checkSalesforceConnection({
        call,
        streams: SALESFORCE_STREAMS.map((stream) => ({ stream, fields: this.fieldSpecs(ctx, stream) })),
        describe: (sobject) => this.describeFields(ctx, session, sobject, true),
        budgetShare: this.options.budgetShare ?? 0.5,
      }),
    );
  }

  async fetchPage(ctx: ConnectorContext, request: FetchPageRequest): Promise<FetchPageResult> {
    const stream = this.stream(request.stream);
    const opts = this.connectionOptions(ctx);
    return this.withSession(ctx, (call, session) =>
      this.withFreshFieldsOnInvalidField(ctx, session, stream, (fields) =>
        fetchSalesforcePage(stream, fields, request, { lookbackMs: opts.lookbackMs }, (endpoint, fn) => call(endpoint, 'read', fn)),
      ),
    );
  }

  async fetchByIds(ctx: ConnectorContext, streamName: string, externalIds: string[]): Promise<SyncedRecord[]> {
    const stream = this.stream(streamName);
    const bad = externalIds.filter((id) => !/^[a-zA-Z0-9]{15,18}$/.test(id));
    if (bad.length) throw new ConnectorException('VALIDATION', `not Salesforce record ids: ${bad.slice(0, 5).join(', ')}`);
    return this.withSession(ctx, (call, session) =>
      this.withFreshFieldsOnInvalidField(ctx, session, stream, async (fields) => {
        const out: SyncedRecord[] = [];
        for (const ids of chunk(externalIds, 200)) {
          const soql = `SELECT ${fields.join(', ')} FROM ${stream.sobject} WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`;
          const result = await call(`GET query ${stream.sobject}`, 'read', (conn) =>
            conn.query<SalesforceRawRecord>(soql, { autoFetch: true, maxFetch: ids.length }),
          );
          for (const raw of result.records) out.push(mapSalesforceRecord(raw, stream.sobject));
        }
        return out;
      }),
    );
  }

  async ensureFields(ctx: ConnectorContext, streamName: string, fields: FieldSpec[]): Promise<FieldProvisionResult> {
    const stream = this.stream(streamName);
    return this.withSession(ctx, async (call, session) => {
      const userId = ctx.settings.integrationUserId ?? (await call('GET identity', 'read', (conn) => conn.identity())).user_id;
      const result = await provisionSalesforceFields(
        call,
        stream.sobject,
        fields,
        userId,
        () => this.describeFields(ctx, session, stream.sobject, true),
        this.connectionOptions(ctx).permissionSetId,
      );
      return result;
    });
  }

  async writeBatch(ctx: ConnectorContext, request: { stream: string; ops: WriteOp[] }): Promise<WriteResult[]> {
    const stream = this.stream(request.stream);
    return this.withSession(ctx, (call) => writeSalesforceBatch(call, stream.sobject, request.ops));
  }

  /** Field specs with the connection's configured names applied. */
  fieldSpecs(ctx: ConnectorContext, stream: SalesforceStreamDefinition): FieldSpec[] {
    const names = ctx.settings.fieldNames ?? {};
    return stream.descriptor.defaultFields.map((f) => ({ ...f, name: names[f.key] ?? f.name }));
  }

  private stream(name: string): SalesforceStreamDefinition {
    const stream = SALESFORCE_STREAMS.find((s) => s.descriptor.name === name);
    if (!stream)
      throw new ConnectorException(
        'CONFIG',
        `unknown Salesforce stream '${name}' (known: ${SALESFORCE_STREAMS.map((s) => s.descriptor.name).join(', ')})`,
      );
    return stream;
  }

  private connectionOptions(ctx: ConnectorContext): ConnectionOptions {
    const raw = ctx.settings.options ?? {};
    const problems: string[] = [];
    const lookbackMs = raw.lookbackMs ?? this.options.lookbackMs ?? 5 * 60_000;
    if (typeof lookbackMs !== 'number' || lookbackMs < 0)
      problems.push(`lookbackMs must be a number of milliseconds >= 0, got ${JSON.stringify(raw.lookbackMs)}`);
    const apiVersion = raw.apiVersion ?? this.options.apiVersion ?? SALESFORCE_DEFAULT_API_VERSION;
    if (typeof apiVersion !== 'string' || !/^\d{2}\.0$/.test(apiVersion) || Number(apiVersion) < 42) {
      problems.push(`apiVersion must look like "62.0" and be at least 42.0 (sObject Collections), got ${JSON.stringify(raw.apiVersion)}`);
    }
    const permissionSetId = raw.permissionSetId;
    if (
      permissionSetId !== undefined &&
      (typeof permissionSetId !== 'string' || !/^0PS[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(permissionSetId))
    ) {
      problems.push(`permissionSetId must be a PermissionSet id starting with 0PS, got ${JSON.stringify(permissionSetId)}`);
    }
    if (problems.length)
      throw new ConnectorException('CONFIG', `Salesforce connection ${ctx.connectionId} settings: ${problems.join('; ')}`);
    return { lookbackMs: lookbackMs as number, apiVersion: apiVersion as string, permissionSetId: permissionSetId as string | undefined };
  }

  private async withSession<T>(ctx: ConnectorContext, run: (call: ScopedCall, session: SalesforceSession) => Promise<T>): Promise<T> {
    const session = openSalesforceSession(ctx, this.connectionOptions(ctx).apiVersion);
    const call: ScopedCall = (endpoint, kind, fn) => salesforceCall(ctx, session, endpoint, kind, this.policy, fn);
    try {
      return await run(call, session);
    } finally {
      await session.flushRefreshes();
    }
  }

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
  private async describeFields(
    ctx: ConnectorContext,
    session: SalesforceSession,
    sobject: string,
    fresh = false,
  ): Promise<SalesforceDescribedField[]> {
    const key = `${ctx.connectionId}:${sobject}`;
    const cached = this.describeCache.get(key);
    if (!fresh && cached && Date.now() - cached.at < (this.options.describeTtlMs ?? 10 * 60_000)) return cached.fields;
    const result = await salesforceCall(ctx, session, `GET sobjects/${sobject}/describe`, 'read', this.policy, (conn) =>
      conn.sobject(sobject).describe(),
    );
    const fields = result.fields.map((f) => ({ name: f.name, label: f.label, updateable: f.updateable }));
    this.describeCache.set(key, { at: Date.now(), fields });
    return fields;
  }

  /**
   * Runs a read with the fields describe shows; when Salesforce answers INVALID_FIELD (an admin hid
   * or deleted a field since the describe was cached) it describes again and retries once.
   */
  private async withFreshFieldsOnInvalidField<T>(
    ctx: ConnectorContext,
    session: SalesforceSession,
    stream: SalesforceStreamDefinition,
    read: (fields: string[]) => Promise<T>,
  ): Promise<T> {
    try {
      return await read(await this.readFields(ctx, session, stream));
    } catch (error) {
      if (!(error instanceof ConnectorException) || error.vendorCode !== 'INVALID_FIELD') throw error;
      ctx.log.warn('salesforce field list changed since the last describe; describing again', {
        sobject: stream.sobject,
        connectionId: ctx.connectionId,
      });
      this.describeCache.delete(`${ctx.connectionId}:${stream.sobject}`);
      return read(await this.readFields(ctx, session, stream));
    }
  }

  /** Required fields (CONFIG error naming the missing ones), plus optional and write-back fields the org shows. */
  private async readFields(ctx: ConnectorContext, session: SalesforceSession, stream: SalesforceStreamDefinition): Promise<string[]> {
    const visible = new Map((await this.describeFields(ctx, session, stream.sobject)).map((f) => [f.name.toLowerCase(), f.name]));
    const missing = stream.requiredFields.filter((f) => !visible.has(f.toLowerCase()));
    if (missing.length) {
      throw new ConnectorException(
        'PERMISSION',
        `the integration user cannot read ${stream.sobject} fields ${missing.join(', ')}; grant field-level security (Visible) on them to its profile`,
      );
    }
    const extra = [...stream.optionalFields, ...this.fieldSpecs(ctx, stream).map((f) => f.name)]
      .filter((f) => visible.has(f.toLowerCase()))
      .map((f) => visible.get(f.toLowerCase())!);
    return [...new Set([...stream.requiredFields, ...extra])];
  }
}

export function createSalesforceConnector(options: SalesforceConnectorOptions = {}): SalesforceConnector {
  return new SalesforceConnector(options);
}
