// Speed bench for libs/scoring (issue 5 "Numbers"): training 50,000 tickets (our single fit, our
// full trainModel with cross-fitted calibration, and Debian's fastText on the same rows), and
// in-process inference throughput for tickets and leads on one core (Node is single-threaded here).
// Uses the CC0 / CC BY copies in data/ (no ../shared needed); prints the machine load, because the
// 2-core machine is shared and throughput moves with it.
//
//   node scripts/run-ts.mjs bench/scoring-speed.bench.ts [--skip-full] [--inference-only] [--one-thread]
// --inference-only skips ticket training and fastText and times inference with the shipped default;
// --one-thread also times the full trainModel without the helper thread (threads: 1).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  loadArtifact,
  predict,
  predictProbabilities,
  trainModel,
  type LabeledRecord,
  type ModelArtifact,
  type ScoringRecord,
  type TrainOptions,
} from '@fieldcast/scoring';
import { encodeRecords, fitEncoder } from '../libs/scoring/src/features/feature-encoder.features';
import { trainLogisticRegression } from '../libs/scoring/src/models/logistic-regression.model';
import { connectionTrainOptions } from '../libs/sync-engine/src/training/connection-trainer';
import { ensureReferenceTools } from './scoring/bench-setup';
import { findRepoRoot } from './scoring/datasets';

const root = findRepoRoot();
const TICKET_OPTIONS: TrainOptions = {
  fields: [{ name: 'text', type: 'text' }],
  C: 10,
  folds: 3,
  gradientTolerance: 1e-4,
  encoder: { text: { hashBits: 18, wordNgrams: 2, charNgrams: [0, 0] } },
};

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function loadTickets(): LabeledRecord[] {
  const file = path.join(root, 'data', 'it_service_ticket_classification', 'all_tickets_processed_improved_v3.csv');
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const out = rows.map((r, i) => ({ id: `t${i}`, fields: { text: r.Document }, label: r.Topic_group }));
  // 47,837 real tickets, topped up to 50,000 with repeats of the first ones.
  for (let i = 0; out.length < 50_000; i += 1) out.push({ ...out[i], id: `t${out.length}` });
  return out;
}

function loadLeads(): LabeledRecord[] {
  const file = path.join(root, 'data', 'uci_bank_marketing', 'bank-additional-full.csv');
  const rows = parse(readFileSync(file), { columns: true, delimiter: ';', skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r, i) => {
    const { y, duration: _leaky, ...fields } = r;
    return { id: `b${i}`, fields, label: y === 'yes' };
  });
}

function fastTextSeconds(rows: LabeledRecord[]): number | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fieldcast-ft-speed-'));
  const clean = (t: string): string =>
    t
      .toLowerCase()
      .replace(/([.!?,'/()])/g, ' $1 ')
      .replace(/\s+/g, ' ')
      .trim();
  writeFileSync(
    path.join(dir, 'train.txt'),
    rows.map((r) => `__label__${String(r.label).replace(/ /g, '_')} ${clean(String(r.fields.text))}`).join('\n') + '\n',
  );
  const t0 = performance.now();
  const run = spawnSync(
    'fasttext',
    [
      'supervised',
      '-input',
      path.join(dir, 'train.txt'),
      '-output',
      path.join(dir, 'm'),
      '-epoch',
      '25',
      '-wordNgrams',
      '2',
      '-dim',
      '50',
      '-thread',
      '2',
      '-seed',
      '42',
    ],
    { stdio: 'ignore' },
  );
  const elapsed = seconds(t0);
  rmSync(dir, { recursive: true, force: true });
  return run.status === 0 ? elapsed : undefined;
}

/**
 * Items per second of one-core work: 3 timed runs after a warm-up, the best run's wall rate and its
 * CPU rate (items per CPU-second of this process, which other engineers' load does not shrink much).
 */
function throughput(label: string, items: number, fn: () => void): number {
  fn(); // warm-up (JIT, scratch buffers)
  let bestWall = 0;
  let bestCpu = 0;
  for (let run = 0; run < 3; run += 1) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const cpu = process.cpuUsage(c0);
    bestWall = Math.max(bestWall, items / seconds(t0));
    bestCpu = Math.max(bestCpu, items / ((cpu.user + cpu.system) / 1e6));
  }
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`${label}: ${f(bestWall)} items/s wall, ${f(bestCpu)} items per CPU-second`);
  return bestCpu;
}

