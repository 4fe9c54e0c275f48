/**
 * Ready-made column mappings for the datasets copied into data/ (see data/README.md for sources and
 * licences), so a sandbox can be seeded with real text in one call.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CsvImportError, importDemoLeadsCsvFile, importDemoTicketsCsvFile, type CsvImportOptions } from './csv-import';
import type { DemoDataSet, DemoLead, DemoTicket } from './demo-data.types';

type Preset =
  | { kind: 'tickets'; file: string; options: CsvImportOptions<DemoTicket>; about: string }
  | { kind: 'leads'; file: string; options: CsvImportOptions<DemoLead>; about: string };

export const DATA_PRESETS = {
  'it-service-tickets': {
    kind: 'tickets',
    file: 'it_service_ticket_classification/all_tickets_processed_improved_v3.csv',
    options: { mapping: { description: 'Document', category: 'Topic_group' }, keyPrefix: 'it-ticket' },
    about: '47,837 IT service tickets (lower-cased, stop words removed), 8 topic groups; CC0',
  },
  'bitext-support-intents': {
    kind: 'tickets',
    file: 'bitext_customer_support_intents/Bitext_Sample_Customer_Support_Training_Dataset_4514.csv',
    options: { mapping: { description: 'instruction', category: 'category', tags: 'intent' }, keyPrefix: 'bitext-ticket' },
    about: '4,514 customer-support requests, 11 categories (27 intents as tags); CDLA-Sharing-1.0',
  },
  'uci-bank-marketing': {
    kind: 'leads',
    file: 'uci_bank_marketing/bank-additional-full.csv',
    // Approximate: job stands in for the title, the contact channel for the source, contacts during
    // the campaign for engagement. `duration` is left out on purpose: it leaks the label.
    options: {
      mapping: { title: 'job', source: 'contact', converted: 'y', websiteVisits: 'campaign', emailOpens: 'previous' },
      defaults: { industry: 'Financial Services', country: 'Portugal' },
      keyPrefix: 'bank-lead',
    },
    about: '41,188 bank telemarketing contacts, converted = subscribed (11.3 %); CC BY 4.0',
  },
} satisfies Record<string, Preset>;

export type DataPresetName = keyof typeof DATA_PRESETS;

/** The repository's data/ folder: found by walking up from this file (works from src/ and from dist/). */
export function findDataDir(start = __dirname): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'data', 'README.md')) && existsSync(join(dir, 'package.json'))) return join(dir, 'data');
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Loads a preset as a data set (its records of one kind; the other kind empty). */
export function loadDataPreset(name: string, options: { limit?: number; dataDir?: string } = {}): DemoDataSet {
  const preset = (DATA_PRESETS as Record<string, Preset>)[name];
  if (!preset) throw new CsvImportError(`unknown data preset "${name}"; known presets: ${Object.keys(DATA_PRESETS).join(', ')}.`);
  const dataDir = options.dataDir ?? findDataDir();
  if (!dataDir) throw new CsvImportError(`data preset "${name}": cannot find the repository's data/ folder; pass dataDir.`);
  const path = join(dataDir, preset.file);
  if (preset.kind === 'tickets') return { leads: [], tickets: importDemoTicketsCsvFile(path, { ...preset.options, limit: options.limit }) };
  return { leads: importDemoLeadsCsvFile(path, { ...preset.options, limit: options.limit }), tickets: [] };
}
