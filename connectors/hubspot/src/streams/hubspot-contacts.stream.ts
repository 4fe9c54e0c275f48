/**
 * HubSpot contacts feed the lead score; the training label is the lifecycle stage having reached
 * opportunity or customer (`hs_lifecyclestage_opportunity_date` / `_customer_date` are set then).
 * https://developers.hubspot.com/docs/api/crm/contacts
 */
import { HUBSPOT_CONTACT_FIELD_SPECS } from './hubspot-field-specs';
import type { HubSpotStreamDefinition } from './hubspot-stream.types';

export const HUBSPOT_CONTACTS_STREAM: HubSpotStreamDefinition = {
  objectType: 'contacts',
  modifiedProperty: 'lastmodifieddate',
  properties: [
    'email',
    'phone',
    'firstname',
    'lastname',
    'company',
    'jobtitle',
    'industry',
    'country',
    'numemployees',
    'annualrevenue',
    'lifecyclestage',
    'hs_lifecyclestage_opportunity_date',
    'hs_lifecyclestage_customer_date',
    'hs_analytics_source',
    'hs_analytics_source_data_1',
    'hs_analytics_num_page_views',
    'hs_analytics_num_visits',
    'hs_email_open',
    'notes_last_updated',
    'hs_lead_status',
    'createdate',
    'lastmodifieddate',
  ],
  descriptor: {
    name: 'contacts',
    vendorObject: 'contacts',
    tasks: ['lead-score'],
    cursorField: 'lastmodifieddate',
    writeBatchMax: 100,
    scoringInputs: {
      leadSource: 'hs_analytics_source',
      title: 'jobtitle',
      email: 'email',
      phone: 'phone',
      numberOfEmployees: 'numemployees',
      status: 'hs_lead_status',
      lastActivityAt: 'notes_last_updated',
      pageViews: 'hs_analytics_num_page_views',
    },
    // A contact converted when its lifecycle stage reached opportunity or customer; the stage dates leak it.
    trainingLabels: { 'lead-score': { field: 'lifecyclestage', positiveValues: ['opportunity', 'customer', 'evangelist'] } },
    trainingExclude: [
      'lifecyclestage',
      // Lead status moves to OPEN_DEAL / CONNECTED as a lead converts: it would leak the label.
      'hs_lead_status',
      'hs_lifecyclestage_lead_date',
      'hs_lifecyclestage_marketingqualifiedlead_date',
      'hs_lifecyclestage_salesqualifiedlead_date',
      'hs_lifecyclestage_opportunity_date',
      'hs_lifecyclestage_customer_date',
      'hs_lifecyclestage_evangelist_date',
    ],
    defaultFields: HUBSPOT_CONTACT_FIELD_SPECS,
  },
};
