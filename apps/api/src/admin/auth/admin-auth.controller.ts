import { Body, Controller, Get, HttpCode, HttpException, Post, Req, Res, UseGuards } from '@nestjs/common';
import { problem } from '../../problem/problem-details';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { openApiSchema, parseInput } from '../common/zod-validation';
import { AdminAuthService, type IssuedSession } from './admin-auth.service';
import { principalOf } from './admin-principal';
import { AdminPublic, AdminSessionGuard, AnyAdminRole } from './admin-session.guard';
import { clearSessionCookies, readCookie, SESSION_COOKIE, setSessionCookies } from './session-cookie';

const credentialsSchema = z.object({
  email: z
    .string({ message: 'expected the email address as a string' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'expected an email address like admin@example.com' })),
  password: z
    .string({ message: 'expected the password as a string' })
    .min(1, 'expected a password')
    .max(256, 'expected at most 256 characters'),
});

@ApiTags('admin: auth')
@Controller('admin/api')
@UseGuards(AdminSessionGuard)
export class AdminAuthController {
  constructor(private readonly auth: AdminAuthService) {}

  @Get('auth/session')
  @AdminPublic()
  @ApiOperation({ summary: 'Who is signed in (and whether first-run setup is needed); carries the CSRF token for the UI' })
  async session(@Req() request: Request) {
    const principal = await this.auth.resolve(readCookie(request, SESSION_COOKIE));
    return {
      needsSetup: principal ? false : await this.auth.needsSetup(),
      user: principal ? { id: principal.userId, email: principal.email, role: principal.role } : null,
      csrfToken: principal?.csrfToken ?? null,
    };
  }

  @Post('setup')
  @AdminPublic()
  @ApiOperation({ summary: 'First-run setup: creates the first admin and signs in (409 once any admin exists)' })
  @ApiBody({ schema: openApiSchema(credentialsSchema) })
  async setup(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() body: unknown) {
    this.requireJson(request);
    const { email, password } = parseInput(credentialsSchema, body);
    return this.signedIn(response, await this.auth.setup(request, email, password, readCookie(request, SESSION_COOKIE)));
  }

  @Post('auth/login')
  @HttpCode(200)
  @AdminPublic()
  @ApiOperation({ summary: 'Sign in (new session every time; 5 failures lock the account for 15 minutes; per-IP throttling)' })
  @ApiBody({ schema: openApiSchema(credentialsSchema) })
  async login(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() body: unknown) {
    this.requireJson(request);
    const { email, password } = parseInput(credentialsSchema, body);
    return this.signedIn(response, await this.auth.login(request, email, password, readCookie(request, SESSION_COOKIE)));
  }

  @Post('auth/logout')
  @HttpCode(204)
  @AnyAdminRole()
  @ApiOperation({ summary: 'Sign out (ends the session on the server)' })
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(request, principalOf(request));
    clearSessionCookies(response, this.auth.secureCookies);
  }

  /**
   * Sign-in and setup carry no CSRF token yet; requiring a JSON body means a cross-site HTML form
   * cannot submit them (it can only send form encodings), which stops login CSRF.
   */
  private requireJson(request: Request): void {
    if (!request.is('application/json')) {
      throw new HttpException(problem(415, 'Send the credentials as application/json.'), 415);
    }
  }

  private signedIn(response: Response, issued: IssuedSession) {
    setSessionCookies(response, issued.token, issued.csrfToken, this.auth.secureCookies);
    const { principal } = issued;
    return { user: { id: principal.userId, email: principal.email, role: principal.role }, csrfToken: issued.csrfToken };
  }
}
