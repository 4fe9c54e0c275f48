/**
 * Webhook signature helpers shared by the vendor sandboxes (which sign) and the connectors (which
 * verify): HubSpot v1 / v2 / v3 and Zendesk. Everything works on the raw body bytes, because
 * re-serialising parsed JSON changes whitespace and key order and breaks the signature.
 * Comparison is timing-safe so a forger cannot learn the signature byte by byte.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignedBody = Buffer | string;

export type WebhookSignatureCheck = { ok: true } | { ok: false; reason: string };

/** HubSpot rejects v3 requests older than this (the SDK's Signature.MAX_ALLOWED_TIMESTAMP). */
export const HUBSPOT_SIGNATURE_MAX_AGE_MS = 300_000;

/** Default freshness window for Zendesk, which prescribes none itself. */
export const ZENDESK_SIGNATURE_MAX_AGE_MS = 300_000;

function bytes(body: SignedBody): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Constant-time string comparison; different lengths are unequal without leaking where they differ. */
export function timingSafeEqualText(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  if (a.length !== b.length) {
    // Still spend a comparison so a length mismatch is not measurably faster than a content mismatch.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * HubSpot v1: hex(sha256(clientSecret + body)).
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests
 */
export function computeHubSpotSignatureV1(clientSecret: string, body: SignedBody): string {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(clientSecret, 'utf8'), bytes(body)]))
    .digest('hex');
}

/**
 * HubSpot v2: hex(sha256(clientSecret + method + uri + body)); the uri includes protocol, host and query.
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests
 */
export function computeHubSpotSignatureV2(clientSecret: string, method: string, uri: string, body: SignedBody): string {
  const prefix = Buffer.from(clientSecret + method.toUpperCase() + uri, 'utf8');
  return createHash('sha256')
    .update(Buffer.concat([prefix, bytes(body)]))
    .digest('hex');
}

/**
 * HubSpot v3: base64(HMAC_SHA256(clientSecret, method + uri + body + timestamp)); timestamp is the raw
 * X-HubSpot-Request-Timestamp header (epoch ms).
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests
 */
export function computeHubSpotSignatureV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: SignedBody,
  timestamp: string | number,
): string {
  return createHmac('sha256', clientSecret)
    .update(Buffer.from(method.toUpperCase() + uri, 'utf8'))
    .update(bytes(body))
    .update(String(timestamp), 'utf8')
    .digest('base64');
}

// HubSpot signs the v3 URI with these escapes decoded (and only these); the Node SDK does not decode.
const HUBSPOT_V3_DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** Decodes the escapes HubSpot decodes before signing a v3 URI (case-insensitive hex), nothing else. */
export function decodeHubSpotV3Uri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => HUBSPOT_V3_DECODED_ESCAPES[m.toUpperCase()] ?? m);
}

export interface HubSpotSignatureInput {
  /** `v1`, `v2` (X-HubSpot-Signature + X-HubSpot-Signature-Version) or `v3` (X-HubSpot-Signature-v3). */
  version: 'v1' | 'v2' | 'v3';
  clientSecret: string;
  method: string;
  /** The full public URL HubSpot called (protocol, host, path, query). Not needed for v1. */
  uri?: string;
  rawBody: SignedBody;
  signature: string | undefined;
  /** Raw X-HubSpot-Request-Timestamp (v3). */
  timestamp?: string;
  /** Epoch ms "now"; injectable so tests and replays are deterministic. */
  now?: number;
  maxAgeMs?: number;
}

/**
 * Verifies a HubSpot webhook signature. Unlike the SDK's Signature.isValid (which throws on a stale
 * timestamp) this always returns a result with a reason, so the ingress can answer 401 and log why.
 * For v3 both the URI as given and the HubSpot-decoded URI are accepted, because proxies differ in
 * whether they re-encode the query string.
 */
