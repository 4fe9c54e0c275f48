// Coercion of raw vendor values into typed feature values. Connectors hand us strings as often as
// numbers ("12", "2024-05-01T10:00:00Z", "Yes"), so every type accepts the common spellings and
// anything unusable becomes an explicit missing value instead of a NaN that would poison a dot product.
import type { FieldSpec } from '../scoring.types';

const DAY_MS = 86_400_000;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off', 'f']);

function isBlank(raw: unknown, spec: FieldSpec): boolean {
  if (raw === null || raw === undefined) return true;
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    return trimmed === '' || (spec.missingTokens?.includes(trimmed) ?? false);
  }
  return false;
}

export function toNumber(raw: unknown, spec: FieldSpec): number | undefined {
  if (isBlank(raw, spec)) return undefined;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string') {
    // Number() ignores the same surrounding white space trim() removes; the thousands-separator
    // regex only runs when there is a comma (it was a tenth of lead scoring time).
    const parsed = Number(raw.includes(',') ? raw.replace(/,/g, '') : raw);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function toBoolean(raw: unknown, spec: FieldSpec): boolean | undefined {
  if (isBlank(raw, spec)) return undefined;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw !== 0;
  if (typeof raw === 'string') {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  return undefined;
}

export function toCategory(raw: unknown, spec: FieldSpec): string | undefined {
  if (isBlank(raw, spec)) return undefined;
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return undefined;
}

export function toText(raw: unknown, spec: FieldSpec): string | undefined {
  if (isBlank(raw, spec)) return undefined;
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) {
    const joined = raw.filter((part): part is string => typeof part === 'string').join(' ');
    return joined.trim() === '' ? undefined : joined;
  }
  return undefined;
}

export function toEpochMs(raw: unknown, spec: FieldSpec): number | undefined {
  if (isBlank(raw, spec)) return undefined;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.getTime();
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string') {
    const parsed = Date.parse(raw.trim());
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** Days between the date and `asOfMs` (positive = in the past): what "recency" means for a model. */
export function toRecencyDays(raw: unknown, spec: FieldSpec, asOfMs: number): number | undefined {
  const ms = toEpochMs(raw, spec);
  return ms === undefined ? undefined : (asOfMs - ms) / DAY_MS;
}
