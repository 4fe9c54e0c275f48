import { inferFieldSpecs } from './infer-field-specs';

describe('inferFieldSpecs', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({
    Id: `00Q${i}`,
    LeadSource: ['Web', 'Webinar', 'Referral'][i % 3],
    NumberOfEmployees: String(10 * i),
    IsConverted: i % 4 === 0,
    Description: `We are evaluating tools for our team of ${i} people and need a demo next week please`,
    CreatedDate: '2025-01-02T03:04:05.000Z',
    LastActivityDate: `2025-02-${String((i % 28) + 1).padStart(2, '0')}`,
    Email: `p${i}@example.com`,
    Fieldcast_Lead_Score__c: i,
    Rare: i === 1 ? 'x' : null,
  }));

  it('types fields and leaves out ids, stamps, contact data, excluded and near-empty fields', () => {
    const specs = inferFieldSpecs(rows, { exclude: new Set(['IsConverted', 'Fieldcast_Lead_Score__c']) });
    expect(Object.fromEntries(specs.map((s) => [s.name, s.type]))).toEqual({
      Description: 'text',
      LastActivityDate: 'date',
      LeadSource: 'categorical',
      NumberOfEmployees: 'numeric',
    });
    expect(specs.find((s) => s.name === 'LastActivityDate')?.label).toBe('Last Activity Date');
  });
});
