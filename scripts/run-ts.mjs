// Runs one TypeScript entry point of this repo (a bench script, a one-off tool) the way production
// runs code: compile the server side with swc into dist/ (a second or two), then run the compiled file.
// Usage: node scripts/run-ts.mjs bench/sandbox-seed.bench.ts [args...]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry || !entry.endsWith('.ts')) {
  console.error('usage: node scripts/run-ts.mjs <path/to/file.ts> [args...]');
  process.exit(2);
}
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const compiled = path.join(root, 'dist', path.relative(root, path.resolve(entry)).replace(/\.ts$/, '.js'));
const run = spawnSync(process.execPath, ['--enable-source-maps', compiled, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
