import { createRng, shuffleInPlace } from './random';

/**
 * Fold id (0..k−1) per row: each class is shuffled and dealt round-robin, continuing the deal
 * across classes so fold sizes differ by at most one and class shares match within one row.
 */
export function stratifiedFolds(y: Int32Array, k: number, seed = 42): Int32Array {
  const rng = createRng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i += 1) {
    const list = byClass.get(y[i]);
    if (list) list.push(i);
    else byClass.set(y[i], [i]);
  }
  const folds = new Int32Array(y.length);
  let deal = 0;
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffleInPlace(Int32Array.from(byClass.get(cls) as number[]), rng);
    for (const row of rows) {
      folds[row] = deal % k;
      deal += 1;
    }
  }
  return folds;
}

export function foldRows(folds: Int32Array, fold: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < folds.length; i += 1) (folds[i] === fold ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
