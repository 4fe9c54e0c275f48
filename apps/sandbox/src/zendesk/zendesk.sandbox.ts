/**
 * The Zendesk Support sandbox: a faithful local Zendesk account that the real node-zendesk client
 * talks to unchanged (`endpointUri: <base>/api/v2`). See apps/sandbox/docs/zendesk.md.
 */
import { SandboxRouter, SandboxServer } from '../common/sandbox-http';
import { mountRecordViewer } from '../common/record-viewer';
import { SandboxWriteLog } from '../common/sandbox-write-log';
import type { VendorSandbox, VendorSandboxOptions } from '../common/vendor-sandbox.types';
import type { DemoDataSet } from '../data/demo-data.types';
import { ZendeskApi } from './zendesk-api';
import { ZendeskAuth, type ZendeskAccessToken } from './zendesk-auth';
import { createZendeskBehaviour, zendeskRateLimited } from './zendesk-behaviour';
import { mountZendeskControlRoutes } from './zendesk-control.routes';
import {
  ZENDESK_ACCOUNT_ID,
  ZENDESK_HUMAN_AGENT,
  ZENDESK_INTEGRATION_USER,
  ZENDESK_RESTRICTED_AGENT,
  ZENDESK_SUBDOMAIN,
  ZENDESK_TIER1_GROUP,
  ZENDESK_TIER2_GROUP,
  seedZendeskDirectory,
} from './zendesk-directory';
import { mountZendeskDirectoryRoutes } from './zendesk-directory.routes';
import { mountZendeskExportRoutes } from './zendesk-export.routes';
import { ZendeskJobRunner, mountZendeskJobRoutes } from './zendesk-jobs';
import { mountZendeskOAuthRoutes } from './zendesk-oauth.routes';
import { mountZendeskOAuthTokenRoutes } from './zendesk-oauth-tokens.routes';
import { ZendeskRateLimiter } from './zendesk-rate-limit';
import { createZendeskRecordViewerSource } from './zendesk-record-viewer';
import { ZENDESK_DEFAULT_SETTINGS, type ZendeskSettings } from './zendesk-settings';
import { ZendeskStore } from './zendesk-store';
import { ZENDESK_CATEGORY_FIELD_ID, ZENDESK_TIER_FIELD_ID, seedZendeskTicketFields } from './zendesk-ticket-fields';
import { mountZendeskTicketFieldRoutes } from './zendesk-ticket-fields.routes';
import { mapZendeskDemoTicket } from './zendesk-ticket.mapper';
import { ZendeskTicketService, type ZendeskActor, type ZendeskFieldChange, type ZendeskTicketListener } from './zendesk-ticket.service';
import { mountZendeskTicketRoutes } from './zendesk-tickets.routes';
import { ZENDESK_DEFAULT_WEBHOOK_ID, ZENDESK_TEST_SIGNING_SECRET, ZendeskWebhookDispatcher } from './zendesk-webhooks';
import { ZENDESK_TICKET_EVENT_TYPES } from './zendesk-webhook-events';
import { mountZendeskWebhookRoutes, newZendeskSigningSecret } from './zendesk-webhooks.routes';
import type { ZendeskTicketRecord } from './zendesk.types';

export { ZENDESK_DEFAULT_WEBHOOK_ID };
const SEEDED_AT = '2024-01-02T09:00:00Z';

export class ZendeskSandbox implements VendorSandbox {
  readonly vendor = 'zendesk' as const;
  readonly server: SandboxServer;
  readonly store = new ZendeskStore();
  readonly writes = new SandboxWriteLog();
  readonly auth: ZendeskAuth;
  readonly tickets: ZendeskTicketService;
  readonly jobs: ZendeskJobRunner;
  readonly webhooks: ZendeskWebhookDispatcher;
  readonly limiter: ZendeskRateLimiter;
  settings: ZendeskSettings = { ...ZENDESK_DEFAULT_SETTINGS };
  readonly apiToken = ZendeskAuth.secret('zdt_');
  readonly oauthClient = { id: 9_001, identifier: 'fieldcast_sandbox', secret: ZendeskAuth.secret('zdcs_'), name: 'Fieldcast' };
  private defaultToken?: ZendeskAccessToken;
  private readonly webhookSecret = newZendeskSigningSecret();

