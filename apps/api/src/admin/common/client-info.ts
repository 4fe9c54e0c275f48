import type { Request } from 'express';

/** Where a request came from, for the audit log and throttling (Express resolves X-Forwarded-For only from trusted proxies). */
export function clientInfo(request: Request): { ip: string | null; userAgent: string | null } {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null };
}
