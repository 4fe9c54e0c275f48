/**
 * Per-connection training sees whatever fields a customer's CRM has. This infers a typed feature
 * schema from the synced records: numbers, booleans, dates (→ recency), free text and categories,
 * leaving out ids, system stamps, Fieldcast's own fields and anything that leaks the label.
 */
import type { FieldSpec } from '@fieldcast/scoring';

const SYSTEM_FIELD =
  /(^id$|_id$|Id$|^hs_object_id$|modstamp|modified|lastmodified|createddate$|^createdate$|^updated_at$|^created_at$|^url$|email|phone|^name$|firstname|lastname)/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function inferFieldSpecs(
  rows: ReadonlyArray<Record<string, unknown>>,
  options: { exclude: ReadonlySet<string>; keep?: ReadonlySet<string> },
): FieldSpec[] {
  const names = new Set<string>();
  for (const row of rows.slice(0, 2000)) for (const key of Object.keys(row)) names.add(key);
  const specs: FieldSpec[] = [];
  for (const name of [...names].sort()) {
    if (options.exclude.has(name)) continue;
    if (SYSTEM_FIELD.test(name) && !options.keep?.has(name)) continue;
    const values = rows
      .slice(0, 2000)
      .map((r) => r[name])
      .filter((v) => v !== null && v !== undefined && v !== '');
    if (values.length < Math.max(10, rows.length * 0.05)) continue; // almost always empty: no signal
    const type = inferType(values);
    if (!type) continue;
    specs.push({ name, type, label: humanLabel(name) });
  }
  return specs;
}

function inferType(values: unknown[]): FieldSpec['type'] | undefined {
  const asText = values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  if (values.every((v) => typeof v === 'boolean' || v === 'true' || v === 'false')) return 'boolean';
  if (asText.every((t) => t.trim() !== '' && Number.isFinite(Number(t)))) return 'numeric';
  if (asText.every((t) => DATE.test(t))) return 'date';
  const distinct = new Set(asText).size;
  const meanLength = asText.reduce((n, t) => n + t.length, 0) / asText.length;
  if (meanLength > 40) return 'text';
  if (distinct <= Math.max(50, values.length * 0.2)) return 'categorical';
  // Many distinct short strings (names, ids): no generalisable signal.
  return undefined;
}

function humanLabel(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase());
}
