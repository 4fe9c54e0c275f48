/** Webhook ingress: verify → inbox → enqueue → 2xx. The worker processes the inbox rows. */
import { Module } from '@nestjs/common';
import { WebhookConnectionResolver } from './webhook-connection.resolver';
import { WebhookInboxWriter } from './webhook-inbox.writer';
import { WebhookIngressController } from './webhook-ingress.controller';
import { WebhookIngressService } from './webhook-ingress.service';

@Module({
  controllers: [WebhookIngressController],
  providers: [WebhookConnectionResolver, WebhookInboxWriter, WebhookIngressService],
  exports: [WebhookConnectionResolver],
})
export class WebhooksModule {}
