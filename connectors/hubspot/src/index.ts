/** Public API of the HubSpot connector (`@fieldcast/connector-hubspot`). Raw HubSpot types stay inside. */
export { HubSpotConnector, createHubSpotConnector, hubSpotWebhookHandler } from './hubspot.connector';
export { HUBSPOT_DEFAULT_OPTIONS, parseHubSpotOptions, type HubSpotConnectorOptions } from './hubspot-connector.options';
export { parseHubSpotError } from './hubspot-error.parser';
export { HUBSPOT_CONTACT_FIELD_SPECS, HUBSPOT_FIELDCAST_GROUP, HUBSPOT_TICKET_FIELD_SPECS } from './streams/hubspot-field-specs';
export { verifyHubSpotWebhook } from './webhooks/hubspot-signature.verifier';
export { parseHubSpotWebhook } from './webhooks/hubspot-event.parser';
