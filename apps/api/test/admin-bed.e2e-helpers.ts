/**
 * Shared set-up of the admin API e2e tests: a real Platform on a fresh test database, the real Nest
 * app on 127.0.0.1:0, optionally the three vendor sandboxes on free ports (the demo defaults point at
 * them), and a small HTTP client that keeps cookies like a browser and sends the CSRF header.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@fieldcast/config';
import { createAllConnectors } from '@fieldcast/connectors';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createLogger, startPlatform, type Platform } from '@fieldcast/runtime';
import { startSandboxes, type SandboxCluster } from '@fieldcast/sandbox';
import { startWorker } from '../../worker/src';
import { createApiApp } from '../src/create-api-app';

export interface AdminBed {
  db: TestDatabase;
  platform: Platform;
  app: INestApplication;
  baseUrl: string;
  sandboxes?: SandboxCluster;
  close(): Promise<void>;
}

/** `worker: true` also runs the real worker (sync, write-back, webhook jobs) in this process. */
export async function startAdminBed(options: { sandboxes?: boolean; worker?: boolean } = {}): Promise<AdminBed> {
  const sandboxes = options.sandboxes
    ? await startSandboxes({ ports: { salesforce: 0, hubspot: 0, zendesk: 0 }, data: { leads: 40, tickets: 40, seed: 7 } })
    : undefined;
  const port = (url: string | undefined, fallback: string) => (url ? new URL(url).port : fallback);
  const db = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    FIELDCAST_SECRET_KEY: randomBytes(32).toString('base64'),
    FIELDCAST_MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    SANDBOX_SALESFORCE_PORT: port(sandboxes?.urls.salesforce, '4101'),
    SANDBOX_HUBSPOT_PORT: port(sandboxes?.urls.hubspot, '4102'),
    SANDBOX_ZENDESK_PORT: port(sandboxes?.urls.zendesk, '4103'),
  });
  const platform = await startPlatform({
    config,
    log: createLogger({ level: 'silent' }),
    role: options.worker ? 'worker' : 'producer',
    connectors: createAllConnectors(),
  });
  const worker = options.worker ? await startWorker(platform) : undefined;
  const app = await createApiApp(platform);
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  platform.config.publicUrl = baseUrl;
  return {
    db,
    platform,
    app,
    baseUrl,
    sandboxes,
    async close() {
      await app.close();
      await worker?.context.close();
      await platform.shutdown();
      await sandboxes?.stop();
      await db.drop();
    },
  };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A browser-like client: remembers Set-Cookie values and sends X-CSRF-Token on writes. */
export class AdminClient {
  cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(private readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: string | false; redirect?: 'manual' | 'follow' } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size) headers['cookie'] = this.cookieHeader();
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: options.redirect ?? 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  async signIn(email: string, password: string, path = '/admin/api/auth/login'): Promise<HttpResult> {
    const result = await this.request<{ csrfToken?: string }>('POST', path, { email, password });
    if (result.body.csrfToken) this.csrfToken = result.body.csrfToken;
    return result as HttpResult;
  }
}

export const ADMIN_EMAIL = 'admin@fieldcast.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';
