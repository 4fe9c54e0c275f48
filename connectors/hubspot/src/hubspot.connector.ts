/**
 * The HubSpot connector: contacts (lead score) and tickets (category, escalation risk) through
 * @hubspot/api-client only. Sync is keyset-paginated CRM search on the modified date (no 10,000 cap),
 * deletes come from the archived listing, write-back is batch/update of 100, fields are properties in
 * a `fieldcast` group, and webhooks are verified with signature v3 (v1/v2 for legacy apps).
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm
 */
import { chunk } from '@fieldcast/common';
import {
  ConnectorException,
  type CheckResult,
  type Connector,
  type ConnectorContext,
  type ConnectorDescriptor,
  type FetchPageRequest,
  type FetchPageResult,
  type FieldProvisionResult,
  type FieldSpec,
  type SyncedRecord,
  type WebhookHandler,
  type WriteOp,
  type WriteResult,
} from '@fieldcast/connector-sdk';
import { checkHubSpotConnection } from './hubspot-check';
import { hubSpotOAuth } from './hubspot-oauth';
import { parseHubSpotOptions } from './hubspot-connector.options';
import { provisionHubSpotFields } from './hubspot-fields.provisioner';
import { hubSpotSessionFor, type HubSpotSession } from './hubspot-session';
import { writeHubSpotBatch } from './hubspot-writer';
import { mapHubSpotRecord, type HubSpotRawObject } from './mappers/hubspot-record.mapper';
import { HUBSPOT_CONTACTS_STREAM } from './streams/hubspot-contacts.stream';
import { fetchHubSpotPage } from './streams/hubspot-search.reader';
import type { HubSpotStreamDefinition } from './streams/hubspot-stream.types';
import { HUBSPOT_TICKETS_STREAM } from './streams/hubspot-tickets.stream';
import { parseHubSpotWebhook } from './webhooks/hubspot-event.parser';
import { verifyHubSpotWebhook } from './webhooks/hubspot-signature.verifier';

const STREAMS: Record<string, HubSpotStreamDefinition> = { contacts: HUBSPOT_CONTACTS_STREAM, tickets: HUBSPOT_TICKETS_STREAM };
const HIGH_PRIORITIES = new Set(['HIGH', 'URGENT']);
const PRIORITY_RANK: Record<string, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, URGENT: 3 };
/** HubSpot serves at most 50 records per batch read when property history is asked for. */
const HISTORY_BATCH = 50;

interface BatchReadResponse {
  results: HubSpotRawObject[];
}

export const hubSpotWebhookHandler: WebhookHandler = { verify: verifyHubSpotWebhook, parse: parseHubSpotWebhook };

export class HubSpotConnector implements Connector {
  readonly webhooks: WebhookHandler = hubSpotWebhookHandler;
  readonly oauth = hubSpotOAuth;

  describe(): ConnectorDescriptor {
    return {
      vendor: 'hubspot',
      displayName: 'HubSpot',
      authModes: ['oauth2'],
      streams: Object.values(STREAMS).map((s) => s.descriptor),
      rateLimitModel:
        'OAuth apps: 100 calls per rolling 10 s per portal (private apps 100-190 per 10 s plus a daily quota); search about 5 calls per second',
      supportsWebhooks: true,
    };
  }

  async check(ctx: ConnectorContext): Promise<CheckResult> {
    const session = this.session(ctx);
    return checkHubSpotConnection(
      session,
      Object.values(STREAMS).map((stream) => ({ stream, fields: this.fieldsFor(ctx, stream) })),
    );
  }

  async fetchPage(ctx: ConnectorContext, request: FetchPageRequest): Promise<FetchPageResult> {
    const stream = this.stream(request.stream);
    const options = parseHubSpotOptions(ctx.settings.options);
    const session = this.session(ctx);
    const properties = [...stream.properties, ...this.fieldsFor(ctx, stream).map((f) => f.name)];
    return fetchHubSpotPage(stream, properties, request, {
      session,
      options,
      enrich:
        stream.objectType === 'tickets' && options.ticketPriorityHistory
          ? (records) => this.addPriorityHistory(session, records)
          : undefined,
    });
  }

