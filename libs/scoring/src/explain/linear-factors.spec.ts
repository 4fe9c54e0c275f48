// The optimised explainer must return exactly what the straightforward one (kept below as the
// reference: every field described, every n-gram named, one sort) returned before it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadArtifact, type LoadedLinearModel } from '../artifact/load-artifact';
import { defaultArtifact } from '../defaults/default-artifacts';
import { createRng } from '../evaluation/random';
import { toText } from '../features/field-values';
import { scanText, type TextFeatureConfig } from '../features/text.features';
import type { Factor, LabeledRecord, ScoringRecord } from '../scoring.types';
import { trainModel } from '../training/train-model.service';
import { linearFactors } from './linear-factors';
import { describeField, signGlyph, signOf } from './reasons';

function referenceEffectiveWeight(model: LoadedLinearModel, j: number, k: number, sign: number): number {
  const K = model.nOutputs;
  if (K === 1) return sign * model.weights[j];
  let mean = 0;
  for (let c = 0; c < K; c += 1) mean += model.weights[j * K + c];
  return model.weights[j * K + k] - mean / K;
}

function referenceFactors(
  model: LoadedLinearModel,
  record: ScoringRecord,
  explainClass: number,
  asOfMs: number,
  options: { maxFactors?: number; topTerms?: number },
): { factors: Factor[]; baseline: number } {
  const { artifact, rowEncoder, encoder } = model;
  const K = model.nOutputs;
  const sign = K === 1 && artifact.model.type === 'multinomial' && explainClass === 0 ? -1 : 1;
  const baselineOf = (f: number): number => {
    const row = artifact.explanation.fieldBaselines[f];
    return K === 1 ? sign * row[0] : row[explainClass];
  };
  let baseline = 0;
  if (K === 1) baseline = sign * model.intercept[0];
  else {
    let mean = 0;
    for (let c = 0; c < K; c += 1) mean += model.intercept[c];
    baseline = model.intercept[explainClass] - mean / K;
  }
  const candidates: Factor[] = [];
  const topTerms = options.topTerms ?? 3;
  let start = 0;
  encoder.schema.fields.forEach((spec, f) => {
    const end = rowEncoder.fieldEnd[f];
    baseline += baselineOf(f);
    let sum = 0;
    for (let p = start; p < end; p += 1)
      sum += rowEncoder.values[p] * referenceEffectiveWeight(model, rowEncoder.indices[p], explainClass, sign);
    const contribution = sum - baselineOf(f);
    const encoding = encoder.schema.encodings[f];
    const raw = record.fields[spec.name];
    if (encoding.type === 'text') {
      const terms: { term: string; contribution: number }[] = [];
      const text = toText(raw, spec);
      if (text !== undefined && topTerms > 0) {
        const names = new Map<number, string>();
        const lower = text.toLowerCase();
        scanText(lower, encoding.config as TextFeatureConfig, (bucket, from, to, kind) => {
          if (kind !== 'char' && !names.has(bucket)) names.set(bucket, lower.slice(from, to));
        });
        const offset = encoder.layout[f].offset;
        for (let p = start; p < end; p += 1) {
          const name = names.get(rowEncoder.indices[p] - offset);
          if (name !== undefined) {
            terms.push({
              term: name.replace(/[^\p{L}\p{N}]+/gu, ' ').trim(),
              contribution: rowEncoder.values[p] * referenceEffectiveWeight(model, rowEncoder.indices[p], explainClass, sign),
            });
          }
        }
        terms.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
      }
      const label = spec.label ?? spec.name;
      const shown = terms.filter((t) => Math.sign(t.contribution) === Math.sign(contribution)).slice(0, topTerms);
      const text2 =
        text === undefined
          ? `${label} empty`
          : shown.length > 0
            ? `${label} mentions ${shown.map((t) => `"${t.term}"`).join(', ')}`
            : `${label} wording`;
      candidates.push({
        field: spec.name,
        value: shown.map((t) => t.term).join(', '),
        contribution,
        direction: signOf(contribution),
        sortOrder: 0,
        reason: `${signGlyph(contribution)} ${text2}`,
        topTerms: terms.slice(0, topTerms),
      });
    } else {
      const levels = encoding.type === 'categorical' ? new Set(encoding.levels) : undefined;
      const { value, text } = describeField(spec, raw, asOfMs, (v) => levels?.has(v) ?? true);
      candidates.push({
        field: spec.name,
        value,
        contribution,
        direction: signOf(contribution),
        sortOrder: 0,
        reason: `${signGlyph(contribution)} ${text}`,
      });
    }
    start = end;
  });
  const factors = candidates
    .filter((factor) => Math.abs(factor.contribution) >= 1e-3)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, options.maxFactors ?? 5)
    .map((factor, i) => ({ ...factor, sortOrder: i + 1 }));
  return { factors, baseline };
}

