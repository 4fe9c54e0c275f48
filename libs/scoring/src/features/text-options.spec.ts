import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadArtifact } from '../artifact/load-artifact';
import type { LinearArtifact } from '../artifact/artifact.types';
import { predictProbabilities } from '../predict/predict.service';
import { trainModel } from '../training/train-model.service';
import { RowEncoder, fitEncoder, schemaHash } from './feature-encoder.features';
import { DEFAULT_TEXT_CONFIG } from './text.features';

const records = ['reset password account', 'laptop screen broken'].map((text, i) => ({ id: String(i), fields: { text } }));
const textField = [{ name: 'text', type: 'text' as const }];

describe('text option sublinearTf: false', () => {
  it('weighs a term by its raw count (then l2-normalised) instead of 1 + ln(count)', () => {
    const raw = new RowEncoder(fitEncoder(textField, records, { text: { wordNgrams: 1, idf: false, sublinearTf: false } }));
    const nnz = raw.encode({ text: 'reset reset reset laptop' }, 0);
    expect(nnz).toBe(2);
    expect(raw.values[0]).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect(raw.values[1]).toBeCloseTo(1 / Math.sqrt(10), 6);
    const sublinear = new RowEncoder(fitEncoder(textField, records, { text: { wordNgrams: 1, idf: false } }));
    sublinear.encode({ text: 'reset reset reset laptop' }, 0);
    const tf = 1 + Math.log(3);
    expect(sublinear.values[0]).toBeCloseTo(tf / Math.hypot(tf, 1), 6);
  });
});

describe('artifacts from before the sublinearTf option', () => {
  it('leave the feature schema (and so its hash) as it was when the option is not set', () => {
    const encoder = fitEncoder(textField, records, { text: { hashBits: 12, charNgrams: [2, 4] } });
    const encoding = encoder.schema.encodings[0];
    expect(encoding.type === 'text' && Object.keys(encoding.config).sort()).toEqual([
      'charNgrams',
      'hashBits',
      'maxWordLength',
      'wordNgrams',
    ]);
    expect(encoder.schema.hash).toBe(
      schemaHash(textField, [
        { type: 'text', field: 'text', config: { ...DEFAULT_TEXT_CONFIG, hashBits: 12, charNgrams: [2, 4] }, nDocs: 2 },
      ]),
    );
  });

  // Trained with the text features as they were at commit 60fc5fd (char n-grams with idf; words
  // without idf), predictions recorded then. Today's code must load them and predict the same numbers.
  const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'text-artifacts-before-options.json'), 'utf8')) as {
    probe: Record<string, unknown>[];
    artifacts: { artifact: LinearArtifact; probabilities: number[] }[];
  };
  const probe = fixture.probe.map((fields, i) => ({ id: String(i), fields }));

  it.each(fixture.artifacts.map((entry) => [entry.artifact.task, entry] as const))(
    '%s still loads and predicts identically',
    (_task, entry) => {
      const model = loadArtifact(entry.artifact);
      expect(Array.from(predictProbabilities(model, probe))).toEqual(entry.probabilities);
    },
  );
});

describe('artifacts with sublinearTf: false', () => {
  it('round-trip through loadArtifact (the schema keeps the option, predictions identical)', () => {
    const docs = ['reset password account', 'password expired reset reset', 'laptop screen broken', 'laptop keyboard broken screen'];
    const rows = Array.from({ length: 240 }, (_, i) => ({
      id: String(i),
      fields: { text: `${docs[i % 4]} t${i % 7} ${docs[(i + 1) % 4]}` },
      label: i % 4 < 2 ? 'Access' : 'Hardware',
    }));
    const result = trainModel('ticket-category', rows, {
      fields: textField,
      encoder: { text: { idf: false, sublinearTf: false } },
      gates: { minRows: 100, minPerClass: 10 },
      fitCheck: { permutations: 20 },
    });
    const encoding = result.artifact.featureSchema.encodings[0];
    expect(encoding.type === 'text' && encoding.config).toMatchObject({ sublinearTf: false });
    const reloaded = loadArtifact(JSON.parse(JSON.stringify(result.artifact)));
    expect(Array.from(predictProbabilities(reloaded, rows.slice(0, 8)))).toEqual(
      Array.from(predictProbabilities(result.artifact, rows.slice(0, 8))),
    );
  });
});
