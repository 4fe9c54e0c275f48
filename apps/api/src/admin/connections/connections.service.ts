/**
 * Connections as admins manage them: list with health, create (Zendesk token; OAuth vendors through
 * OAuthFlowService), test, pause / resume, re-authenticate, delete. Credentials are encrypted before
 * they touch the database and never leave it through this API.
 */
import { HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { SecretBox } from '@fieldcast/common';
import type { FieldcastConfig } from '@fieldcast/config';
import { ConnectorException, type CheckResult, type ConnectionCredentials, type ConnectionSettings } from '@fieldcast/connector-sdk';
import { ConnectionEntity, type StreamConfig } from '@fieldcast/database';
import { CONFIG } from '@fieldcast/runtime';
import { encryptSecrets, decryptSecrets, streamConfig, type StoredSecrets } from '@fieldcast/sync-engine';
import { problem } from '../../problem/problem-details';
import { newWebhookUrlSecret, vendorNeedsUrlSecret, webhookEndpointView, type WebhookEndpointView } from '../../webhooks/webhook-endpoint';
import type { AdminPrincipal } from '../auth/admin-principal';
import { AuditService } from '../audit/audit.service';
import { pageOf, type Page, type PageRequest } from '../common/pagination';
import { validationProblem } from '../common/zod-validation';
import { ConnectionHealthService, type ConnectionHealth } from './connection-health.service';
import { ConnectorAccessService } from './connector-access.service';
import { checkVendorBaseUrl, demoModeAllowed, fetchSandboxCredentials, sandboxBaseUrl } from './vendor-endpoints';

export interface ConnectionView {
  id: string;
  name: string;
  vendor: string;
  vendorName: string;
  status: string;
  authMode: string;
  baseUrl: string | null;
  isDemo: boolean;
  hasCredentials: boolean;
  lastError: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
  schedule: ConnectionEntity['schedule'];
  streams: Array<
    StreamConfig & {
      name: string;
      vendorObject: string;
      availableTasks: string[];
      defaultFields: Array<{ key: string; name: string; label: string; type: string }>;
    }
  >;
  health: ConnectionHealth | null;
}

export interface ZendeskCreateInput {
  name: string;
  baseUrl?: string;
  subdomain?: string;
  email?: string;
  token?: string;
  webhookSigningSecret?: string;
  demo?: boolean;
}

@Injectable()
export class ConnectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly access: ConnectorAccessService,
    private readonly health: ConnectionHealthService,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ConnectionEntity);
  }

  async find(id: string): Promise<ConnectionEntity> {
    const connection = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.findOneBy({ id }) : null;
    if (!connection) throw new NotFoundException(problem(404, `There is no connection ${id}.`));
    return connection;
  }

  async list(request: PageRequest): Promise<Page<ConnectionView>> {
    const [rows, total] = await this.repo.findAndCount({ order: { createdAt: 'ASC' }, skip: request.skip, take: request.pageSize });
    const health = await this.health.forConnections(rows.map((r) => r.id));
    return pageOf(
      rows.map((row) => this.view(row, health.get(row.id) ?? null)),
      total,
      request,
    );
  }

  async get(id: string): Promise<ConnectionView> {
    const connection = await this.find(id);
    const health = await this.health.forConnections([id]);
    return this.view(connection, health.get(id) ?? null);
  }

  view(connection: ConnectionEntity, health: ConnectionHealth | null): ConnectionView {
    const descriptor = this.access.registry.has(connection.vendor) ? this.access.connector(connection.vendor).describe() : undefined;
    return {
      id: connection.id,
      name: connection.name,
      vendor: connection.vendor,
      vendorName: descriptor?.displayName ?? connection.vendor,
      status: connection.status,
      authMode: connection.authMode,
      baseUrl: typeof connection.settings['baseUrl'] === 'string' ? connection.settings['baseUrl'] : null,
      isDemo: connection.isDemo,
      hasCredentials: connection.secretsCiphertext !== null,
      lastError: connection.lastError,
      lastSyncedAt: connection.lastSyncedAt?.toISOString() ?? null,
      createdAt: connection.createdAt.toISOString(),
      schedule: connection.schedule,
      streams: (descriptor?.streams ?? []).map((stream) => ({
        name: stream.name,
        vendorObject: stream.vendorObject,
        availableTasks: stream.tasks,
        defaultFields: stream.defaultFields.map((f) => ({ key: f.key, name: f.name, label: f.label, type: f.type })),
        ...streamConfig(connection, stream),
      })),
      health,
    };
  }

  /** Default per-stream configuration of a new connection: every task on, shadow mode ON (see what would be written first). */
  private defaultStreams(vendor: string): Record<string, StreamConfig> {
    const streams: Record<string, StreamConfig> = {};
    for (const stream of this.access.connector(vendor).describe().streams) {
      streams[stream.name] = {
        enabled: true,
        tasks: [...stream.tasks],
        fields: Object.fromEntries(stream.defaultFields.map((f) => [f.key, f.name])),
        writePolicy: 'overwrite',
        autoWriteThreshold: 0.7,
        shadowMode: true,
      };
    }
    return streams;
  }

  async createZendesk(
    request: Request,
    actor: AdminPrincipal,
    input: ZendeskCreateInput,
  ): Promise<{ connection: ConnectionView; check: CheckResult }> {
    let { baseUrl, email, token, webhookSigningSecret } = input;
    let integrationUserId: string | undefined;
    if (input.demo) {
      if (!demoModeAllowed(this.config))
        throw validationProblem([{ pointer: '/demo', detail: 'demo connections are off (FIELDCAST_DEMO=false or production)' }]);
      baseUrl ??= sandboxBaseUrl(this.config, 'zendesk');
      const creds = await this.sandboxCredentials(baseUrl!, '/baseUrl', 'zendesk');
      email ??= String(creds['email'] ?? '');
      token ??= String(creds['apiToken'] ?? '');
      const webhook = creds['webhook'] as { signingSecret?: string } | undefined;
      webhookSigningSecret ??= webhook?.signingSecret;
      if (creds['integrationUserId'] !== undefined) integrationUserId = String(creds['integrationUserId']);
    } else if (!baseUrl && input.subdomain) {
      baseUrl = `https://${input.subdomain}.zendesk.com`;
    }
    const errors = [];
    if (!baseUrl) errors.push({ pointer: '/subdomain', detail: 'expected the Zendesk subdomain (yourcompany) or a baseUrl' });
    if (!email) errors.push({ pointer: '/email', detail: 'expected the email of the Zendesk agent the API token belongs to' });
    if (!token)
      errors.push({ pointer: '/token', detail: 'expected a Zendesk API token (Admin Center → Apps and integrations → Zendesk API)' });
    if (errors.length) throw validationProblem(errors);
    const checked = checkVendorBaseUrl(this.config, 'zendesk', baseUrl!);
    if ('problem' in checked) throw validationProblem([{ pointer: input.subdomain ? '/subdomain' : '/baseUrl', detail: checked.problem }]);
    const connection = await this.insertConnection(request, actor, {
      name: input.name,
      vendor: 'zendesk',
      authMode: 'api_token',
      isDemo: checked.isPrivate,
      settings: { baseUrl: checked.url, ...(integrationUserId ? { integrationUserId } : {}) },
      secrets: {
        credentials: { kind: 'api_token', email: email!, token: token! },
        ...(webhookSigningSecret ? { webhookSigningSecret } : {}),
      },
    });
    const check = await this.runCheck(request, actor, connection);
    return { connection: await this.get(connection.id), check };
  }

  /** Demo defaults from a local sandbox; only ever fetched from a loopback/private URL in demo mode (no SSRF to elsewhere). */
  async sandboxCredentials(baseUrl: string, pointer: string, vendor: string): Promise<Record<string, unknown>> {
    const checked = checkVendorBaseUrl(this.config, vendor, baseUrl);
    if ('problem' in checked) throw validationProblem([{ pointer, detail: checked.problem }]);
    if (!checked.isPrivate) {
      throw validationProblem([
        { pointer, detail: 'demo defaults come from a local sandbox (a loopback address); give the credentials for a real account' },
      ]);
    }
    try {
      return await fetchSandboxCredentials(checked.url);
    } catch (error) {
      throw validationProblem([
        {
          pointer,
          detail: `could not read the demo sandbox credentials (${(error as Error).message}); start the sandboxes with npm run sandbox`,
        },
      ]);
    }
  }

  /**
   * Stores a new connection with its secrets encrypted under a key bound to its id. A vendor that
   * cannot sign its webhooks (Salesforce) gets a random URL secret in the same envelope.
   */
  async insertConnection(
    request: Request,
    actor: AdminPrincipal,
    input: {
      name: string;
      vendor: string;
      authMode: string;
      isDemo: boolean;
      settings: Partial<ConnectionSettings> & Record<string, unknown>;
      secrets: StoredSecrets;
    },
  ): Promise<ConnectionEntity> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ConnectionEntity);
      if (await repo.existsBy({ name: input.name })) {
        throw validationProblem([{ pointer: '/name', detail: `a connection named "${input.name}" already exists; choose another name` }]);
      }
      const connection = await repo.save(
        repo.create({
          name: input.name,
          vendor: input.vendor,
          authMode: input.authMode,
          status: 'pending',
          isDemo: input.isDemo,
          settings: input.settings,
          streams: this.defaultStreams(input.vendor),
        }),
      );
      connection.secretsCiphertext = encryptSecrets(this.secrets, connection.id, withUrlSecret(input.vendor, input.secrets));
      await repo.update({ id: connection.id }, { secretsCiphertext: connection.secretsCiphertext });
      await this.audit.record(
        request,
        actor,
        {
          action: 'connection.create',
          targetType: 'connection',
          targetId: connection.id,
          details: { name: input.name, vendor: input.vendor, authMode: input.authMode, baseUrl: input.settings.baseUrl },
        },
        manager,
      );
      return connection;
    });
  }

  /** Replaces the credentials (re-authentication); settings from the vendor (instance URL, user) are merged. */
  async replaceCredentials(
    request: Request,
    actor: AdminPrincipal,
    connection: ConnectionEntity,
    credentials: ConnectionCredentials,
    settings: Record<string, unknown>,
    webhookSigningSecret?: string,
  ): Promise<CheckResult> {
    let previousSecret: string | undefined;
    try {
      previousSecret = decryptSecrets(this.secrets, connection).webhookSigningSecret;
    } catch {
      previousSecret = undefined;
    }
    // A Salesforce URL secret survives re-authentication: the URL pasted into Salesforce keeps working.
    const stored = withUrlSecret(connection.vendor, {
      credentials,
      ...((webhookSigningSecret ?? previousSecret) ? { webhookSigningSecret: webhookSigningSecret ?? previousSecret } : {}),
    });
    connection.secretsCiphertext = encryptSecrets(this.secrets, connection.id, stored);
    connection.settings = {
      ...connection.settings,
      ...settings,
      options: { ...((connection.settings['options'] as object) ?? {}), ...((settings['options'] as object) ?? {}) },
    };
    await this.dataSource.query(
      'UPDATE connection SET secrets_ciphertext = $2, settings = $3::jsonb, last_error = NULL, updated_at = now() WHERE id = $1',
      [connection.id, connection.secretsCiphertext, JSON.stringify(connection.settings)],
    );
    await this.audit.record(request, actor, {
      action: 'connection.reauthenticate',
      targetType: 'connection',
      targetId: connection.id,
      details: { name: connection.name },
    });
    return this.runCheck(request, actor, connection);
  }

  /** connector.check(); the connection becomes active, error or needs_reauth from what it found. */
  async runCheck(request: Request, actor: AdminPrincipal, connection: ConnectionEntity): Promise<CheckResult> {
    let result: CheckResult;
    try {
      result = await this.access.connector(connection.vendor).check(this.access.context(connection));
    } catch (error) {
      const coded = error instanceof ConnectorException ? error : undefined;
      const message = (error as Error).message;
      result = {
        ok: false,
        checks: [
          {
            name: 'connect',
            status: 'fail',
            message: `Could not reach or authenticate with ${connection.vendor}: ${message}`,
            fix:
              coded?.code === 'AUTH_EXPIRED' || coded?.code === 'PERMISSION'
                ? 'Re-authenticate the connection (the token was revoked, expired or lacks permissions).'
                : 'Check the base URL and that the vendor is reachable from this server, then test again.',
          },
        ],
      };
    }
    const authFailed = result.checks.some((c) => c.status === 'fail' && /auth|token|credential|401/i.test(`${c.name} ${c.message}`));
    const status = connection.status === 'paused' ? 'paused' : result.ok ? 'active' : authFailed ? 'needs_reauth' : 'error';
    const lastError = result.ok
      ? null
      : result.checks
          .filter((c) => c.status === 'fail')
          .map((c) => c.message)
          .join('; ')
          .slice(0, 2000);
    // The account the credentials belong to, as the vendor reports it: Salesforce outbound messages
    // are checked against this org id, so it follows the credentials (a re-auth into another org moves it).
    const organizationId = result.identity?.organizationId;
    const newOrganization = organizationId && connection.settings['organizationId'] !== organizationId ? organizationId : undefined;
    await this.repo.update({ id: connection.id }, { status, lastError });
    if (newOrganization) {
      // One key set in place: a concurrent change to other settings is not overwritten.
      await this.dataSource.query(
        `UPDATE connection SET settings = jsonb_set(settings, '{organizationId}', to_jsonb($2::text)), updated_at = now() WHERE id = $1`,
        [connection.id, newOrganization],
      );
      connection.settings = { ...connection.settings, organizationId: newOrganization };
    }
    connection.status = status;
    await this.audit.record(request, actor, {
      action: 'connection.test',
      targetType: 'connection',
      targetId: connection.id,
      details: {
        ok: result.ok,
        failed: result.checks.filter((c) => c.status === 'fail').map((c) => c.name),
        ...(newOrganization ? { organizationId: newOrganization } : {}),
      },
    });
    return result;
  }

  /**
   * The webhook endpoint to paste at the vendor. A URL with a secret in it (Salesforce) is masked;
   * `reveal` (admins, audited by the caller's route) returns it in full.
   */
  async webhookEndpoint(id: string, reveal: boolean): Promise<WebhookEndpointView> {
    const connection = await this.find(id);
    let stored: StoredSecrets | null = null;
    let unreadable: string | undefined;
    if (connection.secretsCiphertext) {
      try {
        stored = decryptSecrets(this.secrets, connection);
      } catch (error) {
        unreadable = (error as Error).message;
      }
    }
    const view = webhookEndpointView(connection, stored, this.config.publicUrl, { reveal, unreadable });
    if (!view) throw new NotFoundException(problem(404, `${connection.vendor} connections receive no webhooks.`));
    // Without FIELDCAST_PUBLIC_URL the URL names this machine's local address, which no vendor can call.
    if (!this.config.FIELDCAST_PUBLIC_URL && !connection.isDemo)
      view.warnings.push(
        `FIELDCAST_PUBLIC_URL is not set, so this URL uses ${this.config.publicUrl}: set it to the address the vendor reaches Fieldcast at (https) and restart.`,
      );
    return view;
  }

  /** The full endpoint URL for an admin to paste at the vendor; the audit log records who saw it. */
  async revealWebhookEndpoint(request: Request, actor: AdminPrincipal, id: string): Promise<WebhookEndpointView> {
    const view = await this.webhookEndpoint(id, true);
    if (view.secretInUrl) {
      await this.audit.record(request, actor, {
        action: 'connection.webhook_url.reveal',
        targetType: 'connection',
        targetId: id,
        details: { vendor: view.vendor },
      });
    }
    return view;
  }

  async setPaused(request: Request, actor: AdminPrincipal, id: string, paused: boolean): Promise<ConnectionView> {
    const connection = await this.find(id);
    const status = paused ? 'paused' : connection.lastError ? 'error' : 'active';
    await this.repo.update({ id }, { status });
    await this.audit.record(request, actor, {
      action: paused ? 'connection.pause' : 'connection.resume',
      targetType: 'connection',
      targetId: id,
      details: { name: connection.name },
    });
    return this.get(id);
  }

  /**
   * Deletes a connection and everything synced for it. The caller must echo the connection's name
   * (the confirmation token the UI asks the admin to type), so a stray request cannot delete one.
   */
  async remove(request: Request, actor: AdminPrincipal, id: string, confirm: string | undefined): Promise<void> {
    const connection = await this.find(id);
    if (confirm !== connection.name) {
      throw validationProblem([
        { pointer: '/confirm', detail: `type the connection's name exactly ("${connection.name}") to confirm the deletion` },
      ]);
    }
    await this.dataSource.transaction(async (manager) => {
      for (const table of ['writeback_outbox', 'prediction', 'synced_record', 'sync_state', 'webhook_inbox', 'model_artifact']) {
        await manager.query(`DELETE FROM ${table} WHERE connection_id = $1`, [id]);
      }
      await manager.query('DELETE FROM sync_run_log WHERE run_id IN (SELECT id FROM sync_run WHERE connection_id = $1)', [id]);
      await manager.query('DELETE FROM sync_run WHERE connection_id = $1', [id]);
      // The row and with it the encrypted credentials are gone; the audit entry keeps the name only.
      await manager.getRepository(ConnectionEntity).delete({ id });
      await this.audit.record(
        request,
        actor,
        {
          action: 'connection.delete',
          targetType: 'connection',
          targetId: id,
          details: { name: connection.name, vendor: connection.vendor },
        },
        manager,
      );
    });
  }

  assertNotConflict(connection: ConnectionEntity): void {
    if (!connection.secretsCiphertext)
      throw new HttpException(problem(409, 'This connection has no stored credentials; re-authenticate it first.'), 409);
  }
}

/** Adds a new URL secret for vendors whose endpoint URL carries one (Salesforce), unless one is kept. */
function withUrlSecret(vendor: string, stored: StoredSecrets): StoredSecrets {
  return vendorNeedsUrlSecret(vendor) && !stored.webhookSigningSecret ? { ...stored, webhookSigningSecret: newWebhookUrlSecret() } : stored;
}
