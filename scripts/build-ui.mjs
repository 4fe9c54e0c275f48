// Builds the settings UI (apps/settings-ui) with Vite into apps/settings-ui/dist, which the API serves
// at `/`. A no-op when dist is newer than every source file (so `npm start` can call it every time).
// Flags: --force rebuilds anyway; --quiet prints only errors.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uiRoot = path.join(root, 'apps', 'settings-ui');
const dist = path.join(uiRoot, 'dist');
const stamp = path.join(dist, 'index.html');
const quiet = process.argv.includes('--quiet');

function newestMtime(target) {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

const sources = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'].map((p) => path.join(uiRoot, p));
const newestSource = Math.max(...sources.map(newestMtime));
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (!process.argv.includes('--force') && builtAt > newestSource) {
  if (!quiet) console.log('settings UI is up to date (apps/settings-ui/dist)');
  process.exit(0);
}

const started = Date.now();
const { build } = await import('vite');
try {
  await build({
    configFile: path.join(uiRoot, 'vite.config.ts'),
    root: uiRoot,
    logLevel: quiet ? 'error' : 'warn',
  });
} catch (error) {
  console.error(`Building the settings UI failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
if (!quiet) console.log(`settings UI built into apps/settings-ui/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
