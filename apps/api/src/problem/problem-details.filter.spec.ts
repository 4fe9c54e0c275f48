import { redactPath } from './problem-details.filter';

describe('redactPath', () => {
  it('removes the secret of a Salesforce outbound-message URL and leaves other paths alone', () => {
    expect(redactPath('/webhooks/salesforce/3f1c/s3cr3t-path')).toBe('/webhooks/salesforce/3f1c/***');
    expect(redactPath('/webhooks/hubspot/3f1c')).toBe('/webhooks/hubspot/3f1c');
    expect(redactPath('/v1/predict/lead-score')).toBe('/v1/predict/lead-score');
  });
});
