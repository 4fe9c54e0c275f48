/**
 * HubSpot's error bodies ([spec] `Error`, `StandardError`): `{status:"error", message, correlationId,
 * category, ...}`. Clients key on `category`, and the SDK's retry keys on the 429 body's `policyName`
 * and `message`, so these shapes are reproduced exactly.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../common/sandbox-http';

export interface HubSpotErrorExtras {
  errors?: Array<{ message: string; in?: string; code?: string; context?: Record<string, string[]> }>;
  context?: Record<string, string[]>;
  links?: Record<string, string>;
  subCategory?: string;
  headers?: Record<string, string>;
}

export function hubSpotError(status: number, category: string, message: string, extras: HubSpotErrorExtras = {}): SandboxResponse {
  const { headers, ...rest } = extras;
  return {
    status,
    ...(headers ? { headers } : {}),
    body: { status: 'error', message, correlationId: randomUUID(), category, ...rest },
  };
}

/** A per-record error inside a batch response (StandardError requires all six keys). */
export function hubSpotStandardError(category: string, message: string, context: Record<string, string[]>): Record<string, unknown> {
  return { status: 'error', category, message, context, errors: [], links: {} };
}

export type HubSpotRatePolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

const POLICY_MESSAGES: Record<HubSpotRatePolicy, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  // The SDK retries on this exact message (1 s per attempt), whatever the policy name.
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

/** 429 body HubSpot sends, with the Retry-After header the SDK ignores but a careful client honours. */
export function hubSpotRateLimited(policy: HubSpotRatePolicy, retryAfterMs: number): SandboxResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    body: {
      status: 'error',
      message: POLICY_MESSAGES[policy],
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: policy,
      requestId: randomUUID(),
    },
  };
}
