/**
 * Admin sign-in: first-run setup, scrypt password check, per-account lockout (5 failures → 15 min),
 * per-IP throttling, server-side sessions (rotated on every sign-in, so a token planted before
 * sign-in is worthless afterwards), and sign-out.
 */
import { HttpException, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { hashPassword, passwordProblems, verifyPassword } from '@fieldcast/common';
import { AdminSessionEntity, AdminUserEntity, type AdminRole } from '@fieldcast/database';
import { CONFIG } from '@fieldcast/runtime';
import type { FieldcastConfig } from '@fieldcast/config';
import { problem } from '../../problem/problem-details';
import { AuditService } from '../audit/audit.service';
import { clientInfo } from '../common/client-info';
import { validationProblem } from '../common/zod-validation';
import type { AdminPrincipal } from './admin-principal';
import { LoginThrottle } from './login-throttle';
import { hashToken, newToken, SESSION_IDLE_MS, SESSION_TTL_MS } from './session-cookie';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** Verified against when the email is unknown, so a wrong email costs as long as a wrong password. */
const DUMMY_HASH_PROMISE = hashPassword('fieldcast-timing-equaliser');

export interface IssuedSession {
  token: string;
  csrfToken: string;
  principal: AdminPrincipal;
}

@Injectable()
export class AdminAuthService {
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
  ) {}

  get secureCookies(): boolean {
    return this.config.publicUrl.startsWith('https:');
  }

  async needsSetup(): Promise<boolean> {
    return (await this.dataSource.getRepository(AdminUserEntity).count()) === 0;
  }

  /** Creates the first admin; refused (409) once any admin user exists, even when two requests race. */
  async setup(request: Request, email: string, password: string, previousToken: string | undefined): Promise<IssuedSession> {
    const problems = passwordProblems(password);
    if (problems.length) throw validationProblem(problems.map((p) => ({ pointer: '/password', detail: `The password ${p}` })));
    const passwordHash = await hashPassword(password);
    const user = await this.dataSource.transaction(async (manager) => {
      // One setup at a time across processes: the count below cannot change under us.
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('fieldcast:admin-setup'))");
      if ((await manager.getRepository(AdminUserEntity).count()) > 0) {
        throw new HttpException(
          problem(409, 'Fieldcast is already set up. Sign in, or ask an admin to create your account (npx fieldcast admin create).'),
          409,
        );
      }
      const created = await manager.getRepository(AdminUserEntity).save({ email, passwordHash, role: 'admin' as AdminRole });
      await this.audit.record(
        request,
        { userId: created.id, email },
        { action: 'admin.setup', targetType: 'admin_user', targetId: created.id, details: { email } },
        manager,
      );
      return created;
    });
    return this.issueSession(request, user, previousToken);
  }

  async login(request: Request, email: string, password: string, previousToken: string | undefined): Promise<IssuedSession> {
    const { ip } = clientInfo(request);
    const throttled = this.throttle.hit(ip ?? 'unknown');
    if (!throttled.allowed) {
      throw new HttpException(
        problem(
          429,
          `Too many sign-in attempts from this address. Try again in ${Math.ceil(throttled.retryAfterSeconds / 60)} minute(s).`,
          {
            retryAfterSeconds: throttled.retryAfterSeconds,
          },
        ),
        429,
      );
    }
    const users = this.dataSource.getRepository(AdminUserEntity);
    const user = await users.findOneBy({ email });
    const wrong = () => new HttpException(problem(401, 'The email or password is wrong.'), 401);
    if (!user) {
      await verifyPassword(password, await DUMMY_HASH_PROMISE);
      await this.audit.record(request, { userId: null, email }, { action: 'admin.login_failed', details: { reason: 'unknown email' } });
      throw wrong();
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      const retryAfterSeconds = Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000);
      await this.audit.record(
        request,
        { userId: user.id, email },
        { action: 'admin.login_refused_locked', targetType: 'admin_user', targetId: user.id },
      );
      throw new HttpException(
        problem(
          429,
          `This account is locked after ${MAX_FAILED_LOGINS} failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
          {
            retryAfterSeconds,
          },
        ),
        429,
      );
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      // Counted in SQL so parallel wrong guesses cannot undercount.
      const [row] = (await this.dataSource.query(
        `UPDATE admin_user SET failed_logins = failed_logins + 1,
           locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + ($3 || ' milliseconds')::interval ELSE locked_until END
         WHERE id = $1 RETURNING failed_logins`,
        [user.id, MAX_FAILED_LOGINS, String(LOCKOUT_MS)],
      )) as [Array<{ failed_logins: number }>, number];
      const failures = row[0]?.failed_logins ?? 0;
      await this.audit.record(
        request,
        { userId: user.id, email },
        {
          action: failures >= MAX_FAILED_LOGINS ? 'admin.locked' : 'admin.login_failed',
          targetType: 'admin_user',
          targetId: user.id,
          details: { failedLogins: failures },
        },
      );
      throw wrong();
    }
    await users.update({ id: user.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() });
    await this.audit.record(request, { userId: user.id, email }, { action: 'admin.login', targetType: 'admin_user', targetId: user.id });
    return this.issueSession(request, user, previousToken);
  }

  /** New token every sign-in; the session the browser came with (if any) is ended. */
  private async issueSession(request: Request, user: AdminUserEntity, previousToken: string | undefined): Promise<IssuedSession> {
    const sessions = this.dataSource.getRepository(AdminSessionEntity);
    if (previousToken) await sessions.delete({ tokenHash: hashToken(previousToken) });
    await sessions.delete({ userId: user.id, expiresAt: LessThan(new Date()) });
    const token = newToken();
    const csrfToken = newToken();
    const { ip, userAgent } = clientInfo(request);
    const session = await sessions.save({
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken,
      ip,
      userAgent,
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
    });
    return { token, csrfToken, principal: { userId: user.id, email: user.email, role: user.role, sessionId: session.id, csrfToken } };
  }

  /** The live session behind a cookie token, or null (unknown, expired or idle too long). */
  async resolve(token: string | undefined): Promise<AdminPrincipal | null> {
    if (!token || token.length > 200) return null;
    const sessions = this.dataSource.getRepository(AdminSessionEntity);
    const session = await sessions.findOneBy({ tokenHash: hashToken(token), expiresAt: MoreThan(new Date()) });
    if (!session) return null;
    if (Date.now() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) {
      await sessions.delete({ id: session.id });
      return null;
    }
    const user = await this.dataSource.getRepository(AdminUserEntity).findOneBy({ id: session.userId });
    if (!user) return null;
    // Touch at most once a minute: reads stay cheap, the idle timeout stays accurate enough.
    if (Date.now() - session.lastSeenAt.getTime() > 60_000) await sessions.update({ id: session.id }, { lastSeenAt: new Date() });
    return { userId: user.id, email: user.email, role: user.role, sessionId: session.id, csrfToken: session.csrfToken };
  }

  async logout(request: Request, principal: AdminPrincipal): Promise<void> {
    await this.dataSource.getRepository(AdminSessionEntity).delete({ id: principal.sessionId });
    await this.audit.record(request, principal, { action: 'admin.logout', targetType: 'admin_user', targetId: principal.userId });
  }
}
