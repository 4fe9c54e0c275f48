import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import type { FieldcastConfig } from '@fieldcast/config';
import { CONFIG } from '@fieldcast/runtime';
import { principalOf } from '../auth/admin-principal';
import { AdminSessionGuard } from '../auth/admin-session.guard';
import { pageRequest } from '../common/pagination';
import { openApiSchema, parseInput, validationProblem } from '../common/zod-validation';
import { ConnectionsService } from './connections.service';
import { ConnectorAccessService } from './connector-access.service';
import { StreamsService, streamUpdateSchema } from './streams.service';
import { demoModeAllowed, sandboxBaseUrl } from './vendor-endpoints';

const createZendeskSchema = z
  .object({
    vendor: z.literal('zendesk', {
      message: 'expected "zendesk" (Salesforce and HubSpot connect through OAuth: GET /admin/api/connections/oauth/{vendor}/start)',
    }),
    name: z
      .string({ message: 'expected a name for the connection' })
      .trim()
      .min(1, 'expected a name, e.g. "Zendesk support"')
      .max(100, 'expected at most 100 characters'),
    subdomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'expected the subdomain only, e.g. "acme" for https://acme.zendesk.com')
      .optional(),
    baseUrl: z.string().max(300).optional(),
    email: z.email({ message: 'expected the email of the agent the API token belongs to' }).optional(),
    token: z.string().min(10, 'expected a Zendesk API token (at least 10 characters)').max(300).optional(),
    webhookSigningSecret: z.string().max(300).optional(),
    demo: z.boolean({ message: 'expected true or false' }).optional(),
  })
  .strict();

const reauthTokenSchema = z
  .object({
    email: z.email({ message: 'expected the email of the agent the API token belongs to' }),
    token: z.string().min(10, 'expected a Zendesk API token (at least 10 characters)').max(300),
  })
  .strict();

@ApiTags('admin: connections')
@Controller('admin/api')
@UseGuards(AdminSessionGuard)
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly streams: StreamsService,
    private readonly access: ConnectorAccessService,
    @Inject(CONFIG) private readonly config: FieldcastConfig,
  ) {}

  @Get('vendors')
  @ApiOperation({
    summary: 'The vendors this instance can connect, their streams and tasks, and whether demo (sandbox) connections are possible',
  })
  vendors() {
    const demo = demoModeAllowed(this.config);
    return this.access.registry.descriptors().map((d) => ({
      vendor: d.vendor,
      displayName: d.displayName,
      authModes: d.authModes,
      oauth: Boolean(this.access.connector(d.vendor).oauth),
      rateLimitModel: d.rateLimitModel,
      streams: d.streams.map((s) => ({ name: s.name, vendorObject: s.vendorObject, tasks: s.tasks })),
      demoBaseUrl: demo ? (sandboxBaseUrl(this.config, d.vendor) ?? null) : null,
    }));
  }

  @Get('connections')
  @ApiOperation({ summary: 'Connections with health (status, last successful sync, API budget used, error rate, webhook lag), paginated' })
  list(@Query() query: Record<string, unknown>) {
    return this.connections.list(pageRequest(query));
  }

  @Post('connections')
  @ApiOperation({
    summary: 'Create a Zendesk connection with an API token (or the demo sandbox with {"demo": true}); runs the connection test',
  })
  @ApiBody({ schema: openApiSchema(createZendeskSchema) })
  create(@Req() request: Request, @Body() body: unknown) {
    const input = parseInput(createZendeskSchema, body);
    return this.connections.createZendesk(request, principalOf(request), input);
  }

  @Get('connections/:id')
  @ApiOperation({ summary: 'One connection: settings (no secrets), streams configuration, schedule and health' })
  get(@Param('id') id: string) {
    return this.connections.get(id);
  }

  @Get('connections/:id/webhook-endpoint')
  @ApiOperation({
    summary:
      'The webhook URL to paste at the vendor, where to paste it and what still stops deliveries; a URL that carries a secret (Salesforce) is masked',
  })
  webhookEndpoint(@Param('id') id: string) {
    return this.connections.webhookEndpoint(id, false);
  }

  @Post('connections/:id/webhook-endpoint/reveal')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Admins only: the full webhook URL including its secret (Salesforce Outbound Message endpoint), to paste into the vendor; recorded in the audit log',
  })
  revealWebhookEndpoint(@Req() request: Request, @Param('id') id: string) {
    return this.connections.revealWebhookEndpoint(request, principalOf(request), id);
  }

  @Post('connections/:id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test the connection (connector check): what passed, what failed and how to fix it' })
  async test(@Req() request: Request, @Param('id') id: string) {
    const connection = await this.connections.find(id);
    this.connections.assertNotConflict(connection);
    const check = await this.connections.runCheck(request, principalOf(request), connection);
    return { check, connection: await this.connections.get(id) };
  }

  @Post('connections/:id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause: no syncs, no write-backs until resumed' })
  pause(@Req() request: Request, @Param('id') id: string) {
    return this.connections.setPaused(request, principalOf(request), id, true);
  }

  @Post('connections/:id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused connection' })
  resume(@Req() request: Request, @Param('id') id: string) {
    return this.connections.setPaused(request, principalOf(request), id, false);
  }

  @Put('connections/:id/credentials')
  @ApiOperation({
    summary: 'Re-authenticate a Zendesk (API token) connection with a new token; OAuth connections use GET …/oauth/reauthenticate',
  })
  @ApiBody({ schema: openApiSchema(reauthTokenSchema) })
  async replaceToken(@Req() request: Request, @Param('id') id: string, @Body() body: unknown) {
    const input = parseInput(reauthTokenSchema, body);
    const connection = await this.connections.find(id);
    if (connection.authMode !== 'api_token') {
      throw validationProblem([
        {
          pointer: '/token',
          detail: 'this connection uses OAuth: re-authenticate with GET /admin/api/connections/{id}/oauth/reauthenticate',
        },
      ]);
    }
    const check = await this.connections.replaceCredentials(
      request,
      principalOf(request),
      connection,
      { kind: 'api_token', email: input.email, token: input.token },
      {},
    );
    return { check, connection: await this.connections.get(id) };
  }

  @Delete('connections/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a connection, its secrets and its synced data; ?confirm= must be the connection name' })
  async remove(@Req() request: Request, @Param('id') id: string, @Query('confirm') confirm: string | undefined): Promise<void> {
    await this.connections.remove(request, principalOf(request), id, confirm);
  }

  @Put('connections/:id/streams/:stream')
  @ApiOperation({ summary: 'Configure one stream: tasks, field names, write policy, auto-write threshold (0..1), shadow mode' })
  @ApiBody({ schema: openApiSchema(streamUpdateSchema) })
  updateStream(@Req() request: Request, @Param('id') id: string, @Param('stream') stream: string, @Body() body: unknown) {
    return this.streams.update(request, principalOf(request), id, stream, body);
  }

  @Post('connections/:id/streams/:stream/fields')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create the write-back fields at the vendor (custom fields / properties) and check they are writable' })
  createFields(@Req() request: Request, @Param('id') id: string, @Param('stream') stream: string) {
    return this.streams.createFields(request, principalOf(request), id, stream);
  }

  @Get('connections/:id/streams/:stream/shadow-preview')
  @ApiOperation({ summary: 'Shadow mode preview: what would be written (record, current value, new value, confidence), paginated' })
  shadowPreview(@Param('id') id: string, @Param('stream') stream: string, @Query() query: Record<string, unknown>) {
    return this.streams.shadowPreview(id, stream, pageRequest(query));
  }
}
