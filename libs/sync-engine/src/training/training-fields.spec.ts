import type { StreamDescriptor } from '@fieldcast/connector-sdk';
import { trainingFieldPolicy } from './training-fields';

const contacts = {
  name: 'contacts',
  vendorObject: 'contact',
  tasks: ['lead-score'],
  writeBatchMax: 100,
  defaultFields: [{ key: 'lead_score', name: 'fieldcast_lead_score', type: 'number', label: 'Lead score' }],
  scoringInputs: { leadSource: 'hs_analytics_source', status: 'hs_lead_status', title: 'jobtitle' },
  trainingLabels: { 'lead-score': { field: 'lifecyclestage', positiveValues: ['customer'] } },
  trainingExclude: ['hs_lead_status'],
} as unknown as StreamDescriptor;

describe('trainingFieldPolicy', () => {
  const policy = trainingFieldPolicy(contacts, 'lead-score');

  it('excludes the canonical copy of an excluded vendor field (no label leak through scoringInputs)', () => {
    expect(policy.exclude.has('hs_lead_status')).toBe(true);
    expect(policy.exclude.has('status')).toBe(true);
    expect(policy.keep.has('status')).toBe(false);
  });

  it('excludes the label, every label field of the stream and the fields Fieldcast writes', () => {
    expect(policy.exclude.has('lifecyclestage')).toBe(true);
    expect(policy.exclude.has('fieldcast_lead_score')).toBe(true);
  });

  it('keeps one feature per value: the canonical name, not the vendor-named duplicate', () => {
    expect(policy.keep).toEqual(new Set(['leadSource', 'title']));
    expect(policy.exclude.has('hs_analytics_source')).toBe(true);
    expect(policy.exclude.has('jobtitle')).toBe(true);
    expect(policy.exclude.has('leadSource')).toBe(false);
  });
});
