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

const formatted = new Map<number, string>();

function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  // toPrecision + Number + String is the slowest step of a lead's reasons; field values repeat a
  // lot, so remember the last few thousand (bounded: cleared when full).
  let text = formatted.get(x);
  if (text === undefined) {
    text = String(Number(x.toPrecision(4)));
    if (formatted.size >= 4096) formatted.clear();
    formatted.set(x, text);
  }
  return text;
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
