/**
 * Vendor webhook endpoints. Signatures are checked on the raw bytes (`rawBody: true` in the app), so
 * the parsed body is never used here. The Salesforce URL carries the per-connection secret (Outbound
 * Messages cannot sign), which is why that path has one more segment.
 */
import { applyDecorators, Controller, HttpCode, Param, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { WebhookIngressService, type IncomingWebhook } from './webhook-ingress.service';
import type { WebhookProvider } from './webhook-providers';

function incoming(provider: WebhookProvider, connectionId: string, req: RawBodyRequest<Request>): IncomingWebhook {
  return {
    provider,
    connectionId,
    method: req.method,
    url: req.originalUrl,
    headers: req.headers,
    rawBody: req.rawBody,
    contentType: req.headers['content-type'],
  };
}

const responses = applyDecorators(
  ApiResponse({ status: 200, description: 'Stored and enqueued (a redelivery of a stored event is also 200)' }),
  ApiResponse({ status: 400, description: 'Authenticated, but the body cannot be read' }),
  ApiResponse({ status: 401, description: 'Bad or stale signature, or no such connection (indistinguishable on purpose)' }),
  ApiResponse({ status: 413, description: 'Body over 256 KB' }),
  ApiResponse({ status: 415, description: 'Wrong Content-Type' }),
  ApiResponse({ status: 503, description: 'Could not be stored; redeliver (Retry-After)' }),
);

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhookIngressController {
  constructor(private readonly ingress: WebhookIngressService) {}

  @Post('hubspot/:connectionId')
  @HttpCode(200)
  @ApiOperation({ summary: 'HubSpot webhook (signature v3 with a 5-minute window; v1/v2 for legacy apps)' })
  @ApiParam({ name: 'connectionId', format: 'uuid' })
  @responses
  async hubspot(@Param('connectionId') connectionId: string, @Req() req: RawBodyRequest<Request>, @Res() res: Response): Promise<void> {
    this.send(res, await this.ingress.receive(incoming('hubspot', connectionId, req)));
  }

  @Post('zendesk/:connectionId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Zendesk webhook (HMAC signature with a 5-minute freshness window)' })
  @ApiParam({ name: 'connectionId', format: 'uuid' })
  @responses
  async zendesk(@Param('connectionId') connectionId: string, @Req() req: RawBodyRequest<Request>, @Res() res: Response): Promise<void> {
    this.send(res, await this.ingress.receive(incoming('zendesk', connectionId, req)));
  }

  @Post('salesforce/:connectionId/:secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Salesforce Outbound Message (OrganizationId + per-connection URL secret; answered with the SOAP ack)' })
  @ApiParam({ name: 'connectionId', format: 'uuid' })
  @ApiParam({ name: 'secret', description: 'The per-connection secret shown in the connection settings' })
  @responses
  async salesforce(@Param('connectionId') connectionId: string, @Req() req: RawBodyRequest<Request>, @Res() res: Response): Promise<void> {
    this.send(res, await this.ingress.receive(incoming('salesforce', connectionId, req)));
  }

  private send(res: Response, ack: { contentType: string; body: string }): void {
    res.status(200).type(ack.contentType).send(ack.body);
  }
}