  async fetchByIds(ctx: ConnectorContext, streamName: string, externalIds: string[]): Promise<SyncedRecord[]> {
    const stream = this.stream(streamName);
    const session = this.session(ctx);
    const properties = [...stream.properties, ...this.fieldsFor(ctx, stream).map((f) => f.name)];
    const records: SyncedRecord[] = [];
    for (const ids of chunk([...new Set(externalIds)], 100)) {
      // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch/post-crm-v3-objects-objectType-batch-read
      const response = await session.call<BatchReadResponse>(
        `POST /crm/v3/objects/${stream.objectType}/batch/read`,
        { kind: 'read' },
        (client) =>
          client.crm.objects.batchApi.readWithHttpInfo(stream.objectType, {
            inputs: ids.map((id) => ({ id })),
            properties,
            propertiesWithHistory: [],
          }),
      );
      // Missing ids come back as a 207 OBJECT_NOT_FOUND error: they are simply not returned.
      records.push(...response.results.map((r) => mapHubSpotRecord(r, stream.objectType, stream.modifiedProperty)));
    }
    return records;
  }

  async ensureFields(ctx: ConnectorContext, streamName: string, fields: FieldSpec[]): Promise<FieldProvisionResult> {
    const stream = this.stream(streamName);
    return provisionHubSpotFields(this.session(ctx), stream.objectType, fields);
  }

  async writeBatch(ctx: ConnectorContext, request: { stream: string; ops: WriteOp[] }): Promise<WriteResult[]> {
    const stream = this.stream(request.stream);
    return writeHubSpotBatch(this.session(ctx), stream.objectType, request.ops);
  }

  private session(ctx: ConnectorContext): HubSpotSession {
    return hubSpotSessionFor(ctx, parseHubSpotOptions(ctx.settings.options));
  }

  private stream(name: string): HubSpotStreamDefinition {
    const stream = STREAMS[name];
    if (!stream)
      throw new ConnectorException('CONFIG', `HubSpot has no stream ${JSON.stringify(name)}; streams: ${Object.keys(STREAMS).join(', ')}`);
    return stream;
  }

  /** The stream's write-back fields with this connection's name overrides. */
  private fieldsFor(ctx: ConnectorContext, stream: HubSpotStreamDefinition): FieldSpec[] {
    const overrides = ctx.settings.fieldNames ?? {};
    return stream.descriptor.defaultFields.map((f) => (overrides[f.key] ? { ...f, name: overrides[f.key]! } : f));
  }

  /**
   * The escalation label needs hs_ticket_priority's history, which search cannot return. A ticket can
   * only have been raised to HIGH/URGENT if its history has such a value; reading history for the ones
   * HIGH/URGENT now keeps this to one call per 50 of them (a raise that was later lowered is missed).
   */
  private async addPriorityHistory(session: HubSpotSession, records: SyncedRecord[]): Promise<void> {
    const candidates = records.filter((r) => HIGH_PRIORITIES.has(String(r.fields.hs_ticket_priority ?? '')));
    const byId = new Map(candidates.map((r) => [r.externalId, r]));
    for (const ids of chunk([...byId.keys()], HISTORY_BATCH)) {
      const response = await session.call<BatchReadResponse>('POST /crm/v3/objects/tickets/batch/read', { kind: 'read' }, (client) =>
        client.crm.objects.batchApi.readWithHttpInfo('tickets', {
          inputs: ids.map((id) => ({ id })),
          properties: ['hs_ticket_priority'],
          propertiesWithHistory: ['hs_ticket_priority'],
        }),
      );
      for (const raw of response.results) {
        const record = byId.get(raw.id);
        const history = raw.propertiesWithHistory?.hs_ticket_priority ?? [];
        if (!record) continue;
        record.fields.hs_ticket_priority_history = history.map((v) => ({
          value: v.value,
          timestamp: v.timestamp.toISOString(),
          sourceType: v.sourceType,
        }));
        // Oldest first: raised = a HIGH/URGENT value that followed a lower one.
        const values = history.map((v) => v.value).reverse();
        record.fields['fieldcast:priority_raised'] = values.some(
          (v, i) => i > 0 && HIGH_PRIORITIES.has(v) && (PRIORITY_RANK[values[i - 1]!] ?? 0) < (PRIORITY_RANK[v] ?? 0),
        );
      }
    }
  }
}

export function createHubSpotConnector(): HubSpotConnector {
  return new HubSpotConnector();
}
