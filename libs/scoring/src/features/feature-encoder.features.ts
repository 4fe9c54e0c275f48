// Typed fields → one sparse row. The fitted encoder is plain data (it is saved in the artifact);
// RowEncoder is the allocation-free hot path shared by training and prediction so both see
// exactly the same columns.
import { createHash } from 'node:crypto';
import type { FieldSpec, ScoringRecord } from '../scoring.types';
import { CsrBuilder, type CsrMatrix } from './csr-matrix';
import { toBoolean, toCategory, toNumber, toRecencyDays, toText } from './field-values';
import { DEFAULT_TEXT_CONFIG, TermCounter, countTerms, smoothIdf, writeTfidf, type TextFeatureConfig } from './text.features';

export interface NumericEncoding {
  type: 'numeric' | 'date';
  field: string;
  mean: number;
  std: number;
  /** Bin edges (ascending); bins give the linear model a piecewise-constant shape per field. */
  edges: number[];
}
export interface CategoricalEncoding {
  type: 'categorical';
  field: string;
  levels: string[];
}
export interface BooleanEncoding {
  type: 'boolean';
  field: string;
}
export interface TextEncoding {
  type: 'text';
  field: string;
  config: TextFeatureConfig;
  nDocs: number;
}
export type FieldEncoding = NumericEncoding | CategoricalEncoding | BooleanEncoding | TextEncoding;

export interface FeatureSchema {
  fields: FieldSpec[];
  encodings: FieldEncoding[];
  /** sha256 of the canonical JSON of fields + encodings; a model only accepts its own schema. */
  hash: string;
}

export interface FittedEncoder {
  schema: FeatureSchema;
  /** Per field: idf over the hash space (text fields) or null. */
  idf: (Float32Array | null)[];
  /** Per field: first column and number of columns. */
  layout: { offset: number; width: number }[];
  nCols: number;
}

export interface EncoderOptions {
  text?: Partial<TextFeatureConfig>;
  /** Per-field overrides of the text config, by field name. */
  textByField?: Record<string, Partial<TextFeatureConfig>>;
  numericBins?: number;
  /** Numeric fields with at most this many distinct training values get one column per value (default 16). */
  numericLevels?: number;
  minCategoryCount?: number;
  maxCategoryLevels?: number;
}

const Z_CLIP = 5;

export function fieldWidth(encoding: FieldEncoding): number {
  switch (encoding.type) {
    case 'numeric':
    case 'date':
      return 2 + encoding.edges.length + 1; // value, missing, bins
    case 'categorical':
      return encoding.levels.length + 2; // levels, (other), (missing)
    case 'boolean':
      return 2; // true, missing
    case 'text':
      return 1 << encoding.config.hashBits;
  }
}

export function computeLayout(encodings: FieldEncoding[]): { layout: { offset: number; width: number }[]; nCols: number } {
  // Tabular columns first, text hash blocks last, so tabular column ids stay small and readable.
  const layout = encodings.map(() => ({ offset: 0, width: 0 }));
  let next = 0;
  for (const pass of [false, true]) {
    encodings.forEach((encoding, f) => {
      if ((encoding.type === 'text') !== pass) return;
      layout[f] = { offset: next, width: fieldWidth(encoding) };
      next += layout[f].width;
    });
  }
  return { layout, nCols: next };
}

export function schemaHash(fields: FieldSpec[], encodings: FieldEncoding[]): string {
  return createHash('sha256').update(JSON.stringify({ fields, encodings })).digest('hex');
}

function numericEncoding(spec: FieldSpec, values: number[], bins: number, levels: number): NumericEncoding {
  const type = spec.type === 'date' ? 'date' : 'numeric';
  if (values.length === 0) return { type, field: spec.name, mean: 0, std: 1, edges: [] };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / values.length) || 1;
  const sorted = Float64Array.from(values).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i += 1) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  let edges: number[];
  if (distinct.length <= levels) {
    edges = distinct.slice(1);
  } else {
    const raw = new Set<number>();
    for (let q = 1; q < bins; q += 1) raw.add(sorted[Math.floor((q * sorted.length) / bins)]);
    edges = [...raw].filter((e) => e > sorted[0]).sort((a, b) => a - b);
  }
  return { type, field: spec.name, mean, std, edges };
}

export function fitEncoder(
  fields: FieldSpec[],
  records: readonly ScoringRecord[],
  options: EncoderOptions = {},
  asOfMs = Date.now(),
): FittedEncoder {
  const bins = options.numericBins ?? 8;
  const minCount = options.minCategoryCount ?? 2;
  const maxLevels = options.maxCategoryLevels ?? 200;
  const encodings: FieldEncoding[] = [];
  const idf: (Float32Array | null)[] = [];
  for (const spec of fields) {
    if (spec.type === 'numeric' || spec.type === 'date') {
      const values: number[] = [];
      for (const r of records) {
        const v = spec.type === 'date' ? toRecencyDays(r.fields[spec.name], spec, asOfMs) : toNumber(r.fields[spec.name], spec);
        if (v !== undefined) values.push(v);
      }
      encodings.push(numericEncoding(spec, values, bins, options.numericLevels ?? 16));
      idf.push(null);
    } else if (spec.type === 'categorical') {
      const counts = new Map<string, number>();
      for (const r of records) {
        const v = toCategory(r.fields[spec.name], spec);
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const levels = [...counts.entries()]
        .filter(([, c]) => c >= minCount)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, maxLevels)
        .map(([level]) => level);
      encodings.push({ type: 'categorical', field: spec.name, levels });
      idf.push(null);
    } else if (spec.type === 'boolean') {
      encodings.push({ type: 'boolean', field: spec.name });
      idf.push(null);
    } else {
      const config: TextFeatureConfig = { ...DEFAULT_TEXT_CONFIG, ...options.text, ...options.textByField?.[spec.name] };
      const counter = new TermCounter(1 << config.hashBits);
      const df = new Float64Array(1 << config.hashBits);
      for (const r of records) {
        const text = toText(r.fields[spec.name], spec);
        if (text === undefined) continue;
        countTerms(text, config, counter);
        for (let t = 0; t < counter.size; t += 1) df[counter.touched[t]] += 1;
      }
      encodings.push({ type: 'text', field: spec.name, config, nDocs: records.length });
      idf.push(config.idf === false ? new Float32Array(df.length).fill(1) : smoothIdf(records.length, df));
    }
  }
  const { layout, nCols } = computeLayout(encodings);
  return { schema: { fields, encodings, hash: schemaHash(fields, encodings) }, idf, layout, nCols };
}

