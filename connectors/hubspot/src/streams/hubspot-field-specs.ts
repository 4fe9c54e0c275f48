import type { FieldSpec } from '@fieldcast/connector-sdk';

/** The property group Fieldcast provisions its properties in (shown as "Fieldcast" on the record). */
export const HUBSPOT_FIELDCAST_GROUP = { name: 'fieldcast', label: 'Fieldcast' };

/** Write-back properties every HubSpot stream has (names configurable per connection by logical key). */
const COMMON: FieldSpec[] = [
  {
    key: 'score_confidence',
    name: 'fieldcast_score_confidence',
    label: 'Fieldcast score confidence',
    type: 'percent',
    description: 'Calibrated confidence of the Fieldcast prediction (0-100)',
  },
  {
    key: 'score_reasons',
    name: 'fieldcast_score_reasons',
    label: 'Fieldcast score reasons',
    type: 'long_text',
    description: 'Top factors behind the Fieldcast prediction',
  },
  {
    key: 'model_version',
    name: 'fieldcast_model_version',
    label: 'Fieldcast model version',
    type: 'text',
    description: 'Model that produced the Fieldcast values',
  },
];

export const HUBSPOT_CONTACT_FIELD_SPECS: FieldSpec[] = [
  {
    key: 'lead_score',
    name: 'fieldcast_lead_score',
    label: 'Fieldcast lead score',
    type: 'number',
    description: 'Probability (0-100) that this contact becomes an opportunity or customer',
  },
  ...COMMON,
];

export const HUBSPOT_TICKET_FIELD_SPECS: FieldSpec[] = [
  {
    key: 'ticket_category',
    name: 'fieldcast_ticket_category',
    label: 'Fieldcast ticket category',
    type: 'text',
    description: 'Category predicted by Fieldcast',
  },
  {
    key: 'escalation_risk',
    name: 'fieldcast_escalation_risk',
    label: 'Fieldcast escalation risk',
    type: 'number',
    description: 'Probability (0-100) that this ticket gets escalated',
  },
  ...COMMON,
];
