// Minimum-data gates, defaults after Salesforce Einstein (≥ 1,000 leads with ≥ 120 converted) and
// Zendesk Intelligent Triage (> 1,000 tickets) — see ../shared/reference/ml-anchors.md §1. Below them
// a connection keeps its default model; the result says exactly which minimum was missed.
import type { ScoringTask } from '../scoring.types';

export interface GateThresholds {
  minRows: number;
  /** Binary tasks: minimum positive labels. */
  minPositives: number;
  /** Category tasks: minimum examples of every class. */
  minPerClass: number;
}

export const DEFAULT_GATES: Record<ScoringTask, GateThresholds> = {
  'lead-score': { minRows: 1000, minPositives: 120, minPerClass: 0 },
  'ticket-category': { minRows: 1000, minPositives: 0, minPerClass: 50 },
  'escalation-risk': { minRows: 0, minPositives: 120, minPerClass: 0 },
};

export interface GateResult {
  passed: boolean;
  task: ScoringTask;
  rows: number;
  positives?: number;
  classCounts?: Record<string, number>;
  thresholds: GateThresholds;
  reasons: string[];
}

export function isBinaryTask(task: ScoringTask): boolean {
  return task !== 'ticket-category';
}

/** For binary tasks pass 0/1 labels; for categories pass the class labels. */
export function checkDataGates(
  task: ScoringTask,
  labels: readonly (string | number)[],
  overrides: Partial<GateThresholds> = {},
): GateResult {
  const thresholds = { ...DEFAULT_GATES[task], ...overrides };
  const reasons: string[] = [];
  const rows = labels.length;
  if (rows < thresholds.minRows) reasons.push(`${rows} training rows, below the minimum of ${thresholds.minRows}`);
  if (isBinaryTask(task)) {
    let positives = 0;
    for (const label of labels) if (label === 1 || label === '1') positives += 1;
    if (positives < thresholds.minPositives) reasons.push(`${positives} positive labels, below the minimum of ${thresholds.minPositives}`);
    if (positives === rows) reasons.push('every label is positive: nothing to learn from');
    return { passed: reasons.length === 0, task, rows, positives, thresholds, reasons };
  }
  const classCounts: Record<string, number> = {};
  for (const label of labels) classCounts[String(label)] = (classCounts[String(label)] ?? 0) + 1;
  const small = Object.entries(classCounts)
    .filter(([, count]) => count < thresholds.minPerClass)
    .sort((a, b) => a[1] - b[1]);
  if (small.length > 0) {
    reasons.push(
      `${small.length} class(es) below ${thresholds.minPerClass} examples: ${small.map(([label, count]) => `${label} (${count})`).join(', ')}`,
    );
  }
  if (Object.keys(classCounts).length < 2) reasons.push('fewer than 2 classes');
  return { passed: reasons.length === 0, task, rows, classCounts, thresholds, reasons };
}
