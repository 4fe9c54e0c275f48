/**
 * Enforced on every admin endpoint: a live session (401 otherwise); on state-changing methods the
 * X-CSRF-Token header must equal the session's CSRF token, and the role must be `admin` (viewers
 * are read-only). Routes opt out with @AdminPublic() (sign-in, setup) or mark a GET that starts or
 * completes a change with @AdminOnly() (OAuth start and callback, protected by the signed state);
 * @AnyAdminRole() lets viewers make a write about their own session (sign-out).
 */
import { CanActivate, HttpException, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { problem } from '../../problem/problem-details';
import { AdminAuthService } from './admin-auth.service';
import type { AdminRequest } from './admin-principal';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from './session-cookie';

const PUBLIC = 'fieldcast:admin-public';
const ADMIN_ONLY = 'fieldcast:admin-only';
const ANY_ROLE = 'fieldcast:any-role';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const AdminPublic = () => SetMetadata(PUBLIC, true);
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);
/** A write any signed-in user may make about their own session (sign-out); CSRF still applies. */
export const AnyAdminRole = () => SetMetadata(ANY_ROLE, true);

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

@Injectable()
export class AdminSessionGuard implements CanActivate {
  constructor(
    private readonly auth: AdminAuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const principal = await this.auth.resolve(readCookie(request, SESSION_COOKIE));
    if (!principal) throw new HttpException(problem(401, 'Sign in to use the admin API (your session may have expired).'), 401);
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets);
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== 'string' || !sameToken(header, principal.csrfToken)) {
        throw new HttpException(
          problem(403, 'The X-CSRF-Token header is missing or does not match this session. Reload the page and try again.', {
            type: 'https://fieldcast.dev/problems/csrf',
          }),
          403,
        );
      }
    }
    const anyRole = this.reflector.getAllAndOverride<boolean>(ANY_ROLE, targets);
    if (!anyRole && (adminOnly || !SAFE_METHODS.has(request.method)) && principal.role !== 'admin') {
      throw new HttpException(problem(403, 'Your role is viewer: you can look at everything but not change it. Ask an admin.'), 403);
    }
    request.fieldcastAdmin = principal;
    return true;
  }
}
