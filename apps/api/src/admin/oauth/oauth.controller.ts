import { Controller, Get, HttpException, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { principalOf } from '../auth/admin-principal';
import { AdminOnly, AdminSessionGuard } from '../auth/admin-session.guard';
import { OAuthFlowService, type OAuthStartInput } from './oauth-flow.service';

function startInput(query: Record<string, unknown>): OAuthStartInput {
  const text = (key: string) => (typeof query[key] === 'string' && query[key] !== '' ? (query[key] as string) : undefined);
  return {
    name: text('name'),
    baseUrl: text('baseUrl'),
    clientId: text('clientId'),
    clientSecret: text('clientSecret'),
    appId: text('appId'),
  };
}

@ApiTags('admin: connections')
@Controller('admin/api')
@UseGuards(AdminSessionGuard)
export class OAuthController {
  constructor(
    private readonly flow: OAuthFlowService,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  @Get('connections/oauth/:vendor/start')
  @AdminOnly()
  @ApiOperation({
    summary:
      'Connect Salesforce or HubSpot: redirects to the vendor consent page (demo mode: the local sandbox and its demo app when fields are left out)',
  })
  @ApiQuery({ name: 'name', required: true })
  @ApiQuery({ name: 'baseUrl', required: false, description: 'Salesforce login URL or HubSpot API base' })
  @ApiQuery({ name: 'clientId', required: false })
  @ApiQuery({ name: 'clientSecret', required: false })
  @ApiQuery({ name: 'appId', required: false, description: 'HubSpot app id (echo suppression of our own writes)' })
  async start(
    @Req() request: Request,
    @Res() response: Response,
    @Param('vendor') vendor: string,
    @Query() query: Record<string, unknown>,
  ) {
    response.redirect(302, await this.flow.start(request, principalOf(request), vendor, startInput(query)));
  }

  @Get('connections/:id/oauth/reauthenticate')
  @AdminOnly()
  @ApiOperation({ summary: 'Re-authenticate an OAuth connection: redirects to the vendor consent page; the callback replaces the tokens' })
  async reauthenticate(
    @Req() request: Request,
    @Res() response: Response,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ) {
    const vendor = await this.flow.vendorOf(id);
    response.redirect(302, await this.flow.start(request, principalOf(request), vendor, startInput(query), id));
  }

  @Get('oauth/callback')
  @AdminOnly()
  @ApiOperation({
    summary: 'OAuth redirect target: exchanges the code, stores the tokens encrypted, tests the connection, returns to the UI',
  })
  async callback(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>) {
    try {
      const { connectionId, ok } = await this.flow.complete(request, principalOf(request), query);
      response.redirect(302, `/connections/${connectionId}?connected=${ok ? 'ok' : 'check-failed'}`);
    } catch (error) {
      if (!(error instanceof HttpException)) this.log.error({ err: error }, 'OAuth callback failed');
      const detail =
        error instanceof HttpException
          ? String((error.getResponse() as { detail?: string }).detail ?? error.message)
          : 'unexpected error (logged on the server)';
      response.redirect(302, `/connections/new?error=${encodeURIComponent(detail)}`);
    }
  }
}
