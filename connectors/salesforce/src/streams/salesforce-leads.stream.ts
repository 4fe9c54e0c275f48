/** Lead → lead score; training label IsConverted. https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm */
import { SALESFORCE_COMMON_FIELD_SPECS } from './salesforce-field-specs';
import type { SalesforceStreamDefinition } from './salesforce-stream.types';

export const SALESFORCE_LEADS_STREAM: SalesforceStreamDefinition = {
  sobject: 'Lead',
  descriptor: {
    name: 'leads',
    vendorObject: 'Lead',
    tasks: ['lead-score'],
    cursorField: 'SystemModstamp',
    writeBatchMax: 200,
    // Canonical inputs of the shipped lead prior (libs/scoring default rules) → Lead fields.
    scoringInputs: {
      leadSource: 'LeadSource',
      title: 'Title',
      email: 'Email',
      phone: 'Phone',
      numberOfEmployees: 'NumberOfEmployees',
      status: 'Status',
      lastActivityAt: 'LastActivityDate',
      emailOptOut: 'HasOptedOutOfEmail',
      pageViews: 'Website_Visits__c',
    },
    // Per-connection training: converted leads are the positives; fields set by the conversion leak it.
    trainingLabels: { 'lead-score': { field: 'IsConverted', positiveValues: [true] } },
    trainingExclude: [
      'IsConverted',
      'ConvertedDate',
      'ConvertedAccountId',
      'ConvertedContactId',
      'ConvertedOpportunityId',
      'Status',
      'IsDeleted',
    ],
    defaultFields: [
      {
        key: 'lead_score',
        name: 'Fieldcast_Lead_Score__c',
        label: 'Fieldcast Lead Score',
        type: 'number',
        description: 'Probability (0-100) that the lead converts, by Fieldcast',
      },
      ...SALESFORCE_COMMON_FIELD_SPECS,
    ],
  },
  requiredFields: [
    'Id',
    'FirstName',
    'LastName',
    'Title',
    'Company',
    'Email',
    'Country',
    'LeadSource',
    'Status',
    'Industry',
    'NumberOfEmployees',
    'AnnualRevenue',
    'IsConverted',
    'CreatedDate',
    'SystemModstamp',
    'LastModifiedById',
    'IsDeleted',
  ],
  optionalFields: ['ConvertedDate', 'LastActivityDate', 'Website_Visits__c', 'Email_Opens__c'],
};
