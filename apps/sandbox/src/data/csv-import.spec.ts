import { join } from 'node:path';
import { CsvImportError, importDemoLeadsCsv, importDemoLeadsCsvFile, importDemoTicketsCsvFile } from './csv-import';
import { DATA_PRESETS, findDataDir, loadDataPreset } from './csv-import.presets';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

function errorOf(run: () => unknown): CsvImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvImportError) return error;
    throw error;
  }
  throw new Error('expected a CsvImportError');
}

describe('CSV import', () => {
  it('maps columns onto leads, converts values and fills the unmapped fields', () => {
    const leads = importDemoLeadsCsvFile(fixture('leads.csv'), {
      mapping: {
        key: 'id',
        firstName: 'first',
        lastName: 'last',
        email: 'mail',
        company: 'org',
        title: 'job',
        employees: 'employees',
        source: 'lead_source',
        createdAt: 'signed_up',
        converted: 'won',
      },
      defaults: { employees: 1, country: 'United Kingdom' },
    });
    expect(leads).toHaveLength(3);
    expect(leads[0]).toMatchObject({
      key: 'L-1',
      firstName: 'Ada',
      company: 'Analytical Engines',
      employees: 120,
      source: 'Referral',
      createdAt: '2025-03-14T09:30:00.000Z',
      updatedAt: '2025-03-14T09:30:00.000Z',
      converted: true,
      lifecycleStage: 'customer',
      leadStatus: 'Closed - Converted',
      country: 'United Kingdom',
      websiteVisits: 0,
    });
    // An empty cell takes the default; quoted commas stay inside the value.
    expect(leads[1]).toMatchObject({ employees: 1, converted: false, lifecycleStage: 'lead', createdAt: '2025-03-15T00:00:00.000Z' });
    expect(leads[2]).toMatchObject({ company: 'Navy, Inc.', converted: true });
  });

  it('reads a semicolon file with a BOM and multi-line cells as tickets, deriving subject and order', () => {
    const tickets = importDemoTicketsCsvFile(fixture('tickets-semicolon.csv'), {
      mapping: { description: 'Document', category: 'Topic', priority: 'Priority', createdAt: 'Opened' },
      defaults: { priority: 'normal' },
      keyPrefix: 'it',
    });
    expect(tickets.map((t) => t.key)).toEqual(['it-000001', 'it-000002', 'it-000003']);
    expect(tickets[0]).toMatchObject({
      description: 'printer on floor 3 jams; every morning',
      category: 'Hardware',
      priority: 'high',
      initialPriority: 'high',
    });
    expect(tickets[1]).toMatchObject({
      description: 'cannot log in\nsince the password reset',
      priority: 'normal',
      tags: [],
      escalated: false,
    });
    expect(tickets[2]?.subject).toBe('need a new laptop for the intern starting…');
    expect(tickets[0]?.subject).toBe('printer on floor 3 jams; every morning');
  });

  it('spreads rows without a date over two years in row order and honours limit', () => {
    const tickets = importDemoTicketsCsvFile(fixture('tickets-semicolon.csv'), {
      mapping: { description: 'Document' },
      referenceTime: '2026-01-01T00:00:00Z',
      limit: 2,
    });
    expect(tickets).toHaveLength(2);
    expect(tickets[0]!.createdAt < tickets[1]!.createdAt).toBe(true);
    expect(tickets[1]!.createdAt < '2026-01-01T00:00:00.000Z').toBe(true);
    expect(tickets[0]!.category).toBeNull();
  });

  it('names the missing column, the columns found and the fix', () => {
    const error = errorOf(() =>
      importDemoTicketsCsvFile(fixture('tickets-semicolon.csv'), { mapping: { description: 'Document', category: 'Topic_group' } }),
    );
    expect(error.message).toBe(
      'CSV import of tickets-semicolon.csv: column "Topic_group" (mapped to category) is not in the file. Columns found: Document, Topic, Priority, Opened. Fix the mapping or the header line.',
    );
    expect(error.column).toBe('Topic_group');
  });

  it('names the row, line, column and bad value', () => {
    const error = errorOf(() =>
      importDemoLeadsCsvFile(fixture('leads-bad-number.csv'), { mapping: { key: 'id', employees: 'employees', converted: 'won' } }),
    );
    expect(error.message).toBe(
      'CSV import of leads-bad-number.csv: row 3 (line 4), column "employees" → employees: expected a number, got "lots".',
    );
    expect(error.row).toBe(3);
    expect(error.column).toBe('employees');
    const bool = errorOf(() => importDemoLeadsCsv('won\nmaybe\n', { mapping: { converted: 'won' } }));
    expect(bool.message).toBe('CSV import: row 1 (line 2), column "won" → converted: expected yes/no, true/false or 1/0, got "maybe".');
    const date = errorOf(() => importDemoLeadsCsv('when\nlast tuesday\n', { mapping: { createdAt: 'when' } }));
    expect(date.message).toMatch(
      /row 1 \(line 2\), column "when" → createdAt: expected a date such as 2025-03-14T09:30:00Z, got "last tuesday"/,
    );
  });

  it('rejects unknown fields, repeated keys, ragged rows, empty files and unreadable paths', () => {
    expect(errorOf(() => importDemoLeadsCsv('a\n1\n', { mapping: { emial: 'a' } as never })).message).toMatch(
      /mapping names "emial", which is not a DemoLead field\. Known fields: key, firstName, lastName, email/,
    );
    expect(
      errorOf(() => importDemoTicketsCsvFile(fixture('tickets-duplicate-keys.csv'), { mapping: { key: 'ref', description: 'text' } }))
        .message,
    ).toBe('CSV import of tickets-duplicate-keys.csv: row 3 (line 4) repeats key "T-1" of row 1; keys must be unique.');
    expect(errorOf(() => importDemoLeadsCsv('a,b\n1,2\n3\n', { mapping: { company: 'a' } })).message).toMatch(
      /^CSV import: not a readable CSV file: .*line 3/,
    );
    expect(errorOf(() => importDemoLeadsCsv('', { mapping: {} })).message).toBe(
      'CSV import: the file is empty; expected a header line with column names.',
    );
    expect(errorOf(() => importDemoLeadsCsvFile('/nonexistent/leads.csv', { mapping: {} })).message).toBe(
      'CSV import: cannot read /nonexistent/leads.csv: ENOENT. Check the path.',
    );
    expect(errorOf(() => importDemoLeadsCsv('a\n1\n', { mapping: {}, limit: -1 })).message).toMatch(
      /limit must be a whole number >= 0, got -1/,
    );
  });
});

describe('data presets (the datasets copied into data/)', () => {
  const dataDir = findDataDir();

  it('finds data/ and loads the first rows of every preset with its real header', () => {
    expect(dataDir).toBeDefined();
    for (const name of Object.keys(DATA_PRESETS)) {
      const data = loadDataPreset(name, { limit: 50 });
      const records = [...data.leads, ...data.tickets];
      expect(records).toHaveLength(50);
    }
    const it = loadDataPreset('it-service-tickets', { limit: 50 }).tickets;
    expect(new Set(it.map((t) => t.category)).size).toBeGreaterThan(2);
    expect(it[0]?.description.length).toBeGreaterThan(10);
    const bank = loadDataPreset('uci-bank-marketing', { limit: 50 }).leads;
    expect(bank[0]).toMatchObject({
      key: 'bank-lead-000001',
      title: 'housemaid',
      source: 'telephone',
      converted: false,
      country: 'Portugal',
    });
    expect(errorOf(() => loadDataPreset('olist')).message).toBe(
      'unknown data preset "olist"; known presets: it-service-tickets, bitext-support-intents, uci-bank-marketing.',
    );
  });
});