function expectSameFactors(model: LoadedLinearModel, records: ScoringRecord[], classes: number[], asOfMs: number): void {
  const optionSets = [{}, { maxFactors: 1, topTerms: 1 }, { maxFactors: 99, topTerms: 10 }, { maxFactors: 3, topTerms: 0 }];
  for (const record of records) {
    model.rowEncoder.encode(record.fields, asOfMs);
    for (const k of classes) {
      for (const options of optionSets) {
        const ours = linearFactors(model, record, k, asOfMs, options);
        const reference = referenceFactors(model, record, k, asOfMs, options);
        // Same objects with the same key order (the JSON the API returns is byte-identical).
        expect(JSON.stringify(ours)).toBe(JSON.stringify(reference));
      }
    }
  }
}

describe('linearFactors', () => {
  it('matches the reference explainer on the shipped ticket model (text, softmax, every class)', () => {
    const model = loadArtifact(defaultArtifact('ticket-category')) as LoadedLinearModel;
    const file = path.join(
      __dirname,
      '..',
      '..',
      '..',
      '..',
      'data',
      'it_service_ticket_classification',
      'all_tickets_processed_improved_v3.csv',
    );
    const rows = (parse(readFileSync(file), { columns: true, to: 60 }) as Record<string, string>[]).map((r, i) => ({
      id: String(i),
      fields: { text: r.Document },
    }));
    rows.push(
      { id: 'repeat', fields: { text: 'reset reset password password reset, VPN!! vpn-access' } },
      { id: 'empty', fields: { text: '' } },
    );
    expectSameFactors(model, rows, [0, 3, 7], Date.now());
  });

  it.each([
    ['word n-grams', {}],
    // 64 buckets: character n-grams collide with later words, so names come from later occurrences.
    ['word and character n-grams', { text: { charNgrams: [2, 4] as [number, number], hashBits: 6 } }],
  ])('matches the reference explainer on a trained lead model (numbers, categories, booleans, dates, text with %s)', (_, encoder) => {
    const rng = createRng(4);
    const asOf = Date.parse('2026-06-01T00:00:00Z');
    const words = ['pricing', 'demo', 'unsubscribe', 'budget', 'call', 'later'];
    const rows: LabeledRecord[] = Array.from({ length: 400 }, (_, i) => ({
      id: String(i),
      fields: {
        source: ['Web', 'Webinar', 'Cold call', 'Partner'][Math.floor(rng() * 4)],
        visits: rng() < 0.1 ? '' : String(Math.floor(rng() * 12)),
        optOut: rng() < 0.2 ? 'yes' : 'no',
        lastActivity: new Date(asOf - Math.floor(rng() * 90) * 86_400_000).toISOString(),
        notes: Array.from({ length: 1 + Math.floor(rng() * 5) }, () => words[Math.floor(rng() * words.length)]).join(' '),
      },
      label: rng() < 0.4,
    }));
    const result = trainModel('lead-score', rows, {
      fields: [
        { name: 'source', type: 'categorical' },
        { name: 'visits', type: 'numeric', label: 'Visits' },
        { name: 'optOut', type: 'boolean' },
        { name: 'lastActivity', type: 'date' },
        { name: 'notes', type: 'text' },
      ],
      asOf,
      encoder,
      gates: { minRows: 100, minPositives: 10 },
      fitCheck: { permutations: 20 },
    });
    const model = loadArtifact(result.artifact) as LoadedLinearModel;
    const records: ScoringRecord[] = [
      ...rows.slice(0, 80),
      { id: 'rare', fields: { source: 'Trade show', visits: '3', notes: 'demo demo' } },
    ];
    expectSameFactors(model, records, [1, 0], asOf);
  });
});
