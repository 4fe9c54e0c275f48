export * from './zendesk.connector';
export { ZENDESK_TICKETS_STREAM, ZENDESK_TICKET_FIELD_SPECS } from './streams/zendesk-tickets.stream';
export { createZendeskWebhookHandler, zendeskWebhookHandler } from './webhooks/zendesk-webhook.handler';
export { parseZendeskError, parseZendeskJobResult, parseZendeskResolvedFailure } from './zendesk-error.parser';
export { parseZendeskOptions, type ZendeskConnectionOptions } from './zendesk-connector.options';
