// Transparent weighted rules: the cold-start prior for lead score and escalation risk. The score is
// σ(intercept + Σ weights of matching rules), so every point of it is explained by a listed rule.
import { createHash } from 'node:crypto';
import type { RuleCondition, RulesArtifact, WeightedRule } from '../artifact/artifact.types';
import { toCategory, toNumber, toRecencyDays, toText } from '../features/field-values';
import type { FieldSpec } from '../scoring.types';

export function rulesSchemaHash(fields: FieldSpec[]): string {
  return createHash('sha256').update(JSON.stringify({ fields })).digest('hex');
}

function matches(condition: RuleCondition, spec: FieldSpec, raw: unknown, asOfMs: number): boolean {
  switch (condition.op) {
    case 'missing':
      return toCategory(raw, spec) === undefined && toText(raw, spec) === undefined;
    case 'present':
      return toCategory(raw, spec) !== undefined || toText(raw, spec) !== undefined;
    case 'equals': {
      if (typeof condition.value === 'number') return toNumber(raw, spec) === condition.value;
      if (typeof condition.value === 'boolean')
        return raw === condition.value || toCategory(raw, spec)?.toLowerCase() === String(condition.value);
      return toCategory(raw, spec)?.toLowerCase() === condition.value.toLowerCase();
    }
    case 'in': {
      const v = toCategory(raw, spec)?.toLowerCase();
      return v !== undefined && condition.values.some((candidate) => String(candidate).toLowerCase() === v);
    }
    case 'gte':
    case 'lte': {
      const x = toNumber(raw, spec);
      return x !== undefined && (condition.op === 'gte' ? x >= condition.value : x <= condition.value);
    }
    case 'olderThanDays':
    case 'withinDays': {
      const days = toRecencyDays(raw, spec, asOfMs);
      // A missing date counts as "older than": no activity at all is the stalest record there is.
      if (days === undefined) return condition.op === 'olderThanDays';
      return condition.op === 'olderThanDays' ? days > condition.days : days <= condition.days;
    }
    case 'containsAny': {
      const text = toText(raw, spec)?.toLowerCase();
      return text !== undefined && condition.terms.some((term) => text.includes(term.toLowerCase()));
    }
  }
}

export function evaluateRules(
  artifact: RulesArtifact,
  fields: Record<string, unknown>,
  asOfMs: number,
): { logit: number; matched: WeightedRule[] } {
  const specs = new Map(artifact.featureSchema.fields.map((spec) => [spec.name, spec]));
  let logit = artifact.rules.intercept;
  const matched: WeightedRule[] = [];
  for (const rule of artifact.rules.items) {
    const spec = specs.get(rule.field) ?? { name: rule.field, type: 'categorical' as const };
    if (matches(rule.when, spec, fields[rule.field], asOfMs)) {
      logit += rule.weight;
      matched.push(rule);
    }
  }
  return { logit, matched };
}
