/**
 * The demo data set every sandbox is seeded with: deterministic (same options, same records), fast
 * enough for a million records, with learnable signal for the scoring module (see the lead and
 * ticket generators for the models behind the labels).
 */
import type { DemoDataOptions, DemoDataSet } from './demo-data.types';
import { generateDemoLeads } from './demo-lead.generator';
import { generateDemoTickets } from './demo-ticket.generator';
import { parseReferenceTime } from './demo-timeline';

export { DEMO_REFERENCE_TIME } from './demo-timeline';

/** The most records of one kind a data set may have (the sandboxes are sized and benchmarked for it). */
export const MAX_DEMO_RECORDS = 1_000_000;

/** The set `npm run sandbox` starts with. */
export const DEFAULT_DEMO_DATA_OPTIONS: DemoDataOptions = { leads: 3000, tickets: 3000, seed: 42 };

function checkCount(name: 'leads' | 'tickets', value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DEMO_RECORDS) {
    throw new RangeError(
      `generateDemoData: options.${name} must be a whole number from 0 to ${MAX_DEMO_RECORDS}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function generateDemoData(options: DemoDataOptions): DemoDataSet {
  const leads = checkCount('leads', options.leads);
  const tickets = checkCount('tickets', options.tickets);
  if (typeof options.seed !== 'number' || !Number.isInteger(options.seed)) {
    throw new RangeError(`generateDemoData: options.seed must be an integer (for example 42), got ${JSON.stringify(options.seed)}`);
  }
  const referenceMs = parseReferenceTime(options.referenceTime);
  // Separate streams per kind: changing the number of tickets must not change the leads.
  return {
    leads: generateDemoLeads(leads, options.seed, referenceMs),
    tickets: generateDemoTickets(tickets, options.seed ^ 0x5bd1e995, referenceMs),
  };
}
