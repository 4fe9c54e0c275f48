/**
 * Registers Zendesk API routes with what every real call goes through first: authentication, then
 * the account's rate limits. Handlers get the caller and the absolute base URL to build `url`,
 * `links.next` and `after_url` from (taken from the Host header, so a client that reached the
 * sandbox as `localhost` follows links on `localhost` too: node-zendesk only follows links that
 * start with its own endpointUri).
 */
import type { SandboxRequest, SandboxResponse, SandboxRouter } from '../common/sandbox-http';
import type { ZendeskAuth, ZendeskCaller } from './zendesk-auth';
import type { ZendeskRateKind, ZendeskRateLimiter, ZendeskRateState } from './zendesk-rate-limit';
import type { ZendeskActor } from './zendesk-ticket.service';

export interface ZendeskCallContext {
  caller: ZendeskCaller;
  /** `http://host:port` as the client addressed us. */
  baseUrl: string;
  /** The author of writes made by this call (API calls are `via: api`). */
  actor: ZendeskActor;
}

export type ZendeskHandler = (request: SandboxRequest, context: ZendeskCallContext) => SandboxResponse | Promise<SandboxResponse>;

export interface ZendeskRouteOptions {
  /** Counts against the incremental-export limit too. */
  rate?: ZendeskRateKind;
  /** List endpoints also send the ratelimit-* headers. */
  list?: boolean;
  /** The tickets index also sends zendesk-ratelimit-tickets-index. */
  ticketsIndex?: boolean;
}

export interface ZendeskRateNote {
  state: ZendeskRateState;
  options: ZendeskRouteOptions;
}

export function zendeskBaseUrl(request: SandboxRequest): string {
  const host = request.headers.host;
  return host ? `http://${host}` : request.baseUrl;
}

export class ZendeskApi {
  /** What the limiter said for each request, read by the vendor's decorate() to set headers. */
  readonly notes = new WeakMap<SandboxRequest, ZendeskRateNote>();

  constructor(
    readonly router: SandboxRouter,
    private readonly auth: ZendeskAuth,
    private readonly limiter: ZendeskRateLimiter,
    private readonly rateLimited: (request: SandboxRequest, retryAfterSeconds: number, kind: ZendeskRateKind) => SandboxResponse,
  ) {}

  add(method: string, template: string, handler: ZendeskHandler, options: ZendeskRouteOptions = {}): this {
    this.router.add(method, template, async (request) => {
      const auth = this.auth.authenticate(request.headers.authorization);
      if (!auth.ok) return auth.response;
      const taken = this.limiter.take(options.rate ?? 'api');
      this.notes.set(request, { state: taken.state, options });
      if (!taken.ok) return this.rateLimited(request, taken.retryAfterSeconds, taken.kind);
      return handler(request, {
        caller: auth.caller,
        baseUrl: zendeskBaseUrl(request),
        actor: { userId: auth.caller.user.id, viaChannel: 'api' },
      });
    });
    return this;
  }
}
