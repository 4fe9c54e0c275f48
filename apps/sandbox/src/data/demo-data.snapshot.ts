/**
 * Saves and loads a data set as a JSON Lines snapshot: a header line, then one record per line. One
 * line per record (not one JSON document) because a million tickets are more text than V8 allows in
 * a single string; lines are written and parsed one at a time.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DemoDataSet, DemoLead, DemoTicket } from './demo-data.types';

const FORMAT = 'fieldcast-demo-data';
const VERSION = 1;

interface SnapshotHeader {
  format: string;
  version: number;
  savedAt: string;
  leads: number;
  tickets: number;
}

export class DemoDataSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoDataSnapshotError';
  }
}

/** Writes to a temporary file first, so an interrupted save never leaves a truncated snapshot behind. */
export function saveDemoDataSnapshot(path: string, data: DemoDataSet): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    const header: SnapshotHeader = {
      format: FORMAT,
      version: VERSION,
      savedAt: new Date().toISOString(),
      leads: data.leads.length,
      tickets: data.tickets.length,
    };
    let chunk = `${JSON.stringify(header)}\n`;
    for (const records of [data.leads, data.tickets] as const) {
      for (const record of records) {
        chunk += `${JSON.stringify(record)}\n`;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

const LEAD_REQUIRED: Array<keyof DemoLead> = ['key', 'email', 'createdAt', 'converted'];
const TICKET_REQUIRED: Array<keyof DemoTicket> = ['key', 'subject', 'createdAt', 'updatedAt', 'escalated', 'tags'];

export function loadDemoDataSnapshot(path: string): DemoDataSet {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    throw new DemoDataSnapshotError(
      `cannot read the snapshot ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const fix = `Delete ${path} to regenerate it, or point the snapshot option at another file.`;
  let offset = 0;
  let lineNumber = 0;
  const nextLine = (): string | undefined => {
    if (offset >= buffer.length) return undefined;
    let end = buffer.indexOf(10, offset);
    if (end === -1) end = buffer.length;
    const line = buffer.toString('utf8', offset, end);
    offset = end + 1;
    lineNumber += 1;
    return line;
  };
  const parseLine = (line: string | undefined, what: string): Record<string, unknown> => {
    if (line === undefined)
      throw new DemoDataSnapshotError(`snapshot ${path} ends early: expected ${what} on line ${lineNumber + 1}. ${fix}`);
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // reported below with the line number
    }
    throw new DemoDataSnapshotError(`snapshot ${path}, line ${lineNumber}: expected ${what} as a JSON object. ${fix}`);
  };
  const header = parseLine(nextLine(), 'the header') as unknown as SnapshotHeader;
  if (header.format !== FORMAT || header.version !== VERSION || !Number.isInteger(header.leads) || !Number.isInteger(header.tickets)) {
    throw new DemoDataSnapshotError(`${path} is not a ${FORMAT} v${VERSION} snapshot (its first line is not the expected header). ${fix}`);
  }
  const read = <T>(count: number, what: string, required: string[]): T[] => {
    const records = new Array<T>(count);
    for (let i = 0; i < count; i++) {
      const record = parseLine(nextLine(), what);
      const missing = required.filter((field) => !(field in record));
      if (missing.length)
        throw new DemoDataSnapshotError(`snapshot ${path}, line ${lineNumber}: ${what} lacks ${missing.join(', ')}. ${fix}`);
      records[i] = record as T;
    }
    return records;
  };
  const leads = read<DemoLead>(header.leads, 'a lead', LEAD_REQUIRED);
  const tickets = read<DemoTicket>(header.tickets, 'a ticket', TICKET_REQUIRED);
  return { leads, tickets };
}