function main(): void {
  const skipFull = process.argv.includes('--skip-full');
  const inferenceOnly = process.argv.includes('--inference-only');
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const tickets = loadTickets();
  const classes = [...new Set(tickets.map((t) => String(t.label)))].sort();
  const y = Int32Array.from(tickets, (t) => classes.indexOf(String(t.label)));

  let artifact: ModelArtifact | undefined;
  if (!inferenceOnly) artifact = trainTickets(tickets, y, classes.length, skipFull);
  inference(tickets, artifact);
}

function loadNow(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

function describeOptions(options: TrainOptions): string {
  const text = { ...options.encoder?.text };
  const parts = [
    `2^${text.hashBits ?? 18}`,
    text.idf === false ? 'no idf' : 'idf',
    `C = ${options.C ?? options.candidates?.map((c) => c.C).join('/')}`,
  ];
  parts.push(
    `${options.folds ?? 5} folds`,
    `tol ${options.gradientTolerance ?? 1e-5}`,
    options.threads === 1 ? 'one thread' : 'helper thread',
  );
  return parts.join(', ');
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function trainTickets(tickets: LabeledRecord[], y: Int32Array, nClasses: number, skipFull: boolean): ModelArtifact | undefined {
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const encoder = fitEncoder(TICKET_OPTIONS.fields, tickets, TICKET_OPTIONS.encoder);
  const X = encodeRecords(encoder, tickets);
  const encodeS = seconds(t0);
  t0 = performance.now();
  const fit = trainLogisticRegression(X, y, nClasses, { C: 10, gradientTolerance: 1e-4 });
  const fitS = seconds(t0);
  const singleCpu = cpuSeconds(c0);
  const single = encodeS + fitS;
  console.log(
    `training 50,000 tickets, single fit (encode ${encodeS.toFixed(1)} s + L-BFGS ${fitS.toFixed(1)} s, ${fit.optimizer.iterations} iterations, ${fit.optimizer.reason}): ${single.toFixed(1)} s wall, ${singleCpu.toFixed(1)} s CPU`,
  );
  // The settings the quality bench picks for IT tickets (2^20 buckets, no idf, C = 30), single fit.
  t0 = performance.now();
  c0 = process.cpuUsage();
  const qualityEncoder = fitEncoder(TICKET_OPTIONS.fields, tickets, {
    text: { hashBits: 20, wordNgrams: 2, charNgrams: [0, 0], idf: false },
  });
  const qualityFit = trainLogisticRegression(encodeRecords(qualityEncoder, tickets), y, nClasses, { C: 30, gradientTolerance: 1e-4 });
  console.log(
    `training 50,000 tickets, single fit with the quality bench's ticket settings (2^20, no idf, C = 30; ${qualityFit.optimizer.iterations} iterations): ${seconds(t0).toFixed(1)} s wall, ${cpuSeconds(c0).toFixed(1)} s CPU`,
  );
  let artifact: ModelArtifact | undefined;
  let fullS: number | undefined;
  if (!skipFull) {
    const oneThread = process.argv.includes('--one-thread');
    const runs: Array<{ label: string; options: TrainOptions }> = [
      { label: 'full trainModel', options: TICKET_OPTIONS },
      ...(oneThread ? [{ label: 'full trainModel, one thread', options: { ...TICKET_OPTIONS, threads: 1 as const } }] : []),
      // What a connection's retrain runs on 50,000 tickets (libs/sync-engine connection-trainer.ts).
      {
        label: 'full trainModel with the connection trainer settings',
        options: { fields: TICKET_OPTIONS.fields, ...connectionTrainOptions('ticket-category', tickets.length) },
      },
    ];
    for (const run of runs) {
      t0 = performance.now();
      c0 = process.cpuUsage();
      const full = trainModel('ticket-category', tickets, run.options);
      const wall = seconds(t0);
      fullS ??= wall;
      const t = full.timings;
      const ms = (v: number): string => `${(v / 1000).toFixed(1)} s`;
      const folds = t.foldMs.map((f, i) => `${ms(f)}${t.foldsOnHelperThread[i] ? ' (helper)' : ''}`).join(', ');
      console.log(
        `training 50,000 tickets, ${run.label} (${describeOptions(run.options)}): ${wall.toFixed(1)} s wall, ${cpuSeconds(c0).toFixed(1)} s CPU = ` +
          `encode ${ms(t.encodeMs)} + fold models ${ms(t.crossFitMs)} [${folds}] + all-rows model ${ms(t.fitMs)} ` +
          `(${full.artifact.model.optimizer.iterations} iterations) + the rest ${ms(t.totalMs - t.encodeMs - t.crossFitMs - t.fitMs)} ` +
          `(calibration, metrics, curves, explanation); out-of-fold accuracy ${(full.artifact.metrics.accuracy as number).toFixed(4)}; load ${loadNow()}`,
      );
      artifact ??= full.artifact;
    }
  }
  const tools = ensureReferenceTools();
  const ft = tools.fasttext ? fastTextSeconds(tickets) : undefined;
  if (ft === undefined) {
    console.log('fastText: ABSENT (apt-get install fasttext)');
  } else {
    const ratios = `single fit ${(single / ft).toFixed(2)}×${fullS === undefined ? '' : `, full trainModel ${(fullS / ft).toFixed(2)}×`}`;
    console.log(`fastText supervised (ep25, ng2, dim50, 2 threads) on the same 50,000: ${ft.toFixed(1)} s wall; ours/fastText: ${ratios}`);
  }
  console.log('goal: < 30 s and ≤ 3× fastText (wall, this machine)');
  return artifact;
}

function inference(tickets: LabeledRecord[], artifact: ModelArtifact | undefined): void {
  const ticketModel = loadArtifact(
    artifact ?? JSON.parse(readFileSync(path.join(root, 'libs', 'scoring', 'artifacts', 'ticket-category.default.json'), 'utf8')),
  );
  const ticketBatch: ScoringRecord[] = tickets.slice(0, 20_000);
  throughput('ticket inference, probabilities only (predictProbabilities)', ticketBatch.length, () =>
    predictProbabilities(ticketModel, ticketBatch),
  );
  throughput('ticket inference, full answers with factors + top terms (predict)', ticketBatch.length, () =>
    predict(ticketModel, ticketBatch),
  );
  throughput('ticket inference, full answers without factors (predict, explain: false)', ticketBatch.length, () =>
    predict(ticketModel, ticketBatch, { explain: false }),
  );

  const leads = loadLeads();
  const numeric = new Set([
    'age',
    'campaign',
    'pdays',
    'previous',
    'emp.var.rate',
    'cons.price.idx',
    'cons.conf.idx',
    'euribor3m',
    'nr.employed',
  ]);
  const t0 = performance.now();
  const leadResult = trainModel('lead-score', leads, {
    fields: Object.keys(leads[0].fields).map((name) => ({ name, type: numeric.has(name) ? 'numeric' : 'categorical' })),
    C: 0.1,
  });
  console.log(`training ${leads.length.toLocaleString('en-US')} bank leads (full trainModel, 5 folds): ${seconds(t0).toFixed(1)} s`);
  const leadModel = loadArtifact(leadResult.artifact);
  const leadBatch: ScoringRecord[] = [];
  while (leadBatch.length < 200_000) leadBatch.push(...leads.slice(0, 200_000 - leadBatch.length));
  throughput('lead inference, probabilities only (predictProbabilities)', leadBatch.length, () =>
    predictProbabilities(leadModel, leadBatch),
  );
  throughput('lead inference, full answers with factors (predict)', leadBatch.length, () => predict(leadModel, leadBatch));
  throughput('lead inference, full answers without factors (predict, explain: false)', leadBatch.length, () =>
    predict(leadModel, leadBatch, { explain: false }),
  );
  console.log('goal: ≥ 20,000 tickets/s and ≥ 100,000 leads/s on one core (answers with factors)');
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (!existsSync(path.join(root, 'data'))) console.log('data/ is absent: nothing measured');
}

main();
