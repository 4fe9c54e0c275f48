/**
 * HubSpot tickets feed the ticket category (label: hs_ticket_category) and escalation risk (label:
 * hs_ticket_priority raised to HIGH/URGENT, read from the property history).
 * https://developers.hubspot.com/docs/api/crm/tickets
 */
import { HUBSPOT_TICKET_FIELD_SPECS } from './hubspot-field-specs';
import type { HubSpotStreamDefinition } from './hubspot-stream.types';

export const HUBSPOT_TICKETS_STREAM: HubSpotStreamDefinition = {
  objectType: 'tickets',
  modifiedProperty: 'hs_lastmodifieddate',
  properties: [
    'subject',
    'content',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_category',
    'hs_ticket_priority',
    'source_type',
    'time_to_first_agent_reply',
    'closed_date',
    'customer_tier',
    'createdate',
    'hs_lastmodifieddate',
  ],
  descriptor: {
    name: 'tickets',
    vendorObject: 'tickets',
    tasks: ['ticket-category', 'escalation-risk'],
    cursorField: 'hs_lastmodifieddate',
    writeBatchMax: 100,
    scoringInputs: {
      subject: 'subject',
      description: 'content',
      priority: 'hs_ticket_priority',
      customerTier: 'customer_tier',
      createdAt: 'createdate',
      channel: 'source_type',
    },
    // Escalation = priority raised to HIGH/URGENT (derived from the property history by the connector);
    // the current priority and its history would leak that label.
    trainingLabels: {
      'ticket-category': { field: 'hs_ticket_category' },
      'escalation-risk': { field: 'fieldcast:priority_raised', positiveValues: [true] },
    },
    trainingExclude: ['hs_ticket_priority', 'hs_ticket_priority_history', 'fieldcast:priority_raised', 'closed_date', 'hs_pipeline_stage'],
    defaultFields: HUBSPOT_TICKET_FIELD_SPECS,
  },
};
