// Factors of a linear model's prediction: per field, Σ w_j·x_j over its columns minus the field's
// training baseline (class-centred weights for softmax), the largest |contribution| first.
//
// Hot path of predict(): every contribution is a number in a reused array, and only the fields
// that make the top `maxFactors` get a reason string and a Factor object (a lead has ~20 fields and
// shows 5). Text fields name their n-grams only for the few top terms shown. The order is that of a
// stable sort by |contribution| (ties: field order / n-gram order), as before this was optimised.
import type { LoadedLinearModel } from '../artifact/load-artifact';
import { toText } from '../features/field-values';
import type { TermCounter } from '../features/text.features';
import type { Factor, FieldSpec, ScoringRecord } from '../scoring.types';
import { describeField, signGlyph, signOf } from './reasons';

export interface FactorOptions {
  maxFactors?: number;
  topTerms?: number;
}

/** Per compiled model, built on first use: nothing here depends on the record. */
interface ExplainPlan {
  contributions: Float64Array;
  /** Categorical fields: the levels seen in training (others are reported as rare values). */
  knownLevels: (Set<string> | null)[];
  /** Tabular fields: raw value → display value and reasons. */
  described: Map<unknown, Described>[];
  /** Scratch: per-entry contributions of one text field. */
  termContribution: Float64Array;
}

const plans = new WeakMap<LoadedLinearModel, ExplainPlan>();

function planOf(model: LoadedLinearModel): ExplainPlan {
  let plan = plans.get(model);
  if (!plan) {
    const { encodings } = model.encoder.schema;
    plan = {
      contributions: new Float64Array(encodings.length),
      knownLevels: encodings.map((e) => (e.type === 'categorical' ? new Set(e.levels) : null)),
      termContribution: new Float64Array(256),
      described: encodings.map(() => new Map()),
    };
    plans.set(model, plan);
  }
  return plan;
}

interface Described {
  value: string;
  /** The reason with each sign glyph (signGlyph: '+' for ≥ 0, '−' otherwise). */
  plus: string;
  minus: string;
}

/**
 * describeField for a tabular value, remembered per field for primitive raw values (lead fields
 * repeat a lot and the strings were most of the garbage per prediction). Dates depend on asOf and
 * are described afresh. Bounded: a field's memory is cleared when it holds 1,024 values.
 */
