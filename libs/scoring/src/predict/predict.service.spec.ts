import type { LinearArtifact } from '../artifact/artifact.types';
import { defaultArtifact } from '../defaults/default-artifacts';
import type { ScoredPrediction } from '../scoring.types';
import { predict, predictProbabilities } from './predict.service';

describe('predict (categories)', () => {
  it('returns the three most probable classes of predictProbabilities as alternatives, in order', () => {
    const artifact = defaultArtifact('ticket-category') as LinearArtifact;
    const records = [
      'password reset account locked',
      'laptop screen broken',
      'new starter needs access to shared drive and laptop',
      'invoice purchase order approval',
      'x',
    ].map((text, i) => ({ id: String(i), fields: { text } }));
    const proba = predictProbabilities(artifact, records);
    const K = artifact.model.classes.length;
    const answers = predict(artifact, records, { explain: false }) as ScoredPrediction[];
    answers.forEach((answer, i) => {
      const row = Array.from(proba.subarray(i * K, (i + 1) * K));
      const expected = row
        .map((p, k) => ({ label: artifact.model.classes[k], probability: p }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, 3);
      expect(answer.alternatives).toEqual(expected);
      expect(answer.prediction).toBe(expected[0].label);
    });
  });
});
