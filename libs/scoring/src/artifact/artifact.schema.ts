// Runtime validation of artifacts (they arrive from disk, the database or an export), so a
// malformed or foreign document fails at load time with the path of the bad field, not at predict time.
import { z } from 'zod';

const fieldSpec = z.object({
  name: z.string().min(1),
  type: z.enum(['numeric', 'categorical', 'boolean', 'date', 'text']),
  label: z.string().optional(),
  required: z.boolean().optional(),
  missingTokens: z.array(z.string()).optional(),
});

const textConfig = z.object({
  hashBits: z.number().int().min(4).max(24),
  wordNgrams: z.union([z.literal(1), z.literal(2)]),
  charNgrams: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  maxWordLength: z.number().int().min(1),
  idf: z.boolean().optional(),
  sublinearTf: z.boolean().optional(),
});

const encoding = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['numeric', 'date']), field: z.string(), mean: z.number(), std: z.number(), edges: z.array(z.number()) }),
  z.object({ type: z.literal('categorical'), field: z.string(), levels: z.array(z.string()) }),
  z.object({ type: z.literal('boolean'), field: z.string() }),
  z.object({ type: z.literal('text'), field: z.string(), config: textConfig, nDocs: z.number().int().min(0) }),
]);

const calibration = z.discriminatedUnion('method', [
  z.object({ method: z.literal('none') }),
  z.object({ method: z.literal('platt'), a: z.number(), b: z.number() }),
  z.object({ method: z.literal('isotonic'), x: z.array(z.number()).min(1), y: z.array(z.number()).min(1) }),
  z.object({ method: z.literal('temperature'), temperature: z.number().positive() }),
]);

const thresholds = z.object({
  tiers: z.object({ A: z.number(), B: z.number(), C: z.number(), heldOut: z.array(z.looseObject({ tier: z.string() })) }).optional(),
  confidence: z.object({ high: z.number(), medium: z.number(), heldOut: z.array(z.looseObject({ level: z.string() })) }),
});

const unitInterval = z.number().min(0).max(1);
// Model-card curves (optional: defaults, rules priors and older artifacts have none). Bounded sizes
// keep a foreign document from smuggling megabytes into every model-card response.
const evaluation = z.object({
  rows: z.number().int().min(0),
  kind: z.enum(['binary', 'categories']),
  roc: z
    .array(z.object({ fpr: unitInterval, tpr: unitInterval }))
    .min(2)
    .max(1000)
    .optional(),
  calibrationBins: z.array(z.object({ predicted: unitInterval, observed: unitInterval, count: z.number().int().min(0) })).max(100),
  scoreHistogram: z
    .array(
      z.object({
        start: z.number(),
        end: z.number(),
        count: z.number().int().min(0),
        positives: z.number().int().min(0).optional(),
        correct: z.number().int().min(0).optional(),
      }),
    )
    .max(100),
});

const base = {
  formatVersion: z.number().int(),
  task: z.enum(['lead-score', 'ticket-category', 'escalation-risk']),
  modelId: z.string().min(1),
  version: z.string().min(1),
  trainedAt: z.string(),
  trainingSize: z.number().int().min(0),
  positives: z.number().int().optional(),
  classCounts: z.record(z.string(), z.number()).optional(),
  metrics: z.record(z.string(), z.number()),
  status: z.looseObject({ autoWriteAllowed: z.boolean(), reasons: z.array(z.string()) }),
  provenance: z.looseObject({ source: z.enum(['trained', 'default', 'rules']) }),
  thresholds,
  evaluation: evaluation.optional(),
};

const ruleCondition = z.discriminatedUnion('op', [
  z.object({ op: z.literal('equals'), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.object({ op: z.literal('in'), values: z.array(z.union([z.string(), z.number()])) }),
  z.object({ op: z.enum(['gte', 'lte']), value: z.number() }),
  z.object({ op: z.enum(['missing', 'present']) }),
  z.object({ op: z.enum(['olderThanDays', 'withinDays']), days: z.number() }),
  z.object({ op: z.literal('containsAny'), terms: z.array(z.string()).min(1) }),
]);

export const linearArtifactSchema = z.object({
  ...base,
  kind: z.literal('linear'),
  featureSchema: z.object({ fields: z.array(fieldSpec).min(1), encodings: z.array(encoding).min(1), hash: z.string() }),
  idf: z.record(z.string(), z.object({ scale: z.number().positive(), data: z.string() })),
  model: z.object({
    type: z.enum(['binary', 'multinomial']),
    classes: z.array(z.string()).min(2),
    nFeatures: z.number().int().min(1),
    nOutputs: z.number().int().min(1),
    intercept: z.array(z.number()).min(1),
    weights: z.object({ nRows: z.number().int(), nCols: z.number().int(), rows: z.string(), values: z.string() }),
    C: z.number().positive(),
    classWeight: z.enum(['balanced', 'none']),
    optimizer: z.looseObject({ iterations: z.number(), converged: z.boolean(), reason: z.string() }),
  }),
  calibration,
  explanation: z.object({
    fieldBaselines: z.array(z.array(z.number())),
    fieldImportance: z.array(z.object({ field: z.string(), meanAbsContribution: z.number() })),
  }),
});

export const rulesArtifactSchema = z.object({
  ...base,
  kind: z.literal('rules'),
  featureSchema: z.object({ fields: z.array(fieldSpec).min(1), hash: z.string() }),
  rules: z.object({
    intercept: z.number(),
    items: z.array(z.object({ id: z.string(), field: z.string(), when: ruleCondition, weight: z.number(), reason: z.string() })),
  }),
});

export const modelArtifactSchema = z.discriminatedUnion('kind', [linearArtifactSchema, rulesArtifactSchema]);
