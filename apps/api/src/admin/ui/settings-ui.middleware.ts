/**
 * Serves the built settings UI (apps/settings-ui/dist) at `/`, with the SPA fallback to index.html
 * for client-side routes. API prefixes are never touched. Hashed assets are cached for a year;
 * index.html is always revalidated so a new build shows up on the next load.
 */
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { settingsUiDist } from './settings-ui.paths';

const EXCLUDED = ['/admin/api', '/v1', '/webhooks', '/health', '/metrics', '/docs', '/__'];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};
// The UI loads only its own scripts and styles and talks only to this origin.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

function isExcluded(urlPath: string): boolean {
  return EXCLUDED.some(
    (prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`) || (prefix === '/__' && urlPath.startsWith(prefix)),
  );
}

@Injectable()
export class SettingsUiMiddleware implements NestMiddleware {
  private readonly root = settingsUiDist();

  use(request: Request, response: Response, next: NextFunction): void {
    // originalUrl, not path: Nest mounts middleware on a route, which makes `path` relative to it.
    const urlPath = (request.originalUrl ?? request.url).split('?')[0] ?? '/';
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isExcluded(urlPath)) return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return next();
    }
    const candidate = path.resolve(this.root, `.${decoded}`);
    // Never outside dist (../ tricks), never a directory listing.
    const inside = candidate === this.root || candidate.startsWith(`${this.root}${path.sep}`);
    if (inside && path.extname(candidate) && existsSync(candidate) && statSync(candidate).isFile()) {
      return this.send(response, candidate, decoded.startsWith('/assets/'));
    }
    if (path.extname(decoded)) return next(); // a missing file is a 404, not the app
    const index = path.join(this.root, 'index.html');
    if (!existsSync(index)) {
      response
        .status(503)
        .type('text/plain')
        .send('The settings UI is not built yet. Run `npm run build:ui` (npm start builds it automatically), then reload.');
      return;
    }
    this.send(response, index, false);
  }

  private send(response: Response, file: string, immutable: boolean): void {
    response.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    response.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (file.endsWith('.html')) {
      response.setHeader('Content-Security-Policy', CSP);
      response.setHeader('Referrer-Policy', 'same-origin');
    }
    createReadStream(file).pipe(response);
  }
}
