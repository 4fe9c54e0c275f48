import type { ModelArtifactEntity } from '@fieldcast/database';
import { defaultArtifact, trainModel, type LabeledRecord } from '@fieldcast/scoring';
import { modelVersionView } from './model-version.view';

function row(task: string, artifact: Record<string, unknown>, metrics: Record<string, unknown> = {}): ModelArtifactEntity {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    connectionId: '00000000-0000-4000-8000-000000000002',
    task,
    version: 3,
    status: 'candidate',
    artifact,
    metrics,
    trainingRows: 400,
    decisionReason: null,
    trainedAt: new Date('2026-06-01T00:00:00Z'),
    promotedAt: null,
  } as unknown as ModelArtifactEntity;
}

describe('modelVersionView', () => {
  it('returns the held-out curves a trained artifact carries, typed', () => {
    const leads: LabeledRecord[] = Array.from({ length: 400 }, (_, i) => ({
      id: `L${i}`,
      fields: { source: ['Webinar', 'Web', 'Cold call'][i % 3], visits: (i * 7) % 10 },
      label: (i % 3 === 0 && i % 10 < 7) || (i % 3 === 1 && i % 10 < 3) || ((i * 7) % 10 > 8 && i % 2 === 0),
    }));
    const { artifact } = trainModel('lead-score', leads, {
      fields: [
        { name: 'source', type: 'categorical' },
        { name: 'visits', type: 'numeric' },
      ],
      trainedAt: '2026-06-01T00:00:00.000Z',
      fitCheck: { permutations: 20 },
    });
    const evaluation = artifact.evaluation!;
    const view = modelVersionView(row('lead-score', artifact as unknown as Record<string, unknown>, artifact.metrics));
    expect(view.curveKind).toBe('binary');
    expect(view.curveRows).toBe(400);
    expect(view.roc).toEqual(evaluation.roc);
    expect(view.calibration).toEqual(evaluation.calibrationBins);
    expect(view.scoreHistogram).toEqual(evaluation.scoreHistogram.map((b) => ({ ...b, correct: null })));
    expect(view.metrics['auc']).toBe(artifact.metrics['auc']);
    expect(view.topFields.map((f) => f.field).sort()).toEqual(['source', 'visits']);
  });

  it('reads older curves from the metrics under other axis names, sorts the ROC and drops unusable points', () => {
    const view = modelVersionView(
      row(
        'lead-score',
        {},
        {
          auc: 0.7,
          rocCurve: [
            { x: 1, y: 1 },
            { x: 0, y: 0 },
            { x: 0.2, y: 0.6 },
            { x: 'a', y: 0.3 },
          ],
          reliability: { bins: [{ meanPredicted: 0.15, fractionPositive: 0.1 }] },
          histogram: [
            { bin: 0, n: 12 },
            { bin: 0.5, n: 3 },
          ],
        },
      ),
    );
    expect(view.roc).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0.2, tpr: 0.6 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(view.calibration).toEqual([{ predicted: 0.15, observed: 0.1, count: null }]);
    expect(view.scoreHistogram).toEqual([
      { start: 0, end: null, count: 12, positives: null, correct: null },
      { start: 0.5, end: null, count: 3, positives: null, correct: null },
    ]);
    expect(view.metrics).toEqual({ auc: 0.7 });
  });

  it('has no curves for a shipped default, and says a category model is over confidence', () => {
    const rules = modelVersionView(row('lead-score', defaultArtifact('lead-score') as unknown as Record<string, unknown>));
    expect([rules.roc, rules.calibration, rules.scoreHistogram, rules.curveRows]).toEqual([null, null, null, null]);
    // The linear default's `calibration` is its calibrator ({ method, temperature }), not a curve
    // (checked without the `evaluation` curves that the rebuilt ticket default carries).
    const { evaluation: _curves, ...ticketDefault } = defaultArtifact('ticket-category');
    const tickets = modelVersionView(row('ticket-category', ticketDefault as unknown as Record<string, unknown>));
    expect(tickets.calibration).toBeNull();
    expect(tickets.curveKind).toBe('categories');
    const garbage = modelVersionView(row('lead-score', {}, { roc: [{ fpr: 'x' }], calibrationBins: [] }));
    expect([garbage.roc, garbage.calibration]).toEqual([null, null]);
  });
});
