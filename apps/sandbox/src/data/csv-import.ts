/**
 * Loads a CSV file (a real dataset such as those in data/) as demo leads or tickets, so a sandbox can
 * serve real records. A column mapping says which CSV column feeds which DemoLead / DemoTicket field;
 * fields without a column get a neutral default. Any problem (unknown field, missing column, a value
 * that is not a number, ...) throws a CsvImportError naming the row, the column and how to fix it,
 * and nothing is returned: a half-imported file would look like data and mislead training.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DemoLead, DemoTicket } from './demo-data.types';
import { DAY_MS, DEMO_SPAN_DAYS, parseReferenceTime } from './demo-timeline';

type FieldKind = 'string' | 'number' | 'boolean' | 'date' | 'nullable' | 'list';

const LEAD_FIELDS: Record<keyof DemoLead, FieldKind> = {
  key: 'string',
  firstName: 'string',
  lastName: 'string',
  email: 'string',
  company: 'string',
  title: 'string',
  industry: 'string',
  source: 'string',
  country: 'string',
  employees: 'number',
  annualRevenue: 'number',
  websiteVisits: 'number',
  emailOpens: 'number',
  daysSinceLastActivity: 'number',
  createdAt: 'date',
  converted: 'boolean',
  lifecycleStage: 'string',
  updatedAt: 'date',
  leadStatus: 'string',
  phone: 'string',
};

const TICKET_FIELDS: Record<keyof DemoTicket, FieldKind> = {
  key: 'string',
  subject: 'string',
  description: 'string',
  requesterName: 'string',
  requesterEmail: 'string',
  customerTier: 'string',
  category: 'nullable',
  initialPriority: 'string',
  priority: 'string',
  status: 'string',
  channel: 'string',
  hoursToFirstReply: 'number',
  escalated: 'boolean',
  tags: 'list',
  createdAt: 'date',
  updatedAt: 'date',
  organization: 'string',
};

export interface CsvImportOptions<T> {
  /** Record field → CSV column header, e.g. `{ description: 'Document', category: 'Topic_group' }`. */
  mapping: { [K in keyof T]?: string };
  /** Values for fields with no column, or for empty cells of a mapped column. */
  defaults?: Partial<T>;
  /** Column separator; detected from the header line (`,`, `;` or tab) when omitted. */
  delimiter?: string;
  /** Read at most this many data rows. */
  limit?: number;
  /** Prefix for generated keys (`lead-000001`); default `lead` / `ticket`. */
  keyPrefix?: string;
  /** Rows without a created-at column are spread evenly over the two years before this time (ISO). */
  referenceTime?: string;
  /** Name used in error messages (the file name when loading a file). */
  sourceName?: string;
}

export class CsvImportError extends Error {
  constructor(
    message: string,
    /** 1-based data row (the header is row 0), when the problem is in a row. */
    readonly row?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'CsvImportError';
  }
}

type Raw = Record<string, unknown>;

const TRUE_VALUES = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE_VALUES = new Set(['false', 'no', 'n', '0', 'f']);

function detectDelimiter(text: string): string {
  const header = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

function parseRows(
  text: string,
  options: CsvImportOptions<unknown>,
  where: string,
): { header: string[]; rows: string[][]; lines: number[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter: options.delimiter ?? detectDelimiter(text),
      info: true,
      skip_empty_lines: true,
      to: options.limit === undefined ? undefined : options.limit + 1,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    throw new CsvImportError(`${where}: not a readable CSV file: ${(error as Error).message}. Check the delimiter option and the quoting.`);
  }
  if (records.length === 0) throw new CsvImportError(`${where}: the file is empty; expected a header line with column names.`);
  const [first, ...rest] = records;
  return { header: first!.record.map((h) => h.trim()), rows: rest.map((r) => r.record), lines: rest.map((r) => r.info.lines) };
}

function convert(kind: FieldKind, cell: string, describe: () => string): unknown {
  const value = cell.trim();
  switch (kind) {
    case 'string':
      return cell;
    case 'nullable':
      return value === '' ? null : value;
    case 'list':
      return value === '' ? [] : value.split(/\s*[,;|]\s*/).filter(Boolean);
    case 'number': {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n)) throw new CsvImportError(`${describe()}: expected a number, got ${JSON.stringify(cell)}.`);
      return n;
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (TRUE_VALUES.has(lower)) return true;
      if (FALSE_VALUES.has(lower)) return false;
      throw new CsvImportError(`${describe()}: expected yes/no, true/false or 1/0, got ${JSON.stringify(cell)}.`);
    }
    case 'date': {
      const ms = Date.parse(value);
      if (!Number.isFinite(ms))
        throw new CsvImportError(`${describe()}: expected a date such as 2025-03-14T09:30:00Z, got ${JSON.stringify(cell)}.`);
      return new Date(ms).toISOString();
    }
  }
}

