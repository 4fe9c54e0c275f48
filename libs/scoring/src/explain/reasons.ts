// Human-readable, signed reasons ("+ Lead source = Webinar", "− No Last activity") built from a
// field's contribution and the record's raw value. U+2212 for minus, as in the product copy.
import type { FieldSpec } from '../scoring.types';
import { toBoolean, toCategory, toNumber, toRecencyDays } from '../features/field-values';

export function signOf(contribution: number): '+' | '-' {
  return contribution >= 0 ? '+' : '-';
}

export function signGlyph(contribution: number): string {
  return contribution >= 0 ? '+' : '\u2212';
}

function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

/** Display value and reason text (without sign) for a tabular field on one record. */
export function describeField(
  spec: FieldSpec,
  raw: unknown,
  asOfMs: number,
  knownLevel: (value: string) => boolean,
): { value: string; text: string } {
  const label = spec.label ?? spec.name;
  switch (spec.type) {
    case 'numeric': {
      const x = toNumber(raw, spec);
      return x === undefined
        ? { value: 'missing', text: `${label} missing` }
        : { value: formatNumber(x), text: `${label} = ${formatNumber(x)}` };
    }
    case 'date': {
      const days = toRecencyDays(raw, spec, asOfMs);
      if (days === undefined) return { value: 'missing', text: `No ${label}` };
      const rounded = Math.round(days);
      return { value: `${rounded} days ago`, text: `${label} ${rounded} days ago` };
    }
    case 'boolean': {
      const b = toBoolean(raw, spec);
      return b === undefined
        ? { value: 'missing', text: `${label} missing` }
        : { value: b ? 'yes' : 'no', text: `${label} = ${b ? 'yes' : 'no'}` };
    }
    case 'categorical': {
      const v = toCategory(raw, spec);
      if (v === undefined) return { value: 'missing', text: `${label} missing` };
      return { value: v, text: knownLevel(v) ? `${label} = ${v}` : `${label} = ${v} (rare value)` };
    }
    case 'text':
      return { value: '', text: label };
  }
}
