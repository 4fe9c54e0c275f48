/**
 * Creation times for generated records: spread over the span before the reference time, in key
 * order (record 1 is the oldest, as vendor ids are), at whole seconds, with deliberate ties. Ties
 * matter: a connector whose cursor is only a timestamp loses or repeats records at a page boundary,
 * and the compound (timestamp, id) cursor must be exercised by real data.
 */
import type { DemoRandom } from './demo-random';

export const DEMO_REFERENCE_TIME = '2026-01-01T00:00:00.000Z';
export const DEMO_SPAN_DAYS = 730;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Share of records created in the same second as the previous one. */
const TIE_SHARE = 0.04;

export function parseReferenceTime(referenceTime: string | undefined): number {
  const value = referenceTime ?? DEMO_REFERENCE_TIME;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new RangeError(
      `generateDemoData: options.referenceTime must be an ISO date-time such as ${DEMO_REFERENCE_TIME}, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** Returns `count` non-decreasing epoch-ms creation times ending at or before `referenceMs`. */
export function creationTimes(count: number, referenceMs: number, random: DemoRandom): Float64Array {
  const times = new Float64Array(count);
  const start = referenceMs - DEMO_SPAN_DAYS * DAY_MS;
  const slot = (DEMO_SPAN_DAYS * DAY_MS) / Math.max(count, 1);
  let previous = start;
  for (let i = 0; i < count; i++) {
    let t = i > 0 && random.chance(TIE_SHARE) ? previous : Math.floor((start + (i + random.next()) * slot) / 1000) * 1000;
    if (t < previous) t = previous;
    times[i] = t;
    previous = t;
  }
  return times;
}

/** A later change time, capped at the reference; rounded to the hour for a share of records (nightly jobs write many records at once). */
export function changeTime(createdMs: number, delayMs: number, referenceMs: number, random: DemoRandom): number {
  let t = Math.min(createdMs + delayMs, referenceMs);
  if (random.chance(0.1)) t = Math.min(Math.ceil(t / HOUR_MS) * HOUR_MS, referenceMs);
  return Math.max(Math.floor(t / 1000) * 1000, createdMs);
}

const SECONDS_PER_DAY = 86_400;
/** Filled on demand: a small data set formats only the seconds it uses. */
const timeOfDay = new Array<string | undefined>(SECONDS_PER_DAY);
const dayPrefixes = new Map<number, string>();

/**
 * `new Date(ms).toISOString()` for whole-second times, from a cached day prefix and a cached time of
 * day: several times faster and without a Date per call, which adds up over a million records.
 */
export function isoSeconds(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const second = seconds - day * SECONDS_PER_DAY;
  let time = timeOfDay[second];
  if (time === undefined) {
    time = new Date(second * 1000).toISOString().slice(11);
    timeOfDay[second] = time;
  }
  return prefix + time;
}
