/**
 * What differs between the three webhook endpoints, as data: which media types the vendor sends and
 * where the connection keeps what verification needs. Verification and parsing themselves belong to
 * each connector (`Connector.webhooks`), reached through the registry.
 */
import type { WebhookSecrets } from '@fieldcast/connector-sdk';
import type { ConnectionEntity } from '@fieldcast/database';
import type { StoredSecrets } from '@fieldcast/sync-engine';

export type WebhookProvider = 'hubspot' | 'zendesk' | 'salesforce';

export interface WebhookProviderSpec {
  /** Media types (without parameters) the vendor sends. */
  contentTypes: string[];
  /** The secrets the connector's verify() needs, or null when the connection cannot receive webhooks. */
  secrets(connection: ConnectionEntity, stored: StoredSecrets | null, publicUrl: string): WebhookSecrets | null;
  /** Secrets of the same shape for a connection that does not exist, so a probe costs the same work. */
  decoySecrets(publicUrl: string): WebhookSecrets;
  /** The body as kept in webhook_inbox (audit), when it can carry a credential that must not be stored. */
  storedBody?(rawBody: Buffer): Buffer;
  /**
   * The vendor cannot sign (Salesforce outbound messages): Fieldcast generates a secret that is the
   * last segment of the endpoint URL, kept in the encrypted secrets as `webhookSigningSecret`.
   */
  urlSecret?: boolean;
  /** The endpoint path of a connection; `urlSecret` is the secret segment where the vendor needs one. */
  path(connectionId: string, urlSecret?: string): string;
  /** What stops deliveries from being accepted, in words an admin can act on (empty: nothing). */
  missing(connection: ConnectionEntity, stored: StoredSecrets | null): string[];
  /** What the vendor calls the URL, and where the admin pastes it (one line). */
  setup: { label: string; instructions: string };
}

/**
 * Salesforce puts a live API session id in every outbound message when "Send Session ID" is ticked.
 * Fieldcast never uses it (the connection's own OAuth token is used), and a database dump must not
 * hold a usable credential, so it is blanked in the stored copy. Outbound messages carry no
 * signature over the body, so the audit copy loses nothing verifiable.
 */
const SALESFORCE_SESSION_ID = /<((?:[A-Za-z_][\w.-]*:)?SessionId)(\s[^>]*)?>[^<]+<\/\1\s*>/g;

export function redactSalesforceSessionId(rawBody: Buffer): Buffer {
  const text = rawBody.toString('utf8');
  if (!text.includes('SessionId')) return rawBody;
  const redacted = text.replace(SALESFORCE_SESSION_ID, '<$1$2>[redacted]</$1>');
  return redacted === text ? rawBody : Buffer.from(redacted, 'utf8');
}

export function setting(connection: ConnectionEntity, key: string): string | undefined {
  const settings = connection.settings ?? {};
  const direct = settings[key];
  const options = (settings['options'] ?? {}) as Record<string, unknown>;
  const value = direct ?? options[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function clientSecretOf(stored: StoredSecrets | null): string | undefined {
  if (!stored) return undefined;
  if (stored.webhookSigningSecret) return stored.webhookSigningSecret;
  const credentials = stored.credentials as { clientSecret?: unknown } | undefined;
  return typeof credentials?.clientSecret === 'string' ? credentials.clientSecret : undefined;
}

const DECOY_SECRET = 'decoy-secret-for-unknown-connections-000000';

export const WEBHOOK_PROVIDERS: Record<WebhookProvider, WebhookProviderSpec> = {
  hubspot: {
    contentTypes: ['application/json'],
    // HubSpot signs with the app's client secret and (v2/v3) the public URL it called.
    secrets: (connection, stored, publicUrl) => {
      const signingSecret = clientSecretOf(stored);
      return signingSecret ? { signingSecret, publicUrl: `${publicUrl}/webhooks/hubspot/${connection.id}` } : null;
    },
    decoySecrets: (publicUrl) => ({
      signingSecret: DECOY_SECRET,
      publicUrl: `${publicUrl}/webhooks/hubspot/00000000-0000-4000-8000-000000000000`,
    }),
    path: (connectionId) => `/webhooks/hubspot/${connectionId}`,
    missing: (_connection, stored) =>
      clientSecretOf(stored) ? [] : ['No app client secret is stored to check HubSpot signatures: re-authenticate the connection.'],
    setup: {
      label: 'Webhook target URL',
      instructions: 'In your HubSpot app, open Webhooks, set this as the Target URL and subscribe to contact and ticket property changes.',
    },
  },
  zendesk: {
    contentTypes: ['application/json'],
    secrets: (_connection, stored) => (stored?.webhookSigningSecret ? { signingSecret: stored.webhookSigningSecret } : null),
    decoySecrets: () => ({ signingSecret: DECOY_SECRET }),
    path: (connectionId) => `/webhooks/zendesk/${connectionId}`,
    missing: (_connection, stored) =>
      stored?.webhookSigningSecret
        ? []
        : [
            "No webhook signing secret is stored, so Zendesk deliveries are refused: create the connection again with the webhook's signing secret (Zendesk Admin Center, Webhooks, your webhook, Signing secret).",
          ],
    setup: {
      label: 'Webhook endpoint URL',
      instructions:
        'In Zendesk Admin Center, open Apps and integrations, Webhooks, Create webhook: use this as the Endpoint URL (POST, JSON) and connect it to a ticket trigger.',
    },
  },
  salesforce: {
    contentTypes: ['text/xml', 'application/soap+xml'],
    // Outbound messages are unsigned: the per-connection URL secret and the org id are the proof.
    // Without a URL secret the connector would check the org id alone, so such a connection is refused.
    // Only the generated URL secret counts: never fall back to another secret (the OAuth client secret).
    secrets: (connection, stored) => {
      const organizationId = setting(connection, 'organizationId');
      const urlSecret = stored?.webhookSigningSecret;
      return urlSecret && organizationId ? { signingSecret: urlSecret, organizationId } : null;
    },
    decoySecrets: () => ({ signingSecret: DECOY_SECRET, organizationId: '00D000000000000AAA' }),
    storedBody: redactSalesforceSessionId,
    urlSecret: true,
    path: (connectionId, urlSecret) => `/webhooks/salesforce/${connectionId}/${urlSecret ?? ''}`,
    missing: (connection, stored) => [
      ...(stored?.webhookSigningSecret ? [] : ['No URL secret is stored for this connection: re-authenticate it to get one.']),
      ...(setting(connection, 'organizationId')
        ? []
        : [
            'The Salesforce organization id is not known yet, so outbound messages are refused: run "Test connection" (it reads the org id from Salesforce).',
          ]),
    ],
    setup: {
      label: 'Outbound Message endpoint URL',
      instructions:
        'In Salesforce Setup, open Outbound Messages, New Outbound Message (object Lead or Case), and paste this as the Endpoint URL; leave "Send Session ID" unticked.',
    },
  },
};

export function isWebhookProvider(vendor: string): vendor is WebhookProvider {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_PROVIDERS, vendor);
}

export function webhookContext(connection: ConnectionEntity): { integrationUserId?: string; appId?: string } {
  const integrationUserId = setting(connection, 'integrationUserId');
  const appId = setting(connection, 'appId');
  return { ...(integrationUserId ? { integrationUserId } : {}), ...(appId ? { appId } : {}) };
}
