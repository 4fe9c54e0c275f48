/**
 * The body of POST /v1/predict/<task>, validated with zod. Every problem names its JSON pointer
 * (`/records/3/id`) and what was expected, so a caller can fix a 1,000-record batch without guessing.
 * Syntactic problems are 400; a batch over the record limit is 413 (split it); well-formed input that
 * cannot be answered as asked (duplicate ids) is 422.
 */
import { z } from 'zod';
import type { FieldProblem } from '../problem/problem-details';

export const MAX_RECORDS_PER_REQUEST = 1000;
export const MAX_FIELDS_PER_RECORD = 500;
const MAX_ID_LENGTH = 256;
const MAX_FIELD_NAME_LENGTH = 256;
const MAX_TEXT_LENGTH = 100_000;

const scalar = z.union([z.string().max(MAX_TEXT_LENGTH), z.number().finite(), z.boolean(), z.null()]);
// Multi-select picklists arrive as arrays; nested objects are not a field value any model understands.
const fieldValue = z.union([scalar, z.array(z.union([z.string().max(MAX_TEXT_LENGTH), z.number().finite(), z.boolean()])).max(100)]);

const recordSchema = z
  .object({
    id: z.string().min(1).max(MAX_ID_LENGTH),
    fields: z.record(z.string().min(1).max(MAX_FIELD_NAME_LENGTH), fieldValue),
  })
  .strict();

const requestSchema = z
  .object({
    records: z.array(recordSchema).min(1).max(MAX_RECORDS_PER_REQUEST),
    connectionId: z.uuid().optional(),
  })
  .strict();

export type PredictRequest = z.infer<typeof requestSchema>;

export type PredictRequestCheck =
  { ok: true; value: PredictRequest } | { ok: false; status: 400 | 413 | 422; detail: string; errors: FieldProblem[] };

const MAX_REPORTED_PROBLEMS = 20;

function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** What was expected at a pointer, in words, with what was sent instead. */
function describeIssue(issue: z.core.$ZodIssue, body: unknown): string {
  const path = issue.path;
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const got = valueAt(body, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return path.length === 0
        ? `unknown member(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; expected only "records" and optionally "connectionId"`
        : `unknown member(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; a record has only "id" and "fields"`;
    case 'too_small':
      if (last === 'records') return 'expected at least 1 record';
      if (last === 'id') return 'expected a non-empty string (the record id in your system)';
      return `expected a longer value (at least ${String(issue.minimum)})`;
    case 'too_big':
      if (last === 'id') return `expected an id of at most ${MAX_ID_LENGTH} characters`;
      if (issue.origin === 'string') return `expected a string of at most ${MAX_TEXT_LENGTH.toLocaleString('en')} characters`;
      if (issue.origin === 'array') return 'expected at most 100 values in a multi-value field';
      return `expected at most ${String(issue.maximum)}`;
    case 'invalid_format':
      if (last === 'connectionId') return `expected a connection id (UUID), got ${JSON.stringify(got)}`;
      return `expected ${issue.format}`;
    case 'invalid_type':
      if (got === undefined) return last === 'records' ? 'expected "records": an array of {id, fields}' : `"${String(last)}" is required`;
      if (path.length === 0) return `expected a JSON object {"records": [...]}, got ${typeName(got)}`;
      if (last === 'records') return `expected an array of records, got ${typeName(got)}`;
      if (last === 'id') return `expected the record id as a string, got ${typeName(got)}`;
      if (last === 'fields') return `expected an object of field name → value, got ${typeName(got)}`;
      if (typeof last === 'number' && parent === 'records') return `expected a record object {id, fields}, got ${typeName(got)}`;
      if (last === 'connectionId') return `expected a connection id (UUID) as a string, got ${typeName(got)}`;
      return `expected ${issue.expected}, got ${typeName(got)}`;
    case 'invalid_union':
      return `expected a string, number, boolean, null or an array of those, got ${typeName(got)}`;
    case 'invalid_key':
      return 'expected a field name of 1 to 256 characters';
    default:
      return issue.message;
  }
}

export function checkPredictRequest(body: unknown): PredictRequestCheck {
  // Count first: a 100,000-record body is refused without validating 100,000 records.
  const records = (body as { records?: unknown } | null)?.records;
  if (Array.isArray(records) && records.length > MAX_RECORDS_PER_REQUEST) {
    return {
      ok: false,
      status: 413,
      detail: `A request may carry at most ${MAX_RECORDS_PER_REQUEST.toLocaleString('en')} records; split the batch.`,
      errors: [
        {
          pointer: '/records',
          detail: `expected 1 to ${MAX_RECORDS_PER_REQUEST.toLocaleString('en')} records, got ${records.length.toLocaleString('en')}`,
        },
      ],
    };
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const errors = parsed.error.issues
      .slice(0, MAX_REPORTED_PROBLEMS)
      .map((issue) => ({ pointer: pointerOf(issue.path), detail: describeIssue(issue, body) }));
    const more = parsed.error.issues.length - errors.length;
    return {
      ok: false,
      status: 400,
      detail: `The request body is not a valid prediction request (${parsed.error.issues.length} problem${parsed.error.issues.length === 1 ? '' : 's'}${more > 0 ? `, first ${errors.length} listed` : ''}).`,
      errors,
    };
  }
  const tooManyFields = parsed.data.records.findIndex((r) => Object.keys(r.fields).length > MAX_FIELDS_PER_RECORD);
  if (tooManyFields >= 0) {
    return {
      ok: false,
      status: 400,
      detail: 'A record has more fields than any model reads.',
      errors: [{ pointer: `/records/${tooManyFields}/fields`, detail: `expected at most ${MAX_FIELDS_PER_RECORD} fields` }],
    };
  }
  const seen = new Map<string, number>();
  const duplicates: FieldProblem[] = [];
  parsed.data.records.forEach((record, i) => {
    const first = seen.get(record.id);
    if (first === undefined) seen.set(record.id, i);
    else if (duplicates.length < MAX_REPORTED_PROBLEMS)
      duplicates.push({
        pointer: `/records/${i}/id`,
        detail: `duplicate id ${JSON.stringify(record.id)}, already used by /records/${first}/id; ids must be unique within a request`,
      });
  });
  if (duplicates.length) {
    return {
      ok: false,
      status: 422,
      detail: 'Record ids must be unique within a request so each answer can be matched to its record.',
      errors: duplicates,
    };
  }
  return { ok: true, value: parsed.data };
}
