// End-to-end behaviour of the public API on small synthetic data with a known generating model.
import {
  ArtifactError,
  compareChampionChallenger,
  defaultArtifact,
  evaluate,
  loadArtifact,
  predict,
  trainModel,
  type FieldSpec,
  type LabeledRecord,
  type ScoredPrediction,
} from './index';
import { createRng } from './evaluation/random';

const AS_OF = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const LEAD_FIELDS: FieldSpec[] = [
  { name: 'source', type: 'categorical', label: 'Source' },
  { name: 'visits', type: 'numeric', label: 'Visits' },
  { name: 'optOut', type: 'boolean', label: 'Opted out' },
  { name: 'lastActivity', type: 'date', label: 'Last activity' },
  { name: 'noise', type: 'numeric', label: 'Noise' },
];

/** Leads from a known logistic model: Webinar +1.5, Cold call −1.5, visits +0.3 each, opt-out −1, stale −1. */
function makeLeads(n: number, seed: number, informative = true): LabeledRecord[] {
  const rng = createRng(seed);
  const sources = ['Webinar', 'Web', 'Cold call'];
  return Array.from({ length: n }, (_, i) => {
    const source = sources[Math.floor(rng() * 3)];
    const visits = Math.floor(rng() * 10);
    const optOut = rng() < 0.2;
    const daysAgo = Math.floor(rng() * 90);
    const z =
      -0.8 +
      (source === 'Webinar' ? 1.5 : source === 'Cold call' ? -1.5 : 0) +
      0.3 * (visits - 4.5) -
      (optOut ? 1 : 0) -
      (daysAgo > 30 ? 1 : 0);
    const p = informative ? 1 / (1 + Math.exp(-z)) : 0.35;
    return {
      id: `L${i}`,
      fields: {
        source,
        visits: String(visits),
        optOut: optOut ? 'Yes' : 'No',
        lastActivity: new Date(AS_OF - daysAgo * DAY).toISOString(),
        noise: rng(),
      },
      label: rng() < p,
    };
  });
}

