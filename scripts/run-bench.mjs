// `npm run bench [name ...]`: runs the benchmarks in bench/ one after another (all, or those whose
// file name contains one of the given names), each through the same swc build as production.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const all = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const selected = filters.length ? all.filter((f) => filters.some((name) => f.includes(name))) : all;
if (selected.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}. Available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, [path.join(root, 'scripts/run-ts.mjs'), path.join('bench', file)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
