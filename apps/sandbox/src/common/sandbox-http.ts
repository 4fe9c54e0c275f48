/**
 * Minimal HTTP plumbing shared by the three vendor sandboxes: a router on path templates, request
 * parsing, stats per "METHOD /template", fault injection and the common /__sandbox/ control endpoints.
 * Plain node:http (no framework) so a sandbox is never the bottleneck of a benchmark.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxFaults, type FaultSettings } from './sandbox-faults';
import { SandboxStats } from './sandbox-stats';

export interface SandboxRequest {
  method: string;
  /** Path without query string, e.g. `/services/data/v59.0/query`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  /** Path parameters from the matched template (`:id`). */
  params: Record<string, string>;
  /** The matched template, e.g. `GET /services/data/:version/query`. */
  template: string;
  /** The URL this server is reachable at (`http://127.0.0.1:4101`). */
  baseUrl: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects and arrays are sent as JSON; strings as text/plain unless a content-type header is given. */
  body?: unknown;
}

export type SandboxHandler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  paramNames: string[];
  handler: SandboxHandler;
}

export class SandboxRouter {
  private readonly routes: Route[] = [];

  /**
   * Adds a route. `:name` matches one path segment; `*name` matches the rest of the path.
   * A trailing `.json` in the request path is accepted where the template ends with `{.json}`.
   */
  add(method: string, template: string, handler: SandboxHandler): this {
    const paramNames: string[] = [];
    const source = template
      .replace(/[.+?^$()[\]\\|]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`))
      .replace(/\{\\\.json\}/g, '(?:\\.json)?')
      .replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
        paramNames.push(name);
        return '([^/]+?)';
      })
      .replace(/\*([A-Za-z_]+)/g, (_m, name: string) => {
        paramNames.push(name);
        return '(.+)';
      });
    this.routes.push({
      method,
      template: `${method} ${template.replace('{.json}', '')}`,
      pattern: new RegExp(`^${source}/?$`),
      paramNames,
      handler,
    });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
      return { route, params };
    }
    return undefined;
  }
}

export interface VendorBehaviour {
  /** Vendor name used in logs and the stats output. */
  name: string;
  /** How this vendor answers a rate-limited call (429 shape differs per vendor). */
  rateLimited(request: SandboxRequest, retryAfterSeconds: number): SandboxResponse;
  /** How this vendor answers an injected server error. */
  serverError(request: SandboxRequest, status: number): SandboxResponse;
  /** How this vendor answers during an outage window (usually 503). */
  outage(request: SandboxRequest): SandboxResponse;
  /** Headers added to every vendor response (Sforce-Limit-Info, X-HubSpot-RateLimit-*, X-Rate-Limit). */
  decorate?(request: SandboxRequest, response: SandboxResponse): void;
  /** Vendor-specific 404 body. */
  notFound(request: SandboxRequest): SandboxResponse;
}

export interface SandboxServerOptions {
  vendor: VendorBehaviour;
  router: SandboxRouter;
  /** Extra control endpoints under /__sandbox/ (credentials, seed, records, webhooks/fire). */
  control: SandboxRouter;
  /** Called by POST /__sandbox/reset after the common state (stats, faults) is cleared. */
  onReset?: () => void | Promise<void>;
  /** Adds vendor numbers (records per object) to GET /__sandbox/stats. */
  extraStats?: () => Record<string, unknown>;
}

const MAX_BODY_BYTES = 50 * 1024 * 1024;

export class SandboxServer {
  readonly stats = new SandboxStats();
  readonly faults = new SandboxFaults();
  private server?: Server;
  private url = '';

  constructor(private readonly options: SandboxServerOptions) {
    const control = options.control;
    control.add('GET', '/__sandbox/stats', () => ({ status: 200, body: { ...this.stats.toJSON(), ...(options.extraStats?.() ?? {}) } }));
    control.add('POST', '/__sandbox/faults', (req) => {
      const settings = parseJson<Partial<FaultSettings>>(req.rawBody) ?? {};
      const problems = this.faults.configure(settings);
      if (problems.length) return { status: 400, body: { error: 'invalid fault settings', problems } };
      return { status: 200, body: this.faults.toJSON() };
    });
    control.add('GET', '/__sandbox/faults', () => ({ status: 200, body: this.faults.toJSON() }));
    control.add('POST', '/__sandbox/reset', async () => {
      this.stats.reset();
      this.faults.reset();
      await options.onReset?.();
      return { status: 200, body: { reset: true } };
    });
  }

  get baseUrl(): string {
    return this.url;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const rawBody = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://sandbox.local');
      const method = (req.method ?? 'GET').toUpperCase();
      const headers = req.headers as Record<string, string | undefined>;
      const isControl = url.pathname.startsWith('/__sandbox/');
      const router = isControl ? this.options.control : this.options.router;
      const matched = router.match(method, url.pathname);
      const request: SandboxRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers,
        rawBody,
        params: matched?.params ?? {},
        template: matched?.route.template ?? `${method} (unmatched)`,
        baseUrl: this.url,
      };
      let response: SandboxResponse;
      if (!matched) {
        response = this.options.vendor.notFound(request);
      } else if (isControl) {
        response = await matched.route.handler(request);
      } else {
        this.stats.countCall(request.template);
        response = (await this.injectFault(request)) ?? (await matched.route.handler(request));
        if (response.status === 429) this.stats.countRateLimitHit();
        this.options.vendor.decorate?.(request, response);
      }
      send(res, response);
    } catch (error) {
      send(res, { status: 500, body: { error: 'sandbox internal error', message: (error as Error).message } });
    }
  }

  private async injectFault(request: SandboxRequest): Promise<SandboxResponse | undefined> {
    const decision = this.faults.decide();
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.kind === 'outage') return this.options.vendor.outage(request);
    if (decision.kind === 'rate-limit') return this.options.vendor.rateLimited(request, decision.retryAfterSeconds);
    if (decision.kind === 'server-error') return this.options.vendor.serverError(request, decision.status);
    return undefined;
  }
}

export function parseJson<T>(raw: Buffer): T | undefined {
  if (raw.length === 0) return undefined;
  return JSON.parse(raw.toString('utf8')) as T;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large for the sandbox');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  let payload: string | Buffer | undefined;
  if (response.body === undefined || response.body === null) {
    payload = undefined;
  } else if (Buffer.isBuffer(response.body)) {
    payload = response.body;
  } else if (typeof response.body === 'string') {
    payload = response.body;
    if (!hasType) headers['Content-Type'] = 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(response.body);
    if (!hasType) headers['Content-Type'] = 'application/json;charset=UTF-8';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}
