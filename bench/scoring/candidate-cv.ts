// Compares training settings on the TRAINING rows of the ml-baselines split only (cross-fitted,
// out-of-fold metrics from trainModel), so settings can be chosen without looking at the test rows.
// The test metric is printed only with --show-test, for the record after a choice was made.
//
//   node scripts/run-ts.mjs bench/scoring/candidate-cv.ts <slug> '<TrainOptions json>' ['<json>' …] [--show-test]
// slugs: it-tickets, x-education, bank, endava, tobi-bueck
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binaryMetrics, multiclassMetrics, predictProbabilities, trainModel, type TrainOptions } from '@fieldcast/scoring';
import { PYTHON } from './bench-setup';
import { findRepoRoot, loadBank, loadEndava, loadItTickets, loadTobiBueck, loadXEducation, type BenchDataset } from './datasets';

const LOADERS: Record<string, () => BenchDataset> = {
  'it-tickets': loadItTickets,
  'x-education': loadXEducation,
  bank: loadBank,
  endava: loadEndava,
  'tobi-bueck': loadTobiBueck,
};

function split(slug: string, ds: BenchDataset): { train: number[]; test: number[] } {
  const work = mkdtempSync(path.join(os.tmpdir(), 'fieldcast-candidate-cv-'));
  const binary = ds.task !== 'ticket-category';
  writeFileSync(
    path.join(work, `${slug}.input.json`),
    JSON.stringify({
      stratify: ds.stratify,
      labels: ds.rows.map((r) => (binary ? Number(r.label) : String(r.label))),
      binary,
      baselines: [],
    }),
  );
  const py = spawnSync(PYTHON, [path.join(findRepoRoot(), 'bench', 'scoring', 'sklearn-baselines.py'), work, '--split-only'], {
    stdio: 'inherit',
  });
  if (py.status !== 0) throw new Error('python split failed (python3-sklearn installed?)');
  const result = JSON.parse(readFileSync(path.join(work, `${slug}.result.json`), 'utf8')) as { train: number[]; test: number[] };
  rmSync(work, { recursive: true, force: true });
  return result;
}

function main(): void {
  const args = process.argv.slice(2).filter((a) => a !== '--show-test');
  const showTest = process.argv.includes('--show-test');
  const [slug, ...optionSets] = args;
  const load = LOADERS[slug];
  if (!load || optionSets.length === 0) {
    console.error(`usage: candidate-cv.ts <${Object.keys(LOADERS).join('|')}> '<TrainOptions json>' … [--show-test]`);
    process.exitCode = 2;
    return;
  }
  const ds = load();
  const { train, test } = split(slug, ds);
  const trainRows = train.map((i) => ds.rows[i]);
  const testRows = test.map((i) => ds.rows[i]);
  console.log(
    `${ds.name}: ${trainRows.length} training rows; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const json of optionSets) {
    const extra = JSON.parse(json) as Partial<TrainOptions>;
    const cpu0 = process.cpuUsage();
    const result = trainModel(ds.task, trainRows, { fields: ds.fields, trainedAt: '2026-01-01T00:00:00.000Z', ...extra });
    const cpu = process.cpuUsage(cpu0);
    const held = result.heldOut as unknown as Record<string, number>;
    const oof =
      ds.task === 'ticket-category'
        ? `OOF acc ${held.accuracy.toFixed(4)} macro-F1 ${held.macroF1.toFixed(4)}`
        : `OOF AUC ${held.auc.toFixed(4)}`;
    let testText = '';
    if (showTest) {
      const proba = predictProbabilities(result.artifact, testRows);
      if (ds.task === 'ticket-category') {
        const classes = result.artifact.model.classes;
        const m = multiclassMetrics(
          proba,
          Int32Array.from(testRows, (r) => classes.indexOf(String(r.label))),
          classes,
        );
        testText = ` | test acc ${m.accuracy.toFixed(4)} macro-F1 ${m.macroF1.toFixed(4)}`;
      } else {
        testText = ` | test AUC ${binaryMetrics(
          proba,
          testRows.map((r) => Number(r.label)),
        ).auc.toFixed(4)}`;
      }
    }
    const cal = result.artifact.calibration;
    const calText =
      cal.method === 'temperature' ? ` T=${cal.temperature.toFixed(3)}` : cal.method === 'platt' ? ` platt a=${cal.a.toFixed(3)}` : '';
    console.log(
      `${json} → C=${result.chosenC}${calText} ECE ${held.ece.toFixed(4)} iterations ${result.artifact.model.optimizer.iterations} timings ${JSON.stringify(result.timings, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );
    console.log(
      `${json} → C=${result.chosenC} ${JSON.stringify(result.chosenEncoder)}: ${oof}${testText} (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU)`,
    );
  }
}

main();
