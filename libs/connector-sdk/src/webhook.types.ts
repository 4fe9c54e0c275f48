/** Webhooks are verified on the raw body bytes, stored in the inbox, acknowledged, and processed by the worker. */
export interface WebhookRequest {
  method: string;
  /** Full request path with query, as received (signature v2/v3 sign the URI). */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  /** Receive time (epoch ms), used for freshness windows. */
  receivedAt: number;
}

export interface WebhookSecrets {
  /** HubSpot app client secret, Zendesk webhook signing secret. */
  signingSecret?: string;
  /** Salesforce: the organization id outbound messages must carry. */
  organizationId?: string;
  /** The public URL the vendor calls (HubSpot v2/v3 sign it). */
  publicUrl?: string;
}

export type WebhookVerification = { ok: true } | { ok: false; reason: string };

export interface WebhookEvent {
  /** Unique per vendor event: redeliveries carry the same id, so the inbox drops them. */
  eventId: string;
  /** Stream name (`leads`, `contacts`, `tickets`, ...). */
  stream: string;
  externalId: string;
  kind: 'created' | 'updated' | 'deleted';
  occurredAt: string;
  /** Vendor's change source when it tells (HubSpot `changeSource`), kept for echo suppression and audit. */
  changeSource?: string;
}

export interface WebhookParseResult {
  events: WebhookEvent[];
  /** Events dropped at parse time (IMPORT, our own writes echoed back), with why. */
  dropped: Array<{ eventId: string; reason: string }>;
  /** What to answer the vendor (Salesforce wants a SOAP ack); JSON `{received: n}` otherwise. */
  acknowledgement?: { contentType: string; body: string };
}

export interface WebhookHandler {
  verify(request: WebhookRequest, secrets: WebhookSecrets): WebhookVerification;
  parse(request: WebhookRequest, context: { integrationUserId?: string; appId?: string }): WebhookParseResult;
}
