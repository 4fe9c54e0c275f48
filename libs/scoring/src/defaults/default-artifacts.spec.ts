import { loadArtifact } from '../artifact/load-artifact';
import { predict } from '../predict/predict.service';
import type { ScoredPrediction } from '../scoring.types';
import { defaultArtifact } from './default-artifacts';
import { statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TICKET_ARTIFACT_FILE, defaultArtifactDir } from './default-artifacts';

describe('shipped ticket-category default', () => {
  const artifact = defaultArtifact('ticket-category');

  it('is small, validates, and carries provenance and held-out metrics', () => {
    expect(statSync(path.join(defaultArtifactDir(), DEFAULT_TICKET_ARTIFACT_FILE)).size).toBeLessThan(5_000_000);
    const model = loadArtifact(artifact);
    expect(model.metadata.task).toBe('ticket-category');
    expect(artifact.provenance).toMatchObject({ source: 'default', license: 'CC0 1.0 (public domain)' });
    expect(artifact.trainingSize).toBe(47_837);
    expect(artifact.metrics.accuracy).toBeGreaterThan(0.8);
  });

  it('carries the model-card curves of its cross-fitted predictions', () => {
    expect(artifact.evaluation?.kind).toBe('categories');
    expect(artifact.evaluation?.rows).toBe(artifact.trainingSize);
    const correct = (artifact.evaluation?.scoreHistogram ?? []).reduce((s, b) => s + (b.correct ?? 0), 0);
    expect(correct).toBe(Math.round(artifact.metrics.accuracy * artifact.trainingSize));
  });

  it('classifies typical IT tickets (in the training text style) with alternatives and terms', () => {
    const [access, hardware] = predict(artifact, [
      { id: 'a', fields: { text: 'password reset account locked cannot login please reset password' } },
      { id: 'h', fields: { text: 'laptop screen broken keyboard not working need replacement laptop' } },
    ]) as ScoredPrediction[];
    expect(access.prediction).toBe('Access');
    expect(hardware.prediction).toBe('Hardware');
    expect(access.alternatives).toHaveLength(3);
    expect(access.factors[0].topTerms?.length).toBeGreaterThan(0);
  });
});