export function verifyHubSpotSignature(input: HubSpotSignatureInput): WebhookSignatureCheck {
  const { version, clientSecret, method, rawBody, signature } = input;
  if (!clientSecret) return { ok: false, reason: 'no client secret configured for this connection' };
  if (!signature) return { ok: false, reason: `missing ${version === 'v3' ? 'X-HubSpot-Signature-v3' : 'X-HubSpot-Signature'} header` };
  if (version === 'v1') {
    return timingSafeEqualText(computeHubSpotSignatureV1(clientSecret, rawBody), signature)
      ? { ok: true }
      : { ok: false, reason: 'v1 signature mismatch' };
  }
  if (!input.uri) return { ok: false, reason: `${version} signatures cover the request URI, but none was given` };
  if (version === 'v2') {
    return timingSafeEqualText(computeHubSpotSignatureV2(clientSecret, method, input.uri, rawBody), signature)
      ? { ok: true }
      : { ok: false, reason: 'v2 signature mismatch' };
  }
  const timestamp = input.timestamp;
  if (!timestamp || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing or non-numeric X-HubSpot-Request-Timestamp header' };
  const now = input.now ?? Date.now();
  const maxAge = input.maxAgeMs ?? HUBSPOT_SIGNATURE_MAX_AGE_MS;
  const age = now - Number(timestamp);
  if (age > maxAge)
    return { ok: false, reason: `stale timestamp: signed ${Math.round(age / 1000)} s ago, the limit is ${maxAge / 1000} s` };
  // A timestamp far in the future is as suspicious as a stale one (clock skew up to the same window is tolerated).
  if (age < -maxAge) return { ok: false, reason: `timestamp ${Math.round(-age / 1000)} s in the future` };
  const candidates = new Set([input.uri, decodeHubSpotV3Uri(input.uri)]);
  for (const uri of candidates) {
    if (timingSafeEqualText(computeHubSpotSignatureV3(clientSecret, method, uri, rawBody, timestamp), signature)) return { ok: true };
  }
  return { ok: false, reason: 'v3 signature mismatch' };
}

/**
 * Zendesk: base64(HMAC_SHA256(signingSecret, timestamp + body)); the secret is used as given (not
 * base64-decoded) and the timestamp is the literal X-Zendesk-Webhook-Signature-Timestamp header.
 * https://developer.zendesk.com/documentation/webhooks/verifying/
 */
export function computeZendeskSignature(signingSecret: string, timestamp: string, body: SignedBody): string {
  return createHmac('sha256', signingSecret).update(timestamp, 'utf8').update(bytes(body)).digest('base64');
}

export interface ZendeskSignatureInput {
  signingSecret: string;
  rawBody: SignedBody;
  signature: string | undefined;
  /** Raw X-Zendesk-Webhook-Signature-Timestamp, ISO 8601 (`2024-04-17T17:18:10Z`). */
  timestamp: string | undefined;
  now?: number;
  maxAgeMs?: number;
}

/** Verifies a Zendesk webhook signature with a freshness window (Zendesk prescribes none; we do). */
export function verifyZendeskSignature(input: ZendeskSignatureInput): WebhookSignatureCheck {
  const { signingSecret, rawBody, signature, timestamp } = input;
  if (!signingSecret) return { ok: false, reason: 'no signing secret configured for this webhook' };
  if (!signature) return { ok: false, reason: 'missing X-Zendesk-Webhook-Signature header' };
  if (!timestamp) return { ok: false, reason: 'missing X-Zendesk-Webhook-Signature-Timestamp header' };
  const signedAt = Date.parse(timestamp);
  if (Number.isNaN(signedAt))
    return { ok: false, reason: `X-Zendesk-Webhook-Signature-Timestamp is not a date: ${JSON.stringify(timestamp)}` };
  const maxAge = input.maxAgeMs ?? ZENDESK_SIGNATURE_MAX_AGE_MS;
  const age = (input.now ?? Date.now()) - signedAt;
  if (age > maxAge)
    return { ok: false, reason: `stale timestamp: signed ${Math.round(age / 1000)} s ago, the limit is ${maxAge / 1000} s` };
  if (age < -maxAge) return { ok: false, reason: `timestamp ${Math.round(-age / 1000)} s in the future` };
  return timingSafeEqualText(computeZendeskSignature(signingSecret, timestamp, rawBody), signature)
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}
