/**
 * How the Zendesk sandbox answers what the shared plumbing injects (rate limits, server errors,
 * outages, unknown paths) and the headers every API answer carries.
 * https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */
import type { SandboxRequest, SandboxResponse, VendorBehaviour } from '../common/sandbox-http';
import type { ZendeskApi } from './zendesk-api';
import { zendeskJson } from './zendesk-errors';
import type { ZendeskRateKind } from './zendesk-rate-limit';

const TITLES: Record<number, string> = { 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** 429 as Zendesk sends it: Retry-After in seconds and a text/plain body (node-zendesk resolves it). */
export function zendeskRateLimited(retryAfterSeconds: number, kind: ZendeskRateKind = 'api'): SandboxResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds), 'Content-Type': 'text/plain; charset=utf-8' },
    body:
      kind === 'export'
        ? 'Number of allowed incremental export API requests per minute exceeded'
        : 'Number of allowed API requests per minute exceeded',
  };
}

export function createZendeskBehaviour(api: () => ZendeskApi | undefined): VendorBehaviour {
  return {
    name: 'zendesk',
    rateLimited: (_request, retryAfterSeconds) => zendeskRateLimited(retryAfterSeconds),
    serverError: (_request, status) => {
      // Gateways in front of Zendesk answer 502/504 with HTML; node-zendesk resolves those with `{}`.
      if (status === 502 || status === 504)
        return {
          status,
          headers: { 'Content-Type': 'text/html; charset=utf-8' },
          body: `<html><body><h1>${status} Gateway error</h1></body></html>`,
        };
      return zendeskJson(status, {
        error: { title: TITLES[status] ?? 'Server Error', message: 'The sandbox injected a server error (POST /__sandbox/faults).' },
      });
    },
    outage: () => zendeskJson(503, { error: { title: 'Service Unavailable', message: 'Zendesk is unavailable (sandbox outage window).' } }),
    notFound: (request: SandboxRequest) =>
      request.path.startsWith('/__sandbox/')
        ? zendeskJson(404, { error: 'InvalidEndpoint', description: `No sandbox control endpoint ${request.method} ${request.path}` })
        : zendeskJson(404, { error: 'InvalidEndpoint', description: 'Not found' }),
    decorate: (request, response) => {
      const note = api()?.notes.get(request);
      if (!note) return;
      const headers = (response.headers ??= {});
      headers['X-Rate-Limit'] = String(note.state.limit);
      headers['X-Rate-Limit-Remaining'] = String(note.state.remaining);
      if (note.options.list) {
        headers['ratelimit-limit'] = String(note.state.limit);
        headers['ratelimit-remaining'] = String(note.state.remaining);
        headers['ratelimit-reset'] = String(note.state.resetSeconds);
      }
      if (note.options.ticketsIndex)
        headers['zendesk-ratelimit-tickets-index'] =
          `total=100; remaining=${Math.min(99, note.state.remaining)}; resets=${note.state.resetSeconds}`;
    },
  };
}
