// Loaders for the benchmark datasets in ../shared/data (read-only, never copied except the
// redistributable ones the data README allows). Each loader applies exactly the filtering, label
// and leaky-column rules of ../shared/reference/ml-baselines.md so our numbers and the sklearn /
// fastText ones are computed on the same rows.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FieldSpec, LabeledRecord, ScoringTask } from '@fieldcast/scoring';

export interface BenchDataset {
  name: string;
  task: ScoringTask;
  fields: FieldSpec[];
  rows: LabeledRecord[];
  /** Labels the 80/20 split is stratified on (may be finer than the training label). */
  stratify: string[];
  /** What the python side trains on: the concatenated text, or typed columns. */
  python:
    | { kind: 'text'; text: string[] }
    | { kind: 'tabular'; columns: Record<string, { type: 'num' | 'cat'; values: (string | number | null)[] }> };
  /** Which baselines python runs. */
  baselines: string[];
  /** sklearn LR C for the text baseline (the value ml-baselines.md's CV chose). */
  textC?: number;
}

export function findRepoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'libs', 'scoring')) || !existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${from}`);
    dir = parent;
  }
  return dir;
}

export function sharedDataDir(): string {
  return process.env.FIELDCAST_SHARED_DATA ?? path.resolve(findRepoRoot(), '..', 'shared', 'data');
}

function readCsv(file: string, delimiter = ','): Record<string, string>[] {
  return parse(readFileSync(file), { columns: true, delimiter, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
}

function textDataset(
  name: string,
  task: ScoringTask,
  texts: string[],
  labels: (string | number)[],
  stratify: string[],
  baselines: string[],
  textC: number,
): BenchDataset {
  return {
    name,
    task,
    fields: [{ name: 'text', type: 'text', label: 'Ticket text' }],
    rows: texts.map((text, i) => ({ id: String(i), fields: { text }, label: labels[i] })),
    stratify,
    python: { kind: 'text', text: texts },
    baselines,
    textC,
  };
}

export function loadItTickets(dir = sharedDataDir()): BenchDataset {
  const rows = readCsv(path.join(dir, 'it_service_ticket_classification', 'all_tickets_processed_improved_v3.csv'));
  const labels = rows.map((r) => r.Topic_group);
  return textDataset(
    'IT service → Topic_group',
    'ticket-category',
    rows.map((r) => r.Document),
    labels,
    labels,
    ['fasttext', 'tfidf-lr'],
    10,
  );
}

export function loadEndava(dir = sharedDataDir()): BenchDataset {
  const rows = readCsv(path.join(dir, 'endava_support_tickets_subset', 'all_tickets_head4855_tail576.csv')).filter(
    (r) => r.ticket_type === '0',
  );
  const texts = rows.map((r) => `${r.title ?? ''} ${r.body ?? ''}`.trim());
  return textDataset(
    'Endava incidents → urgency ≤ 1',
    'escalation-risk',
    texts,
    rows.map((r) => (Number(r.urgency) <= 1 ? 1 : 0)),
    rows.map((r) => r.urgency),
    // tfidf-lr-char-wb: sklearn on the word + char_wb 2–4 features our candidate search picks here
    // (a diagnostic row: it shows what those features score in sklearn's hands on the same split).
    ['fasttext', 'tfidf-lr', 'tfidf-lr-char-wb'],
    1,
  );
}

export function loadTobiBueck(dir = sharedDataDir()): BenchDataset {
  const rows = readCsv(
    path.join(dir, 'synthetic_customer_support_tickets_tobi_bueck_subset', 'aa_dataset-tickets-multi-lang-5-2-50-version_first1872.csv'),
  );
  const texts = rows.map((r) => `${r.subject ?? ''} ${r.body ?? ''}`.replace(/\\n/g, ' ').trim());
  return textDataset(
    'Tobi Bueck → priority = high',
    'escalation-risk',
    texts,
    rows.map((r) => (r.priority === 'high' ? 1 : 0)),
    rows.map((r) => r.priority),
    ['fasttext', 'tfidf-lr'],
    10,
  );
}

export function loadSuraj(dir = sharedDataDir()): { multiclass: BenchDataset; binary: BenchDataset } {
  const rows = readCsv(path.join(dir, 'customer_support_tickets_suraj520_synthetic', 'customer_support_tickets.csv'));
  const texts = rows.map((r) => `${r['Ticket Subject'] ?? ''} ${r['Ticket Description'] ?? ''}`.trim());
  const priority = rows.map((r) => r['Ticket Priority']);
  return {
    multiclass: textDataset(
      'Suraj (neg. control) → Ticket Priority',
      'ticket-category',
      texts,
      priority,
      priority,
      ['fasttext', 'tfidf-lr'],
      10,
    ),
    binary: textDataset(
      'Suraj (neg. control) → Critical/High',
      'escalation-risk',
      texts,
      priority.map((p) => (p === 'Critical' || p === 'High' ? 1 : 0)),
      priority,
      ['tfidf-lr'],
      10,
    ),
  };
}

function tabularDataset(
  name: string,
  rows: Record<string, string>[],
  numeric: string[],
  categorical: string[],
  label: (row: Record<string, string>) => 0 | 1,
  missingTokens: string[],
): BenchDataset {
  const fields: FieldSpec[] = [
    ...numeric.map((n): FieldSpec => ({ name: n, type: 'numeric' })),
    ...categorical.map((n): FieldSpec => ({ name: n, type: 'categorical', missingTokens })),
  ];
  const labels = rows.map(label);
  const isMissing = (v: string | undefined): boolean => v === undefined || v.trim() === '' || missingTokens.includes(v.trim());
  const columns: Record<string, { type: 'num' | 'cat'; values: (string | number | null)[] }> = {};
  for (const n of numeric)
    columns[n] = { type: 'num', values: rows.map((r) => (isMissing(r[n]) || !Number.isFinite(Number(r[n])) ? null : Number(r[n]))) };
  for (const n of categorical) columns[n] = { type: 'cat', values: rows.map((r) => (isMissing(r[n]) ? null : r[n].trim())) };
  return {
    name,
    task: 'lead-score',
    fields,
    rows: rows.map((r, i) => ({
      id: String(i),
      fields: Object.fromEntries([...numeric, ...categorical].map((n) => [n, r[n]])),
      label: labels[i],
    })),
    stratify: labels.map(String),
    python: { kind: 'tabular', columns },
    baselines: ['sklearn-lr', 'sklearn-hgb'],
  };
}

const X_EDUCATION_LEAKY = new Set([
  'Tags',
  'Lead Quality',
  'Last Activity',
  'Last Notable Activity',
  'Lead Profile',
  'Asymmetrique Activity Index',
  'Asymmetrique Profile Index',
  'Asymmetrique Activity Score',
  'Asymmetrique Profile Score',
  'Prospect ID',
  'Lead Number',
  'Converted',
]);

export function loadXEducation(dir = sharedDataDir()): BenchDataset {
  const rows = readCsv(path.join(dir, 'x_education_leads', 'Leads.csv'));
  const numeric = ['TotalVisits', 'Total Time Spent on Website', 'Page Views Per Visit'];
  const categorical = Object.keys(rows[0]).filter((c) => !X_EDUCATION_LEAKY.has(c) && !numeric.includes(c));
  return tabularDataset('X Education → Converted', rows, numeric, categorical, (r) => (r.Converted === '1' ? 1 : 0), ['Select']);
}

export function loadBank(dir = sharedDataDir()): BenchDataset {
  const rows = readCsv(path.join(dir, 'uci_bank_marketing', 'bank-additional-full.csv'), ';');
  const numeric = ['age', 'campaign', 'pdays', 'previous', 'emp.var.rate', 'cons.price.idx', 'cons.conf.idx', 'euribor3m', 'nr.employed'];
  const categorical = ['job', 'marital', 'education', 'default', 'housing', 'loan', 'contact', 'month', 'day_of_week', 'poutcome'];
  return tabularDataset('UCI bank → y', rows, numeric, categorical, (r) => (r.y === 'yes' ? 1 : 0), []);
}
