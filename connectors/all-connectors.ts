/**
 * The connectors this build of Fieldcast ships. Apps hand this list to the ConnectorRegistry
 * (libs/sync-engine); nothing else refers to a concrete connector. Adding a vendor = adding a line.
 */
import type { Connector } from '@fieldcast/connector-sdk';
import { createHubSpotConnector } from '@fieldcast/connector-hubspot';
import { createSalesforceConnector } from '@fieldcast/connector-salesforce';
import { ZendeskConnector } from '@fieldcast/connector-zendesk';

export function createAllConnectors(): Connector[] {
  return [createSalesforceConnector(), createHubSpotConnector(), new ZendeskConnector()];
}
