/**
 * OAuth "Connect" for Salesforce and HubSpot. The state parameter is an AES-256-GCM envelope (so it
 * is both signed and private: it carries the client secret across the round trip) bound to the admin
 * session that started the flow and valid for 10 minutes; the callback refuses any other.
 */
import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@fieldcast/common';
import type { FieldcastConfig } from '@fieldcast/config';
import type { ConnectorOAuth } from '@fieldcast/connector-sdk';
import { CONFIG } from '@fieldcast/runtime';
import { decryptSecrets } from '@fieldcast/sync-engine';
import { problem } from '../../problem/problem-details';
import type { AdminPrincipal } from '../auth/admin-principal';
import { ConnectionsService } from '../connections/connections.service';
import { ConnectorAccessService } from '../connections/connector-access.service';
import { checkVendorBaseUrl, demoModeAllowed, sandboxBaseUrl } from '../connections/vendor-endpoints';
import { validationProblem } from '../common/zod-validation';

const STATE_TTL_MS = 10 * 60_000;
const STATE_AAD = 'fieldcast:oauth-state';

interface OAuthState {
  vendor: string;
  name: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  appId?: string;
  isDemo: boolean;
  sessionId: string;
  redirectUri: string;
  connectionId?: string;
  expiresAt: number;
  nonce: string;
}

export interface OAuthStartInput {
  name?: string;
  baseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  appId?: string;
}

@Injectable()
export class OAuthFlowService {
  constructor(
    private readonly secrets: SecretBox,
    private readonly access: ConnectorAccessService,
    private readonly connections: ConnectionsService,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
  ) {}

  private oauthOf(vendor: string): ConnectorOAuth {
    const connector = this.access.registry.has(vendor) ? this.access.connector(vendor) : undefined;
    if (!connector?.oauth)
      throw validationProblem([{ pointer: '/vendor', detail: `${vendor} is not connected through OAuth; expected salesforce or hubspot` }]);
    return connector.oauth;
  }

  /** Where the vendor sends the admin back: the public URL, or this request's own origin when none is configured. */
  redirectUri(request: Request): string {
    const origin = this.config.FIELDCAST_PUBLIC_URL?.replace(/\/+$/, '') ?? `${request.protocol}://${request.get('host')}`;
    return `${origin}/admin/api/oauth/callback`;
  }

  async vendorOf(connectionId: string): Promise<string> {
    return (await this.connections.find(connectionId)).vendor;
  }

  /** Builds the consent URL for a new connection, or for re-authenticating `connectionId`. */
  async start(request: Request, actor: AdminPrincipal, vendor: string, input: OAuthStartInput, connectionId?: string): Promise<string> {
    const oauth = this.oauthOf(vendor);
    let { baseUrl, clientId, clientSecret, appId } = input;
    let name = input.name?.trim();
    if (connectionId) {
      const existing = await this.connections.find(connectionId);
      if (existing.vendor !== vendor)
        throw validationProblem([{ pointer: '/vendor', detail: `connection ${existing.name} is a ${existing.vendor} connection` }]);
      name = existing.name;
      const stored = existing.secretsCiphertext ? decryptSecrets(this.secrets, existing).credentials : undefined;
      if (stored?.kind === 'oauth2') {
        clientId ??= stored.clientId;
        clientSecret ??= stored.clientSecret;
        baseUrl ??= stored.loginUrl ?? (existing.settings['baseUrl'] as string | undefined);
      } else {
        baseUrl ??= existing.settings['baseUrl'] as string | undefined;
      }
    }
    const usingDemo = (!baseUrl || !clientId || !clientSecret) && demoModeAllowed(this.config);
    if (usingDemo) {
      baseUrl ??= sandboxBaseUrl(this.config, vendor);
      const creds = await this.connections.sandboxCredentials(baseUrl!, '/baseUrl', vendor);
      clientId ??= String(creds['clientId'] ?? '');
      clientSecret ??= String(creds['clientSecret'] ?? '');
      if (vendor === 'salesforce' && typeof creds['loginUrl'] === 'string' && !input.baseUrl && !connectionId) baseUrl = creds['loginUrl'];
      if (creds['appId'] !== undefined) appId ??= String(creds['appId']);
    }
    const errors = [];
    if (!name) errors.push({ pointer: '/name', detail: 'expected a name for the connection, e.g. "HubSpot production"' });
    else if (name.length > 100) errors.push({ pointer: '/name', detail: 'expected at most 100 characters' });
    if (!baseUrl)
      errors.push({ pointer: '/baseUrl', detail: `expected the ${vendor} URL (login URL for Salesforce, API base for HubSpot)` });
    if (!clientId) errors.push({ pointer: '/clientId', detail: 'expected the OAuth client id of your connected app' });
    if (!clientSecret) errors.push({ pointer: '/clientSecret', detail: 'expected the OAuth client secret of your connected app' });
    if (errors.length) throw validationProblem(errors);
    const checked = checkVendorBaseUrl(this.config, vendor, baseUrl!);
    if ('problem' in checked) throw validationProblem([{ pointer: '/baseUrl', detail: checked.problem }]);
    const redirectUri = this.redirectUri(request);
    const state: OAuthState = {
      vendor,
      name: name!,
      baseUrl: checked.url,
      clientId: clientId!,
      clientSecret: clientSecret!,
      ...(appId ? { appId } : {}),
      isDemo: checked.isPrivate,
      sessionId: actor.sessionId,
      redirectUri,
      ...(connectionId ? { connectionId } : {}),
      expiresAt: Date.now() + STATE_TTL_MS,
      nonce: randomBytes(12).toString('base64url'),
    };
    const sealed = Buffer.from(this.secrets.encryptJson(state, STATE_AAD)).toString('base64url');
    return oauth.authorizeUrl({ baseUrl: checked.url, clientId: clientId!, redirectUri, state: sealed });
  }

