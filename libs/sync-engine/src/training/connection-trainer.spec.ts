// connectionTrainOptions: what a connection's training uses beyond the fields (the retrain itself,
// against real PostgreSQL, is in connection-trainer.integration-spec.ts).
import { connectionTrainOptions } from './connection-trainer';

describe('connectionTrainOptions', () => {
  it('compares C = 10 and 30, sublinear and raw term counts, on small ticket histories', () => {
    const options = connectionTrainOptions('ticket-category', 5_000);
    const raw = { text: { hashBits: 20, idf: false, sublinearTf: false } };
    expect(options.candidates).toEqual([{ C: 10 }, { C: 10, encoder: raw }, { C: 30 }, { C: 30, encoder: raw }]);
    expect(options.encoder).toEqual({ text: { hashBits: 20, idf: false } });
    expect(options.folds).toBeUndefined();
  });

  it('fits one C with 3 folds and 2^18 buckets on large ticket histories (time and memory budget)', () => {
    const options = connectionTrainOptions('ticket-category', 50_000);
    expect(options.candidates).toBeUndefined();
    expect(options).toMatchObject({
      C: 10,
      folds: 3,
      gradientTolerance: 1e-4,
      encoder: { text: { hashBits: 18, idf: false, sublinearTf: false } },
    });
  });

  it('leaves lead and escalation models to trainModel defaults', () => {
    expect(connectionTrainOptions('lead-score', 50_000)).toEqual({});
    expect(connectionTrainOptions('escalation-risk', 50_000)).toEqual({});
  });
});