describe('trainModel → loadArtifact → predict (lead score)', () => {
  // Small data keeps the suite fast; the gates are lowered to match (the defaults have their own test).
  const rows = makeLeads(700, 1);
  const result = trainModel('lead-score', rows, {
    fields: LEAD_FIELDS,
    asOf: AS_OF,
    trainedAt: '2026-06-01T00:00:00.000Z',
    gates: { minRows: 500, minPositives: 60 },
    fitCheck: { permutations: 200 },
  });

  it('passes gates and fit check on informative data and reports cross-fitted metrics', () => {
    expect(result.gates.passed).toBe(true);
    expect(result.fitCheck.passed).toBe(true);
    expect(result.autoWriteAllowed).toBe(true);
    expect(result.heldOut.n).toBe(700);
    expect(result.artifact.metrics.auc).toBeGreaterThan(0.75);
    expect(result.artifact.metrics.ece).toBeLessThan(0.05);
    expect(result.artifact.model.optimizer.converged).toBe(true);
  });

  it('round-trips through JSON and predicts identical probabilities with signed, field-level reasons', () => {
    const model = loadArtifact(JSON.stringify(result.artifact));
    const record = {
      id: 'x',
      fields: { source: 'Webinar', visits: 9, optOut: false, lastActivity: new Date(AS_OF - 2 * DAY), noise: 0.5 },
    };
    const [fromObject] = predict(result.artifact, [record], { asOf: AS_OF });
    const [fromJson] = predict(model, [record], { asOf: AS_OF }) as ScoredPrediction[];
    expect(fromJson.abstained).toBe(false);
    expect((fromObject as ScoredPrediction).prediction).toBe(fromJson.prediction);
    expect(fromJson.score).toBeGreaterThanOrEqual(1);
    expect(fromJson.tier).toBeDefined();
    expect(fromJson.model.featureSchemaHash).toBe(result.artifact.featureSchema.hash);
    const source = fromJson.factors.find((f) => f.field === 'source');
    expect(source?.direction).toBe('+');
    expect(source?.reason).toBe('+ Source = Webinar');
    // Contributions are additive in log-odds: baseline + Σ all fields = the model's logit.
    const all = predict(model, [record], { asOf: AS_OF, maxFactors: 99 })[0] as ScoredPrediction;
    const logit = all.explanation.baseline + all.factors.reduce((s, f) => s + f.contribution, 0);
    const cal = result.artifact.calibration;
    const p = cal.method === 'platt' ? 1 / (1 + Math.exp(-(cal.a * logit + cal.b))) : Number.NaN;
    if (cal.method === 'platt') expect(p).toBeCloseTo(all.prediction as number, 2);
  });

  it('ranks the generating effects correctly (Webinar above Cold call, opt-out negative)', () => {
    const base = { visits: 4, optOut: false, lastActivity: new Date(AS_OF - 5 * DAY), noise: 0.5 };
    const [webinar, cold, optedOut] = predict(
      result.artifact,
      [
        { id: 'w', fields: { ...base, source: 'Webinar' } },
        { id: 'c', fields: { ...base, source: 'Cold call' } },
        { id: 'o', fields: { ...base, source: 'Webinar', optOut: true } },
      ],
      { asOf: AS_OF },
    ) as ScoredPrediction[];
    expect(webinar.prediction as number).toBeGreaterThan(cold.prediction as number);
    expect(optedOut.prediction as number).toBeLessThan(webinar.prediction as number);
    expect(optedOut.factors.find((f) => f.field === 'optOut')?.reason).toBe('\u2212 Opted out = yes');
  });

  it('abstains with a reason on a missing required field, low confidence or a foreign schema', () => {
    const strict = { ...result.artifact, featureSchema: { ...result.artifact.featureSchema } };
    const [none] = predict(result.artifact, [{ id: 'empty', fields: {} }], { asOf: AS_OF });
    expect(none.abstained && none.reason).toBe('none of the model fields has a usable value');
    const [unsure] = predict(strict, [{ id: 'u', fields: { source: 'Web', visits: 4 } }], { asOf: AS_OF, minConfidence: 0.999 });
    expect(unsure.abstained && unsure.reason).toMatch(/^confidence 0\.\d\d is below 0.999$/);
    const [foreign] = predict(result.artifact, [{ id: 'f', fields: { source: 'Web' } }], { expectedSchemaHash: 'abc' });
    expect(foreign.abstained).toBe(true);
  });

  it('abstains when a field marked required is missing', () => {
    const fields = LEAD_FIELDS.map((f) => (f.name === 'source' ? { ...f, required: true } : f));
    const strict = trainModel('lead-score', rows.slice(0, 300), { fields, asOf: AS_OF, fitCheck: { permutations: 50 } }).artifact;
    const [missing, present] = predict(strict, [
      { id: 'm', fields: { visits: 3 } },
      { id: 'p', fields: { visits: 3, source: 'Web' } },
    ]);
    expect(missing.abstained && missing.reason).toBe('required field "source" is missing');
    expect(present.abstained).toBe(false);
  });

  it('refuses artifacts from an unknown format version or with a tampered schema', () => {
    expect(() => loadArtifact({ ...result.artifact, formatVersion: 99 })).toThrow(ArtifactError);
    const tampered = { ...result.artifact, featureSchema: { ...result.artifact.featureSchema, fields: [...LEAD_FIELDS].reverse() } };
    expect(() => loadArtifact(tampered)).toThrow(/hash/);
    expect(() => loadArtifact({ kind: 'linear' })).toThrow(/^\/formatVersion|\//);
  });
});

describe('gates, fit check and champion/challenger', () => {
  it('a model trained on label-blind data fails the fit check and is never auto-written', () => {
    const noise = makeLeads(700, 2, false);
    const result = trainModel('lead-score', noise, {
      fields: LEAD_FIELDS,
      asOf: AS_OF,
      gates: { minRows: 500, minPositives: 60 },
      fitCheck: { permutations: 200 },
    });
    expect(result.fitCheck.passed).toBe(false);
    expect(result.autoWriteAllowed).toBe(false);
    expect(result.artifact.status.autoWriteAllowed).toBe(false);
    expect(result.reasons.join(' ')).toMatch(/AUC/);
  });

  it('below the data gates the result says so even when the fit is fine', () => {
    const small = makeLeads(300, 3);
    const result = trainModel('lead-score', small, { fields: LEAD_FIELDS, asOf: AS_OF, fitCheck: { permutations: 100 } });
    expect(result.gates.passed).toBe(false);
    expect(result.autoWriteAllowed).toBe(false);
    expect(result.reasons[0]).toBe('300 training rows, below the minimum of 1000');
  });

  it('promotes a clearly better model on held-out data and keeps a champion against itself', () => {
    const rows = makeLeads(700, 4);
    const heldOut = makeLeads(500, 5);
    const gates = { minRows: 500, minPositives: 60 };
    const trained = trainModel('lead-score', rows, { fields: LEAD_FIELDS, asOf: AS_OF, gates, fitCheck: { permutations: 100 } }).artifact;
    const weak = trainModel('lead-score', rows, {
      fields: LEAD_FIELDS.filter((f) => f.name === 'noise' || f.name === 'optOut'),
      asOf: AS_OF,
      gates,
      fitCheck: { permutations: 100 },
    }).artifact;
    const promote = compareChampionChallenger(weak, trained, heldOut);
    expect(promote.decision).toBe('promote');
    expect(promote.probabilityBetter).toBeGreaterThan(0.9);
    const same = compareChampionChallenger(trained, trained, heldOut);
    expect(same.decision).toBe('keep');
    expect(evaluate(trained, heldOut).n).toBe(500);
  });
});

describe('ticket categories (multinomial, text)', () => {
  const vocab: Record<string, string[]> = {
    Access: ['password', 'reset', 'login', 'locked', 'account', 'mfa'],
    Hardware: ['laptop', 'screen', 'keyboard', 'battery', 'dock', 'printer'],
    Purchase: ['order', 'invoice', 'license', 'quote', 'buy', 'renewal'],
  };
  const filler = ['please', 'help', 'thanks', 'hi', 'team', 'issue', 'today'];
  function tickets(n: number, seed: number): LabeledRecord[] {
    const rng = createRng(seed);
    const labels = Object.keys(vocab);
    return Array.from({ length: n }, (_, i) => {
      const label = labels[i % 3];
      const words = Array.from(
        { length: 6 },
        () => (rng() < 0.45 ? vocab[label] : rng() < 0.5 ? vocab[labels[Math.floor(rng() * 3)]] : filler)[Math.floor(rng() * 6) % 6] ?? 'x',
      );
      return { id: `T${i}`, fields: { text: words.join(' ') }, label };
    });
  }
  const fields: FieldSpec[] = [{ name: 'text', type: 'text', label: 'Description' }];
  const result = trainModel('ticket-category', tickets(600, 8), {
    fields,
    encoder: { text: { hashBits: 12, charNgrams: [3, 4] } },
    gates: { minRows: 500 },
  });

  it('learns the categories, calibrates with a temperature and returns top-3 alternatives with terms', () => {
    expect(result.artifact.calibration.method).toBe('temperature');
    expect(result.artifact.metrics.accuracy).toBeGreaterThan(0.8);
    const [answer] = predict(result.artifact, [
      { id: 'q', fields: { text: 'Password reset please, my account is locked' } },
    ]) as ScoredPrediction[];
    expect(answer.prediction).toBe('Access');
    expect(answer.alternatives?.map((a) => a.label)).toHaveLength(3);
    const sum = (answer.alternatives ?? []).reduce((s, a) => s + a.probability, 0);
    expect(sum).toBeCloseTo(1, 10);
    const text = answer.factors.find((f) => f.field === 'text');
    expect(text?.direction).toBe('+');
    expect(text?.topTerms?.map((t) => t.term)).toEqual(expect.arrayContaining(['password']));
  });

  it('empty text abstains', () => {
    const [answer] = predict(result.artifact, [{ id: 'e', fields: { text: '   ' } }]);
    expect(answer.abstained).toBe(true);
  });
});

describe('cold-start defaults', () => {
  it('lead prior explains itself with signed rule reasons', () => {
    const prior = defaultArtifact('lead-score');
    expect(prior.provenance.source).toBe('rules');
    const [hot, cold] = predict(
      prior,
      [
        {
          id: 'h',
          fields: { leadSource: 'Webinar', lastActivityAt: new Date(AS_OF - DAY).toISOString(), email: 'a@b.c', title: 'VP Sales' },
        },
        { id: 'c', fields: { leadSource: 'Purchased List', lastActivityAt: new Date(AS_OF - 60 * DAY).toISOString() } },
      ],
      { asOf: AS_OF },
    ) as ScoredPrediction[];
    expect(hot.prediction as number).toBeGreaterThan(cold.prediction as number);
    expect(cold.factors.map((f) => f.reason)).toEqual(expect.arrayContaining(['\u2212 No activity in 30 days', '\u2212 No email address']));
    expect(hot.factors[0].direction).toBe('+');
  });

  it('escalation prior raises risk for urgent, reopened tickets', () => {
    const [urgent, calm] = predict(defaultArtifact('escalation-risk'), [
      { id: 'u', fields: { priority: 'Urgent', subject: 'Production outage', reopenCount: 2 } },
      { id: 'c', fields: { priority: 'Low', subject: 'Question about invoices', createdAt: new Date().toISOString() } },
    ]) as ScoredPrediction[];
    expect(urgent.prediction as number).toBeGreaterThan(0.5);
    expect(calm.prediction as number).toBeLessThan(0.1);
  });
});