/**
 * Maps the rows onto records of one kind. `complete` fills the fields that have neither a column nor
 * a default, given the row's mapped values and its index.
 */
function importRows<T extends { key: string }>(
  text: string,
  fields: Record<string, FieldKind>,
  kind: 'DemoLead' | 'DemoTicket',
  options: CsvImportOptions<T>,
  complete: (raw: Raw, index: number, count: number) => T,
): T[] {
  const where = options.sourceName ? `CSV import of ${options.sourceName}` : 'CSV import';
  const mapping = Object.entries(options.mapping ?? {}) as Array<[string, string]>;
  const unknown = mapping.filter(([field]) => !(field in fields)).map(([field]) => field);
  if (unknown.length) {
    throw new CsvImportError(
      `${where}: mapping names ${unknown.map((f) => `"${f}"`).join(', ')}, which is not a ${kind} field. Known fields: ${Object.keys(fields).join(', ')}.`,
    );
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
    throw new CsvImportError(`${where}: limit must be a whole number >= 0, got ${JSON.stringify(options.limit)}.`);
  }
  const { header, rows, lines } = parseRows(text, options as CsvImportOptions<unknown>, where);
  const columns = mapping.map(([field, column]) => {
    const index = header.indexOf(column);
    if (index === -1) {
      throw new CsvImportError(
        `${where}: column "${column}" (mapped to ${field}) is not in the file. Columns found: ${header.join(', ')}. Fix the mapping or the header line.`,
        undefined,
        column,
      );
    }
    return { field, column, index, kind: fields[field] as FieldKind };
  });
  const defaults = (options.defaults ?? {}) as Raw;
  const records: T[] = new Array<T>(rows.length);
  const seenKeys = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const raw: Raw = {};
    for (const c of columns) {
      const cell = row[c.index] ?? '';
      const describe = () => `${where}: row ${i + 1} (line ${lines[i]}), column "${c.column}" → ${c.field}`;
      try {
        raw[c.field] = cell.trim() === '' && c.field in defaults ? defaults[c.field] : convert(c.kind, cell, describe);
      } catch (error) {
        throw new CsvImportError((error as Error).message, i + 1, c.column);
      }
    }
    for (const [field, value] of Object.entries(defaults)) if (!(field in raw)) raw[field] = value;
    const record = complete(raw, i, rows.length);
    // Vendors index records by key: a repeated key would silently replace an earlier row.
    const earlier = seenKeys.get(record.key);
    if (earlier !== undefined) {
      throw new CsvImportError(
        `${where}: row ${i + 1} (line ${lines[i]}) repeats key "${record.key}" of row ${earlier}; keys must be unique.`,
        i + 1,
      );
    }
    seenKeys.set(record.key, i + 1);
    records[i] = record;
  }
  return records;
}

