/**
 * Validates admin API input with zod and answers bad input with RFC 9457 problem+json: one entry per
 * problem with the JSON pointer of the field, what was wrong and what is expected. Nothing is changed
 * when validation fails, because handlers only run with the parsed value.
 */
import { HttpException } from '@nestjs/common';
import { z } from 'zod';
import { problem, type FieldProblem } from '../../problem/problem-details';

export function toPointer(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  return `${prefix}/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

export function validationProblem(errors: FieldProblem[], detail = 'The request is not valid; see errors for each field.'): HttpException {
  return new HttpException(problem(400, detail, { type: 'https://fieldcast.dev/problems/validation', errors }), 400);
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw validationProblem(result.error.issues.map((issue) => ({ pointer: toPointer(issue.path, prefix), detail: issue.message })));
}

/** JSON schema of a zod schema for the OpenAPI document (so the docs and the validation never disagree). */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete json['$schema'];
  return json;
}
