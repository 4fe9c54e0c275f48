import type { LabeledRecord } from '../scoring.types';

const POSITIVE_WORDS = new Set(['1', 'true', 'yes', 'y', 'converted', 'won', 'escalated']);

/** Binary label → 0/1. With `positiveLabel` only that value is positive; otherwise common truthy spellings. */
export function toBinaryLabel(label: LabeledRecord['label'], positiveLabel?: LabeledRecord['label']): 0 | 1 {
  if (positiveLabel !== undefined) return String(label) === String(positiveLabel) ? 1 : 0;
  if (typeof label === 'boolean') return label ? 1 : 0;
  if (typeof label === 'number') return label > 0 ? 1 : 0;
  return POSITIVE_WORDS.has(label.trim().toLowerCase()) ? 1 : 0;
}

/** Category labels → indices into a sorted class list (sorted so class order is reproducible). */
export function indexCategories(labels: readonly LabeledRecord['label'][]): { classes: string[]; y: Int32Array } {
  const classes = [...new Set(labels.map(String))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return { classes, y: Int32Array.from(labels, (label) => index.get(String(label)) as number) };
}
