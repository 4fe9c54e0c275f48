/**
 * The webhook endpoint of a connection as the admin UI shows it: the URL to paste at the vendor
 * (built on FIELDCAST_PUBLIC_URL), one line on where to paste it, and what still stops deliveries.
 *
 * A URL that carries a secret (Salesforce outbound messages) is masked unless `reveal` is asked
 * for; the admin API reveals it to admins only, on an explicit, audited request.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectionEntity } from '@fieldcast/database';
import type { StoredSecrets } from '@fieldcast/sync-engine';
import { isWebhookProvider, setting, WEBHOOK_PROVIDERS, type WebhookProvider } from './webhook-providers';

export interface WebhookEndpointView {
  vendor: WebhookProvider;
  /** What the vendor calls the field the URL goes into. */
  label: string;
  /** Where to paste it, one line. */
  instructions: string;
  /** The full URL, or (secretInUrl and not revealed) the URL with its secret segment masked. */
  url: string;
  /** The URL's last segment is a secret: admins only, and a leak is fixed by regenerating it. */
  secretInUrl: boolean;
  /** True when `url` is the full URL. */
  revealed: boolean;
  /** Deliveries are accepted now (nothing in `problems`). */
  ready: boolean;
  problems: string[];
  /** Does not stop deliveries here, but may stop the vendor from reaching this URL (no public URL set). */
  warnings: string[];
  /** The vendor account the credentials belong to (Salesforce org id), as Fieldcast checks it. */
  organizationId: string | null;
}

export const MASKED_SECRET = '••••••••';

/** A new URL secret: 24 random bytes, base64url (32 characters, safe in a path segment). */
export function newWebhookUrlSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** True for vendors whose endpoint URL carries a secret that Fieldcast generates. */
export function vendorNeedsUrlSecret(vendor: string): boolean {
  return isWebhookProvider(vendor) && WEBHOOK_PROVIDERS[vendor].urlSecret === true;
}

/**
 * `stored` is the decrypted secrets, or null when there are none; `unreadable` says why they could
 * not be decrypted (a key problem the admin must see here, not as a silent 401 on every delivery).
 */
export function webhookEndpointView(
  connection: ConnectionEntity,
  stored: StoredSecrets | null,
  publicUrl: string,
  options: { reveal: boolean; unreadable?: string },
): WebhookEndpointView | null {
  if (!isWebhookProvider(connection.vendor)) return null;
  const spec = WEBHOOK_PROVIDERS[connection.vendor];
  const base = publicUrl.replace(/\/+$/, '');
  const secretInUrl = spec.urlSecret === true;
  const urlSecret = secretInUrl ? stored?.webhookSigningSecret : undefined;
  const revealed = !secretInUrl || (options.reveal && Boolean(urlSecret));
  const problems = [
    ...(options.unreadable
      ? [`The stored secrets cannot be decrypted with the configured key (${options.unreadable}); deliveries are refused.`]
      : spec.missing(connection, stored)),
    ...(connection.status === 'paused' ? ['The connection is paused: deliveries are refused until it is resumed.'] : []),
  ];
  return {
    vendor: connection.vendor,
    label: spec.setup.label,
    instructions: spec.setup.instructions,
    url: `${base}${spec.path(connection.id, secretInUrl ? (revealed ? urlSecret : MASKED_SECRET) : undefined)}`,
    secretInUrl,
    revealed,
    ready: problems.length === 0,
    problems,
    warnings: [],
    organizationId: setting(connection, 'organizationId') ?? null,
  };
}
