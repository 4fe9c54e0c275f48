import { loadArtifact } from '../artifact/load-artifact';
import { predictProbabilities } from '../predict/predict.service';
import { trainModel } from '../training/train-model.service';
import { RowEncoder, fitEncoder } from './feature-encoder.features';

describe('text idf option', () => {
  const docs = ['reset password account', 'password expired reset', 'laptop screen broken', 'laptop keyboard broken screen'];

  it('idf: false weighs every term 1 (sublinear tf, l2-normalised), idf on by default', () => {
    const records = docs.map((text, i) => ({ id: String(i), fields: { text } }));
    const plain = new RowEncoder(fitEncoder([{ name: 'text', type: 'text' }], records, { text: { wordNgrams: 1, idf: false } }));
    const nnz = plain.encode({ text: 'reset reset laptop' }, 0);
    const tf = [1 + Math.log(2), 1];
    const norm = Math.hypot(...tf);
    expect(Array.from(plain.values.subarray(0, nnz)).map((v) => Number(v.toFixed(6)))).toEqual(
      tf.map((v) => Number((v / norm).toFixed(6))),
    );
    const weighted = new RowEncoder(fitEncoder([{ name: 'text', type: 'text' }], records, { text: { wordNgrams: 1 } }));
    const n2 = weighted.encode({ text: 'reset reset laptop' }, 0);
    expect(n2).toBe(2);
    // Both words occur in 2 of 4 documents, so idf is equal and the vector is the same; a rarer word shifts it.
    weighted.encode({ text: 'reset keyboard' }, 0);
    expect(weighted.values[0]).not.toBeCloseTo(weighted.values[1], 3);
  });

  it('round-trips through the artifact (schema keeps the option, predictions identical)', () => {
    const rows = Array.from({ length: 240 }, (_, i) => ({
      id: String(i),
      fields: { text: docs[i % 4] + ` t${i % 7}` },
      label: i % 4 < 2 ? 'Access' : 'Hardware',
    }));
    const result = trainModel('ticket-category', rows, {
      fields: [{ name: 'text', type: 'text' }],
      encoder: { text: { idf: false } },
      gates: { minRows: 100, minPerClass: 10 },
      fitCheck: { permutations: 20 },
    });
    const encoding = result.artifact.featureSchema.encodings[0];
    expect(encoding.type === 'text' && encoding.config.idf).toBe(false);
    const reloaded = loadArtifact(JSON.parse(JSON.stringify(result.artifact)));
    expect(Array.from(predictProbabilities(reloaded, rows.slice(0, 8)))).toEqual(
      Array.from(predictProbabilities(result.artifact, rows.slice(0, 8))),
    );
  });
});
