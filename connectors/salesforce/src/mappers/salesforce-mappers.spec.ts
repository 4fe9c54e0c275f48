import { mapFieldSpecToSalesforceMetadata, salesforceFieldNameProblem } from './salesforce-field.mapper';
import { mapSalesforceRecord, salesforceDateTimeToIso } from './salesforce-record.mapper';

describe('Salesforce mappers', () => {
  it('converts Salesforce datetimes to ISO-8601 UTC', () => {
    expect(salesforceDateTimeToIso('2024-05-07T22:07:19.123+0000')).toBe('2024-05-07T22:07:19.123Z');
    expect(salesforceDateTimeToIso('2024-05-07T22:07:19.000+0200')).toBe('2024-05-07T20:07:19.000Z');
    expect(salesforceDateTimeToIso('2024-05-07T22:07:19.000Z')).toBe('2024-05-07T22:07:19.000Z');
    expect(() => salesforceDateTimeToIso('yesterday')).toThrow('not a Salesforce datetime: yesterday');
  });

  it('maps a raw record without attributes or IsDeleted, keeping the last modifier', () => {
    const record = mapSalesforceRecord(
      {
        attributes: { type: 'Lead', url: '/x' },
        Id: '00Q5G0000000001UAA',
        IsDeleted: false,
        Title: 'CTO',
        SystemModstamp: '2024-01-01T00:00:00.000+0000',
        LastModifiedById: '0055G0000000001QAA',
      },
      'Lead',
    );
    expect(record).toEqual({
      externalId: '00Q5G0000000001UAA',
      object: 'Lead',
      modstamp: '2024-01-01T00:00:00.000Z',
      lastModifiedBy: '0055G0000000001QAA',
      fields: {
        Id: '00Q5G0000000001UAA',
        Title: 'CTO',
        SystemModstamp: '2024-01-01T00:00:00.000+0000',
        LastModifiedById: '0055G0000000001QAA',
      },
    });
  });

  it('maps field specs to Tooling metadata and checks API names', () => {
    expect(mapFieldSpecToSalesforceMetadata({ key: 'k', name: 'A__c', label: 'A', type: 'percent' })).toMatchObject({
      type: 'Percent',
      precision: 5,
      scale: 2,
      label: 'A',
    });
    expect(mapFieldSpecToSalesforceMetadata({ key: 'k', name: 'A__c', label: 'A', type: 'long_text' })).toMatchObject({
      type: 'LongTextArea',
      length: 32768,
      visibleLines: 3,
    });
    expect(mapFieldSpecToSalesforceMetadata({ key: 'k', name: 'A__c', label: 'A', type: 'picklist', options: ['Billing'] })).toMatchObject({
      type: 'Picklist',
      valueSet: { restricted: false, valueSetDefinition: { value: [{ fullName: 'Billing', label: 'Billing', default: false }] } },
    });
    expect(mapFieldSpecToSalesforceMetadata({ key: 'k', name: 'A__c', label: 'A', type: 'picklist' })).toMatchObject({
      type: 'Text',
      length: 255,
    });
    expect(salesforceFieldNameProblem('Fieldcast_Lead_Score__c')).toBeUndefined();
    expect(salesforceFieldNameProblem('Fieldcast_Lead_Score')).toContain('must end with __c');
    expect(salesforceFieldNameProblem('Bad__Name__c')).toContain('not a valid custom field API name');
    expect(salesforceFieldNameProblem('_x__c')).toContain('not a valid custom field API name');
    expect(salesforceFieldNameProblem(`${'a'.repeat(41)}__c`)).toContain('not a valid custom field API name');
  });
});
