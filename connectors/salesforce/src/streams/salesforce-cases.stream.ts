/** Case → ticket category and escalation risk; labels Type / Reason and IsEscalated. https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_case.htm */
import { SALESFORCE_COMMON_FIELD_SPECS } from './salesforce-field-specs';
import type { SalesforceStreamDefinition } from './salesforce-stream.types';

export const SALESFORCE_CASES_STREAM: SalesforceStreamDefinition = {
  sobject: 'Case',
  descriptor: {
    name: 'cases',
    vendorObject: 'Case',
    tasks: ['ticket-category', 'escalation-risk'],
    cursorField: 'SystemModstamp',
    writeBatchMax: 200,
    scoringInputs: {
      subject: 'Subject',
      description: 'Description',
      priority: 'Priority',
      customerTier: 'Customer_Tier__c',
      createdAt: 'CreatedDate',
      channel: 'Origin',
    },
    // Category from Type (Reason is a second category, so it is left out as a feature); escalation from IsEscalated.
    trainingLabels: { 'ticket-category': { field: 'Type' }, 'escalation-risk': { field: 'IsEscalated', positiveValues: [true] } },
    trainingExclude: ['IsEscalated', 'Reason', 'Status', 'IsClosed', 'ClosedDate', 'IsDeleted'],
    defaultFields: [
      {
        key: 'ticket_category',
        name: 'Fieldcast_Ticket_Category__c',
        label: 'Fieldcast Ticket Category',
        type: 'text',
        description: 'Predicted case category, by Fieldcast',
      },
      {
        key: 'escalation_risk',
        name: 'Fieldcast_Escalation_Risk__c',
        label: 'Fieldcast Escalation Risk',
        type: 'percent',
        description: 'Probability that the case escalates, by Fieldcast',
      },
      ...SALESFORCE_COMMON_FIELD_SPECS,
    ],
  },
  requiredFields: [
    'Id',
    'Subject',
    'Description',
    'Type',
    'Reason',
    'Status',
    'Origin',
    'Priority',
    'IsEscalated',
    'IsClosed',
    'CreatedDate',
    'SystemModstamp',
    'LastModifiedById',
    'IsDeleted',
  ],
  optionalFields: ['ClosedDate', 'Customer_Tier__c', 'Initial_Priority__c', 'Hours_To_First_Reply__c', 'SuppliedEmail'],
};