function upperBound(edges: number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Per-record facts the explainer needs besides the columns (which fields were missing). */
export interface EncodedRowInfo {
  missing: boolean[];
}

/** Encodes one record at a time into reusable buffers (no allocation per record after warm-up). */
export class RowEncoder {
  indices = new Int32Array(256);
  values = new Float32Array(256);
  readonly missing: boolean[];
  /** Per field: end (exclusive) of its entries in indices/values, so explanations can sum per field. */
  readonly fieldEnd: Int32Array;
  readonly counters: (TermCounter | null)[];
  private readonly levelIndex: (Map<string, number> | null)[];

  constructor(readonly encoder: FittedEncoder) {
    this.levelIndex = encoder.schema.encodings.map((e) =>
      e.type === 'categorical' ? new Map(e.levels.map((level, i) => [level, i])) : null,
    );
    this.counters = encoder.schema.encodings.map((e) => (e.type === 'text' ? new TermCounter(1 << e.config.hashBits) : null));
    this.missing = encoder.schema.encodings.map(() => false);
    this.fieldEnd = new Int32Array(encoder.schema.encodings.length);
  }

  private ensure(capacity: number): void {
    if (capacity <= this.indices.length) return;
    let size = this.indices.length * 2;
    while (size < capacity) size *= 2;
    const indices = new Int32Array(size);
    indices.set(this.indices);
    const values = new Float32Array(size);
    values.set(this.values);
    this.indices = indices;
    this.values = values;
  }

  /** Writes one entry at `at` and returns the next position (a method, not a closure per record). */
  private put(at: number, column: number, value: number): number {
    this.indices[at] = column;
    this.values[at] = value;
    return at + 1;
  }

  /** Returns the number of non-zeros written to `indices` / `values`. */
  encode(fields: Record<string, unknown>, asOfMs: number): number {
    const { schema, layout, idf } = this.encoder;
    let nnz = 0;
    for (let f = 0; f < schema.encodings.length; f += 1) {
      const encoding = schema.encodings[f];
      const spec = schema.fields[f];
      const { offset } = layout[f];
      const raw = fields[spec.name];
      this.ensure(nnz + 4);
      switch (encoding.type) {
        case 'numeric':
        case 'date': {
          const x = encoding.type === 'date' ? toRecencyDays(raw, spec, asOfMs) : toNumber(raw, spec);
          this.missing[f] = x === undefined;
          if (x === undefined) {
            nnz = this.put(nnz, offset + 1, 1);
          } else {
            const z = Math.max(-Z_CLIP, Math.min(Z_CLIP, (x - encoding.mean) / encoding.std));
            if (z !== 0) nnz = this.put(nnz, offset, z);
            nnz = this.put(nnz, offset + 2 + upperBound(encoding.edges, x), 1);
          }
          break;
        }
        case 'categorical': {
          const v = toCategory(raw, spec);
          this.missing[f] = v === undefined;
          if (v === undefined) {
            nnz = this.put(nnz, offset + encoding.levels.length + 1, 1);
          } else {
            const level = (this.levelIndex[f] as Map<string, number>).get(v);
            nnz = this.put(nnz, offset + (level ?? encoding.levels.length), 1);
          }
          break;
        }
        case 'boolean': {
          const v = toBoolean(raw, spec);
          this.missing[f] = v === undefined;
          if (v === undefined) nnz = this.put(nnz, offset + 1, 1);
          else if (v) nnz = this.put(nnz, offset, 1);
          break;
        }
        case 'text': {
          const text = toText(raw, spec);
          const counter = this.counters[f] as TermCounter;
          if (text === undefined) {
            counter.reset();
          } else {
            countTerms(text, encoding.config, counter);
          }
          this.missing[f] = counter.size === 0;
          this.ensure(nnz + counter.size);
          nnz += writeTfidf(counter, idf[f] as Float32Array, offset, this.indices, this.values, nnz, encoding.config);
          break;
        }
      }
      this.fieldEnd[f] = nnz;
    }
    return nnz;
  }
}

export function encodeRecords(encoder: FittedEncoder, records: readonly ScoringRecord[], asOfMs = Date.now()): CsrMatrix {
  const rowEncoder = new RowEncoder(encoder);
  const builder = new CsrBuilder(encoder.nCols);
  for (const record of records) {
    const nnz = rowEncoder.encode(record.fields, asOfMs);
    builder.appendRow(rowEncoder.indices, rowEncoder.values, nnz);
  }
  return builder.build();
}
