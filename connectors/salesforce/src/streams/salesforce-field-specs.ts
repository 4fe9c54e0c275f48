import type { FieldSpec } from '@fieldcast/connector-sdk';

/** Write-back fields every Salesforce stream has (names configurable per connection by logical key). */
export const SALESFORCE_COMMON_FIELD_SPECS: FieldSpec[] = [
  {
    key: 'score_confidence',
    name: 'Fieldcast_Score_Confidence__c',
    label: 'Fieldcast Score Confidence',
    type: 'percent',
    description: 'Calibrated confidence of the Fieldcast prediction',
  },
  {
    key: 'score_reasons',
    name: 'Fieldcast_Score_Reasons__c',
    label: 'Fieldcast Score Reasons',
    type: 'long_text',
    description: 'Top factors behind the Fieldcast prediction',
  },
  {
    key: 'model_version',
    name: 'Fieldcast_Model_Version__c',
    label: 'Fieldcast Model Version',
    type: 'text',
    description: 'Model that produced the Fieldcast values',
  },
];
