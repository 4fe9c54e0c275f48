/**
 * Verifies a HubSpot webhook on its raw bytes: v3 (HMAC over method + URI + body + timestamp, rejected
 * after 5 minutes) whenever X-HubSpot-Signature-v3 is present, else v1/v2 for legacy apps (no timestamp:
 * replays are caught only by the inbox's event-id dedupe). The signed URI is the public URL HubSpot
 * called; behind a proxy the path we see may differ, so the configured public URL is tried as given,
 * with the received query string, and as origin + received path.
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests
 */
import { HUBSPOT_SIGNATURE_MAX_AGE_MS, verifyHubSpotSignature } from '@fieldcast/common';
import type { WebhookRequest, WebhookSecrets, WebhookVerification } from '@fieldcast/connector-sdk';

function candidateUris(request: WebhookRequest, publicUrl: string | undefined): string[] {
  if (!publicUrl) return [];
  const candidates = new Set<string>([publicUrl]);
  try {
    const base = new URL(publicUrl);
    const received = new URL(request.url, base.origin);
    if (!base.search && received.search) candidates.add(publicUrl + received.search);
    candidates.add(base.origin + request.url);
  } catch {
    // publicUrl is validated at configuration time; an unparsable one simply yields no extra candidates.
  }
  return [...candidates];
}

export function verifyHubSpotWebhook(
  request: WebhookRequest,
  secrets: WebhookSecrets,
  maxAgeMs = HUBSPOT_SIGNATURE_MAX_AGE_MS,
): WebhookVerification {
  const secret = secrets.signingSecret;
  if (!secret) return { ok: false, reason: 'no HubSpot client secret configured for this connection' };
  const v3 = request.headers['x-hubspot-signature-v3'];
  const legacy = request.headers['x-hubspot-signature'];
  const version = v3 ? 'v3' : (request.headers['x-hubspot-signature-version'] ?? 'v1').toLowerCase();
  if (!v3 && !legacy) return { ok: false, reason: 'no X-HubSpot-Signature-v3 or X-HubSpot-Signature header' };
  if (version !== 'v1' && version !== 'v2' && version !== 'v3')
    return { ok: false, reason: `unsupported signature version ${JSON.stringify(version)}` };
  if (version === 'v1') {
    return verifyHubSpotSignature({
      version: 'v1',
      clientSecret: secret,
      method: request.method,
      rawBody: request.rawBody,
      signature: legacy,
    });
  }
  const uris = candidateUris(request, secrets.publicUrl);
  if (!uris.length) return { ok: false, reason: `${version} signatures cover the public webhook URL; configure it for this connection` };
  let last: WebhookVerification = { ok: false, reason: `${version} signature mismatch` };
  for (const uri of uris) {
    const check = verifyHubSpotSignature({
      version: version as 'v2' | 'v3',
      clientSecret: secret,
      method: request.method,
      uri,
      rawBody: request.rawBody,
      signature: version === 'v3' ? v3 : legacy,
      timestamp: request.headers['x-hubspot-request-timestamp'],
      now: request.receivedAt,
      maxAgeMs,
    });
    if (check.ok) return check;
    last = check;
    // A stale or missing timestamp fails the same way for every URI.
    if (!/mismatch/.test(check.reason)) return check;
  }
  return last;
}