function keyFor(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(6, '0')}`;
}

/** Evenly spaced creation times in row order, ending at the reference time. */
function spreadCreatedAt(referenceMs: number, index: number, count: number): string {
  const step = (DEMO_SPAN_DAYS * DAY_MS) / Math.max(count, 1);
  return new Date(Math.floor((referenceMs - (count - index) * step) / 1000) * 1000).toISOString();
}

export function importDemoLeadsCsv(text: string | Buffer, options: CsvImportOptions<DemoLead>): DemoLead[] {
  const prefix = options.keyPrefix ?? 'lead';
  const referenceMs = parseReferenceTime(options.referenceTime);
  return importRows<DemoLead>(String(text), LEAD_FIELDS, 'DemoLead', options, (raw, i, count) => {
    const converted = (raw.converted as boolean | undefined) ?? false;
    const createdAt = (raw.createdAt as string | undefined) ?? spreadCreatedAt(referenceMs, i, count);
    return {
      key: (raw.key as string | undefined) || keyFor(prefix, i),
      firstName: (raw.firstName as string | undefined) ?? 'Imported',
      lastName: (raw.lastName as string | undefined) ?? `Lead ${i + 1}`,
      email: (raw.email as string | undefined) || `${prefix}${i + 1}@import.example`,
      company: (raw.company as string | undefined) ?? '',
      title: (raw.title as string | undefined) ?? '',
      industry: (raw.industry as string | undefined) ?? '',
      source: (raw.source as string | undefined) ?? '',
      country: (raw.country as string | undefined) ?? '',
      employees: (raw.employees as number | undefined) ?? 0,
      annualRevenue: (raw.annualRevenue as number | undefined) ?? 0,
      websiteVisits: (raw.websiteVisits as number | undefined) ?? 0,
      emailOpens: (raw.emailOpens as number | undefined) ?? 0,
      daysSinceLastActivity: (raw.daysSinceLastActivity as number | undefined) ?? 0,
      createdAt,
      converted,
      lifecycleStage: (raw.lifecycleStage as string | undefined) ?? (converted ? 'customer' : 'lead'),
      updatedAt: (raw.updatedAt as string | undefined) ?? createdAt,
      leadStatus: (raw.leadStatus as string | undefined) ?? (converted ? 'Closed - Converted' : 'Open - Not Contacted'),
      phone: (raw.phone as string | undefined) ?? '',
    };
  });
}

/** The first words of a text, for tickets that only have a body (many public datasets). */
function subjectFrom(description: string): string {
  const words = description.trim().split(/\s+/);
  return words.length <= 8 ? words.join(' ') : `${words.slice(0, 8).join(' ')}…`;
}

export function importDemoTicketsCsv(text: string | Buffer, options: CsvImportOptions<DemoTicket>): DemoTicket[] {
  const prefix = options.keyPrefix ?? 'ticket';
  const referenceMs = parseReferenceTime(options.referenceTime);
  return importRows<DemoTicket>(String(text), TICKET_FIELDS, 'DemoTicket', options, (raw, i, count) => {
    const description = (raw.description as string | undefined) ?? (raw.subject as string | undefined) ?? '';
    const createdAt = (raw.createdAt as string | undefined) ?? spreadCreatedAt(referenceMs, i, count);
    const priority = (raw.priority as string | undefined) ?? (raw.initialPriority as string | undefined) ?? 'normal';
    return {
      key: (raw.key as string | undefined) || keyFor(prefix, i),
      subject: (raw.subject as string | undefined) || subjectFrom(description),
      description,
      requesterName: (raw.requesterName as string | undefined) ?? `Requester ${i + 1}`,
      requesterEmail: (raw.requesterEmail as string | undefined) || `requester${i + 1}@import.example`,
      customerTier: (raw.customerTier as string | undefined) ?? 'standard',
      category: (raw.category as string | null | undefined) ?? null,
      initialPriority: (raw.initialPriority as string | undefined) ?? priority,
      priority,
      status: (raw.status as string | undefined) ?? 'solved',
      channel: (raw.channel as string | undefined) ?? 'email',
      hoursToFirstReply: (raw.hoursToFirstReply as number | undefined) ?? 0,
      escalated: (raw.escalated as boolean | undefined) ?? false,
      tags: (raw.tags as string[] | undefined) ?? [],
      createdAt,
      updatedAt: (raw.updatedAt as string | undefined) ?? createdAt,
      organization: (raw.organization as string | undefined) ?? '',
    };
  });
}

function readCsvFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CsvImportError(
      `CSV import: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path.`,
    );
  }
}

export function importDemoLeadsCsvFile(path: string, options: CsvImportOptions<DemoLead>): DemoLead[] {
  return importDemoLeadsCsv(readCsvFile(path), { sourceName: basename(path), ...options });
}

export function importDemoTicketsCsvFile(path: string, options: CsvImportOptions<DemoTicket>): DemoTicket[] {
  return importDemoTicketsCsv(readCsvFile(path), { sourceName: basename(path), ...options });
}
