/**
 * Zendesk's error bodies, in the shapes the real API answers with (vendor-apis.md §3.4). node-zendesk
 * only parses bodies whose Content-Type contains application/json, so JSON errors say so explicitly.
 * https://developer.zendesk.com/api-reference/introduction/requests/#response-format
 */
import type { SandboxResponse } from '../common/sandbox-http';

export const ZENDESK_JSON = 'application/json; charset=utf-8';

export function zendeskJson(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'Content-Type': ZENDESK_JSON, ...headers }, body };
}

export function zendeskRecordNotFound(): SandboxResponse {
  return zendeskJson(404, { error: 'RecordNotFound', description: 'Not found' });
}

/** 422 RecordInvalid with details keyed by attribute, as a single-ticket update or a create answers. */
export function zendeskRecordInvalid(attribute: string, description: string, error = 'InvalidValue'): SandboxResponse {
  return zendeskJson(422, {
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: { [attribute]: [{ description, error }] },
  });
}

export function zendeskBadRequest(error: string, description: string): SandboxResponse {
  return zendeskJson(400, { error, description });
}

export function zendeskForbidden(message: string): SandboxResponse {
  return zendeskJson(403, { error: { title: 'Forbidden', message } });
}

export function zendeskUnauthorized(): SandboxResponse {
  return zendeskJson(401, { error: "Couldn't authenticate you" });
}

/** OAuth bearer tokens that are unknown, revoked or expired get the OAuth error shape. */
export function zendeskInvalidToken(): SandboxResponse {
  return zendeskJson(401, {
    error: 'invalid_token',
    error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.',
  });
}

/** Parses a JSON request body; a malformed body is a 400 that says where parsing stopped. */
export function parseZendeskBody(raw: Buffer): { ok: true; body: Record<string, unknown> } | { ok: false; response: SandboxResponse } {
  if (raw.length === 0) return { ok: true, body: {} };
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return { ok: false, response: zendeskBadRequest('InvalidJSON', 'The request body must be a JSON object, e.g. {"ticket": {...}}') };
    return { ok: true, body: parsed as Record<string, unknown> };
  } catch (error) {
    return { ok: false, response: zendeskBadRequest('InvalidJSON', `The request body is not valid JSON: ${(error as Error).message}`) };
  }
}