  constructor(private readonly options: VendorSandboxOptions = {}) {
    const clock = () => Date.now();
    const getSettings = () => this.settings;
    this.auth = new ZendeskAuth(this.store, options.tokenTtlSeconds, clock);
    this.limiter = new ZendeskRateLimiter(getSettings, clock);
    this.webhooks = new ZendeskWebhookDispatcher(this.store, getSettings, clock);
    this.tickets = new ZendeskTicketService(this.store, [this.writeLogListener(), this.webhooks], clock);
    this.jobs = new ZendeskJobRunner(this.store, this.tickets, getSettings);

    const router = new SandboxRouter();
    const api = new ZendeskApi(router, this.auth, this.limiter, (_req, retryAfter, kind) => zendeskRateLimited(retryAfter, kind));
    // update_many, show_many and audits before /tickets/:id, which would otherwise match them.
    mountZendeskJobRoutes(api, this.store, this.jobs);
    mountZendeskTicketRoutes(api, this.store, this.tickets);
    mountZendeskExportRoutes(api, this.store, getSettings, clock);
    mountZendeskTicketFieldRoutes(api, this.store, clock);
    mountZendeskDirectoryRoutes(api, this.store);
    mountZendeskWebhookRoutes(api, this.store, clock);
    mountZendeskOAuthRoutes(router, this.auth, clock);
    mountZendeskOAuthTokenRoutes(api, this.auth);
    mountRecordViewer(router, createZendeskRecordViewerSource(this.store));

    const control = new SandboxRouter();
    this.server = new SandboxServer({
      vendor: createZendeskBehaviour(() => api),
      router,
      control,
      onReset: () => this.resetAccount(),
      extraStats: () => ({
        records: {
          tickets: this.store.countLiveTickets(),
          users: this.store.users.size,
          organizations: this.store.organizations.size,
          ticket_fields: this.store.ticketFields.size,
          job_statuses: this.store.jobs.size,
          webhooks: this.store.webhooks.size,
        },
        exportLogEntries: this.store.log.length,
        writes: this.writes.size,
        webhookDeliveries: this.webhooks.deliveries.length,
      }),
    });
    mountZendeskControlRoutes(control, this);

    this.auth.addApiToken(this.apiToken, ZENDESK_INTEGRATION_USER.id);
    this.auth.addClient(this.oauthClient);
    this.resetAccount();
  }

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    return this.server.listen(port, host);
  }

  async stop(): Promise<void> {
    this.jobs.stop();
    this.webhooks.stop();
    await this.server.close();
  }

  /** Replaces tickets, requesters and organizations; ticket fields, agents, groups and webhooks stay. */
  seed(data: DemoDataSet): void {
    this.store.clearRecords();
    const tierField = this.store.ticketFields.get(ZENDESK_TIER_FIELD_ID);
    const categoryField = this.store.ticketFields.get(ZENDESK_CATEGORY_FIELD_ID);
    if (tierField) tierField.options = [];
    if (categoryField) categoryField.options = [];
    for (const demo of data.tickets) this.store.addTicket(mapZendeskDemoTicket(demo, this.store));
    // Clamp to now: the export never serves the future, and a seeded future timestamp would block the stream.
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const t of this.store.tickets.values()) if (t.generatedTimestamp > nowSeconds) t.generatedTimestamp = nowSeconds;
    this.store.rebuildLog();
  }

  credentials(): Record<string, unknown> {
    const base = this.server.baseUrl;
    return {
      vendor: 'zendesk',
      baseUrl: base,
      endpointUri: `${base}/api/v2`,
      subdomain: ZENDESK_SUBDOMAIN,
      accountId: ZENDESK_ACCOUNT_ID,
      email: ZENDESK_INTEGRATION_USER.email,
      apiToken: this.apiToken,
      integrationUserId: ZENDESK_INTEGRATION_USER.id,
      oauth: {
        clientId: this.oauthClient.identifier,
        clientSecret: this.oauthClient.secret,
        accessToken: this.defaultToken?.token,
        refreshToken: this.defaultToken?.refreshToken,
        expiresAt: this.defaultToken?.expiresAt ? new Date(this.defaultToken.expiresAt).toISOString() : null,
        authorizeUrl: `${base}/oauth/authorizations/new`,
        tokenUrl: `${base}/oauth/tokens`,
      },
      webhook: {
        id: ZENDESK_DEFAULT_WEBHOOK_ID,
        signingSecret: this.store.webhooks.get(ZENDESK_DEFAULT_WEBHOOK_ID)?.signingSecret ?? null,
        endpoint: this.store.webhooks.get(ZENDESK_DEFAULT_WEBHOOK_ID)?.endpoint ?? null,
        testSigningSecret: ZENDESK_TEST_SIGNING_SECRET,
      },
      humanAgent: { userId: ZENDESK_HUMAN_AGENT.id, email: ZENDESK_HUMAN_AGENT.email },
      restrictedAgent: { userId: ZENDESK_RESTRICTED_AGENT.id, email: ZENDESK_RESTRICTED_AGENT.email },
      ticketFields: { category: ZENDESK_CATEGORY_FIELD_ID, customerTier: ZENDESK_TIER_FIELD_ID },
      groups: { tier1: ZENDESK_TIER1_GROUP.id, tier2: ZENDESK_TIER2_GROUP.id },
    };
  }

  /** Sets (or clears) where the default webhook delivers. */
  setWebhookTarget(url: string | null, subscriptions?: string[]): void {
    const webhook = this.store.webhooks.get(ZENDESK_DEFAULT_WEBHOOK_ID);
    if (!webhook) return;
    webhook.endpoint = url;
    if (subscriptions) webhook.subscriptions = subscriptions;
  }

  /** Applies a change as the human agent (POST /__sandbox/tickets/touch): customer activity, not Fieldcast's. */
  touchAsHuman(ids: number[], changes: Record<string, unknown>): { updated: number; failed: Array<{ id: number; error: string }> } {
    const actor: ZendeskActor = { userId: ZENDESK_HUMAN_AGENT.id, viaChannel: 'web' };
    const failed: Array<{ id: number; error: string }> = [];
    let updated = 0;
    for (const id of ids) {
      const outcome = this.tickets.update(id, changes, actor);
      if (outcome.ok) updated += 1;
      else failed.push({ id, error: `${outcome.error}: ${outcome.details}` });
    }
    return { updated, failed };
  }

  private resetAccount(): void {
    this.jobs?.stop();
    this.settings = { ...ZENDESK_DEFAULT_SETTINGS };
    this.limiter.reset();
    this.writes.clear();
    this.webhooks.reset();
    this.store.clearRecords();
    this.store.users.clear();
    this.store.usersByEmail.clear();
    this.store.groups.clear();
    this.store.webhooks.clear();
    seedZendeskDirectory(this.store);
    seedZendeskTicketFields(this.store, SEEDED_AT);
    this.store.webhooks.set(ZENDESK_DEFAULT_WEBHOOK_ID, {
      id: ZENDESK_DEFAULT_WEBHOOK_ID,
      name: 'Fieldcast (sandbox default)',
      status: 'active',
      endpoint: this.options.webhookTarget ?? null,
      httpMethod: 'POST',
      requestFormat: 'json',
      subscriptions: [...ZENDESK_TICKET_EVENT_TYPES],
      signingSecret: this.webhookSecret,
      createdAt: SEEDED_AT,
      createdBy: ZENDESK_INTEGRATION_USER.id,
    });
    this.auth.accessTokens.clear();
    this.auth.refreshTokens.clear();
    // The demo token survives a reset so credentials read once stay valid.
    this.defaultToken = this.auth.issueToken(
      ZENDESK_INTEGRATION_USER.id,
      this.oauthClient.identifier,
      ['read', 'write'],
      true,
      this.defaultToken ? { token: this.defaultToken.token, refreshToken: this.defaultToken.refreshToken } : undefined,
    );
    if (this.options.data) this.seed(this.options.data);
  }

  private writeLogListener(): ZendeskTicketListener {
    const record = (ticket: ZendeskTicketRecord, changes: ZendeskFieldChange[], actor: ZendeskActor) =>
      this.writes.record('tickets', String(ticket.id), Object.fromEntries(changes.map((c) => [c.field, c.value])), String(actor.userId));
    return {
      onTicketCreated: (ticket, actor) => record(ticket, [{ field: 'subject', value: ticket.subject, previous: null }], actor),
      onTicketChanged: (ticket, changes, actor) => record(ticket, changes, actor),
      onTicketDeleted: (ticket, actor, previous) => record(ticket, [{ field: 'status', value: 'deleted', previous }], actor),
    };
  }
}

export function createZendeskSandbox(options: VendorSandboxOptions = {}): ZendeskSandbox {
  return new ZendeskSandbox(options);
}