function described(plan: ExplainPlan, f: number, spec: FieldSpec, raw: unknown, asOfMs: number): Described {
  const cacheable = spec.type !== 'date' && (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean');
  const cache = plan.described[f];
  if (cacheable) {
    const hit = cache.get(raw);
    if (hit) return hit;
  }
  const levels = plan.knownLevels[f];
  const { value, text } = describeField(spec, raw, asOfMs, (v) => levels?.has(v) ?? true);
  const entry = { value, plus: `${signGlyph(1)} ${text}`, minus: `${signGlyph(-1)} ${text}` };
  if (cacheable) {
    if (cache.size >= 1024) cache.clear();
    cache.set(raw, entry);
  }
  return entry;
}

/** Effective weight of column j for explaining class k (centred over classes for softmax models). */
function effectiveWeight(model: LoadedLinearModel, j: number, k: number, sign: number): number {
  const K = model.nOutputs;
  if (K === 1) return sign * model.weights[j];
  let mean = 0;
  for (let c = 0; c < K; c += 1) mean += model.weights[j * K + c];
  return model.weights[j * K + k] - mean / K;
}

function normaliseTerm(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Sorts ascending `indices` in place by |values[i − offset]| descending, ties kept in index order
 * (what a stable sort gives). Insertion sort: the lists are a record's fields or n-grams (tens).
 */
function byMagnitude(indices: number[], values: Float64Array, offset = 0): number[] {
  for (let i = 1; i < indices.length; i += 1) {
    const item = indices[i];
    const magnitude = Math.abs(values[item - offset]);
    let j = i - 1;
    while (j >= 0 && Math.abs(values[indices[j] - offset]) < magnitude) {
      indices[j + 1] = indices[j];
      j -= 1;
    }
    indices[j + 1] = item;
  }
  return indices;
}

function textFactor(
  model: LoadedLinearModel,
  plan: ExplainPlan,
  spec: FieldSpec,
  f: number,
  start: number,
  end: number,
  raw: unknown,
  contribution: number,
  explainClass: number,
  sign: number,
  topTerms: number,
): Omit<Factor, 'sortOrder'> {
  const { rowEncoder } = model;
  const text = toText(raw, spec);
  let shown: { term: string; contribution: number }[] = [];
  let top: { term: string; contribution: number }[] = [];
  if (text !== undefined && topTerms > 0) {
    // The row's entries of this field are the counter's touched slots in order (see writeTfidf), and
    // the counter kept each slot's first word / bigram: strings are cut only for the terms shown.
    const counter = rowEncoder.counters[f] as TermCounter;
    const lower = counter.text;
    const named: number[] = [];
    if (plan.termContribution.length < end - start) plan.termContribution = new Float64Array(2 * (end - start));
    const termContribution = plan.termContribution;
    for (let p = start; p < end; p += 1) {
      if (counter.spanStart[p - start] >= 0) {
        named.push(p);
        termContribution[p - start] = rowEncoder.values[p] * effectiveWeight(model, rowEncoder.indices[p], explainClass, sign);
      }
    }
    byMagnitude(named, termContribution, start);
    const term = (p: number): { term: string; contribution: number } => ({
      term: normaliseTerm(lower.slice(counter.spanStart[p - start], counter.spanEnd[p - start])),
      contribution: termContribution[p - start],
    });
    top = named.slice(0, topTerms).map(term);
    const wanted = Math.sign(contribution);
    for (const p of named) {
      if (shown.length >= topTerms) break;
      if (Math.sign(termContribution[p - start]) === wanted) shown.push(term(p));
    }
    shown = shown.slice(0, topTerms);
  }
  const label = spec.label ?? spec.name;
  const description =
    text === undefined
      ? `${label} empty`
      : shown.length > 0
        ? `${label} mentions ${shown.map((t) => `"${t.term}"`).join(', ')}`
        : `${label} wording`;
  return {
    field: spec.name,
    value: shown.map((t) => t.term).join(', '),
    contribution,
    direction: signOf(contribution),
    reason: `${signGlyph(contribution)} ${description}`,
    topTerms: top,
  };
}

/**
 * Factors for the encoded row currently in model.rowEncoder (nnz entries) and the log-odds
 * baseline they are measured against. `explainClass`: the class whose logit is explained (binary
 * models: 1 = the positive class).
 */
export function linearFactors(
  model: LoadedLinearModel,
  record: ScoringRecord,
  explainClass: number,
  asOfMs: number,
  options: FactorOptions,
): { factors: Factor[]; baseline: number } {
  const { artifact, rowEncoder, encoder } = model;
  const plan = planOf(model);
  const K = model.nOutputs;
  const sign = K === 1 && artifact.model.type === 'multinomial' && explainClass === 0 ? -1 : 1;
  const fieldBaselines = artifact.explanation.fieldBaselines;
  let baseline: number;
  if (K === 1) baseline = sign * model.intercept[0];
  else {
    let mean = 0;
    for (let c = 0; c < K; c += 1) mean += model.intercept[c];
    baseline = model.intercept[explainClass] - mean / K;
  }
  const { fields } = encoder.schema;
  const { contributions } = plan;
  const eligible: number[] = [];
  let start = 0;
  for (let f = 0; f < fields.length; f += 1) {
    const end = rowEncoder.fieldEnd[f];
    const fieldBaseline = K === 1 ? sign * fieldBaselines[f][0] : fieldBaselines[f][explainClass];
    baseline += fieldBaseline;
    let sum = 0;
    for (let p = start; p < end; p += 1) sum += rowEncoder.values[p] * effectiveWeight(model, rowEncoder.indices[p], explainClass, sign);
    contributions[f] = sum - fieldBaseline;
    if (Math.abs(contributions[f]) >= 1e-3) eligible.push(f);
    start = end;
  }
  const chosen = byMagnitude(eligible, contributions).slice(0, options.maxFactors ?? 5);
  const topTerms = options.topTerms ?? 3;
  const factors = chosen.map((f, i): Factor => {
    const spec = fields[f];
    const contribution = contributions[f];
    const raw = record.fields[spec.name];
    if (encoder.schema.encodings[f].type === 'text') {
      const fieldStart = f === 0 ? 0 : rowEncoder.fieldEnd[f - 1];
      const t = textFactor(model, plan, spec, f, fieldStart, rowEncoder.fieldEnd[f], raw, contribution, explainClass, sign, topTerms);
      return {
        field: t.field,
        value: t.value,
        contribution,
        direction: t.direction,
        sortOrder: i + 1,
        reason: t.reason,
        topTerms: t.topTerms,
      };
    }
    const { value, plus, minus } = described(plan, f, spec, raw, asOfMs);
    return {
      field: spec.name,
      value,
      contribution,
      direction: signOf(contribution),
      sortOrder: i + 1,
      reason: contribution >= 0 ? plus : minus,
    };
  });
  return { factors, baseline };
}
