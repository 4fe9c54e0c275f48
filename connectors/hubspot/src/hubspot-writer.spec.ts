import type { WriteOp } from '@fieldcast/connector-sdk';
import { planHubSpotBatches } from './hubspot-writer';

const op = (opId: string, externalId: string): WriteOp => ({ opId, externalId, fields: { fieldcast_lead_score: 1 } });

describe('planHubSpotBatches', () => {
  it('fills batches up to 100', () => {
    const ops = Array.from({ length: 250 }, (_, i) => op(`o${i}`, String(1000 + i)));
    expect(planHubSpotBatches(ops).map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('never puts one record twice in a batch, and keeps the ops of one record in order', () => {
    const batches = planHubSpotBatches([op('a1', '1'), op('b', '2'), op('a2', '1'), op('a3', '1')]);
    expect(batches.map((b) => b.map((o) => o.opId))).toEqual([['a1', 'b'], ['a2'], ['a3']]);
  });
});
