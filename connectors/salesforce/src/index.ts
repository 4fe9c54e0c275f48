export * from './salesforce.connector';
export { SALESFORCE_LEADS_STREAM } from './streams/salesforce-leads.stream';
export { SALESFORCE_CASES_STREAM } from './streams/salesforce-cases.stream';
export {
  salesforceOutboundMessageWebhook,
  SALESFORCE_OUTBOUND_ACK,
  parseSalesforceOutboundMessage,
} from './webhooks/salesforce-outbound-message.webhook';
export { parseSalesforceError, parseSalesforceSaveErrors } from './salesforce-error.parser';