  /** Completes the flow; returns the connection id and whether the check passed. */
  async complete(request: Request, actor: AdminPrincipal, query: Record<string, unknown>): Promise<{ connectionId: string; ok: boolean }> {
    const state = this.openState(query['state'], actor);
    if (typeof query['error'] === 'string') {
      const description = typeof query['error_description'] === 'string' ? `: ${query['error_description']}` : '';
      throw new HttpException(problem(400, `The vendor did not grant access (${query['error']}${description}).`), 400);
    }
    const code = query['code'];
    if (typeof code !== 'string' || !code) throw new HttpException(problem(400, 'The vendor sent no authorization code.'), 400);
    const oauth = this.oauthOf(state.vendor);
    let exchanged: Awaited<ReturnType<ConnectorOAuth['exchangeCode']>>;
    try {
      exchanged = await oauth.exchangeCode({
        baseUrl: state.baseUrl,
        clientId: state.clientId,
        clientSecret: state.clientSecret,
        redirectUri: state.redirectUri,
        code,
      });
    } catch (error) {
      throw new HttpException(
        problem(502, `Exchanging the authorization code with ${state.vendor} failed: ${(error as Error).message}`),
        502,
      );
    }
    const settings: Record<string, unknown> = { baseUrl: state.baseUrl, ...exchanged.settings };
    if (state.appId) settings['options'] = { appId: state.appId };
    // HubSpot signs webhooks with the app's client secret.
    const webhookSigningSecret = state.vendor === 'hubspot' ? state.clientSecret : undefined;
    if (state.connectionId) {
      const connection = await this.connections.find(state.connectionId);
      const check = await this.connections.replaceCredentials(
        request,
        actor,
        connection,
        exchanged.credentials,
        settings,
        webhookSigningSecret,
      );
      return { connectionId: connection.id, ok: check.ok };
    }
    const connection = await this.connections.insertConnection(request, actor, {
      name: state.name,
      vendor: state.vendor,
      authMode: 'oauth2',
      isDemo: state.isDemo,
      settings: settings as { baseUrl: string },
      secrets: { credentials: exchanged.credentials, ...(webhookSigningSecret ? { webhookSigningSecret } : {}) },
    });
    const check = await this.connections.runCheck(request, actor, connection);
    return { connectionId: connection.id, ok: check.ok };
  }

  private openState(raw: unknown, actor: AdminPrincipal): OAuthState {
    const refuse = (why: string) =>
      new HttpException(problem(400, `This OAuth callback is not valid: ${why}. Start "Connect" again from the settings page.`), 400);
    if (typeof raw !== 'string' || raw.length > 8192) throw refuse('the state parameter is missing');
    let state: OAuthState;
    try {
      state = this.secrets.decryptJson<OAuthState>(Buffer.from(raw, 'base64url').toString('utf8'), STATE_AAD);
    } catch {
      throw refuse('the state parameter was not issued by this Fieldcast');
    }
    if (state.expiresAt < Date.now()) throw refuse('it is older than 10 minutes');
    if (state.sessionId !== actor.sessionId) throw refuse('it was started in another sign-in session');
    return state;
  }
}
