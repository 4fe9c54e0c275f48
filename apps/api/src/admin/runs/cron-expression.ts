/**
 * Validation of 5-field cron expressions (minute hour day-of-month month day-of-week), the syntax
 * the worker's scheduler accepts: numbers, ranges, lists, steps and `*`. Names (MON, JAN) are
 * accepted for month and weekday. Returns a problem in words, or null.
 */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}: e.g. "*/15 * * * *"`;
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i]!;
    for (const item of part.split(',')) {
      const [range, step] = item.split('/');
      if (step !== undefined && !/^\d+$/.test(step)) return `${field.name}: step "${step}" is not a whole number`;
      if (step !== undefined && Number(step) < 1) return `${field.name}: step must be 1 or more`;
      if (range === '*') continue;
      const bounds = (range ?? '').split('-');
      if (bounds.length > 2) return `${field.name}: "${range}" is not a number or range`;
      const values = bounds.map((b) => {
        const named = field.names?.indexOf(b.toUpperCase()) ?? -1;
        if (named >= 0) return named + (field.name === 'month' ? 1 : 0);
        return /^\d+$/.test(b) ? Number(b) : NaN;
      });
      for (const v of values) {
        if (Number.isNaN(v)) return `${field.name}: "${range}" is not a number, range or *`;
        if (v < field.min || v > field.max) return `${field.name}: ${v} is outside ${field.min}-${field.max}`;
      }
      if (values.length === 2 && values[0]! > values[1]!) return `${field.name}: range "${range}" goes backwards`;
    }
  }
  return null;
}
