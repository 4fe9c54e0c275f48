// Compiles the server-side TypeScript (apps, libs, connectors, migrations, bench) to dist/ with swc.
// swc rewrites the @fieldcast/* path aliases into relative requires, so dist/ runs with plain `node`.
// Type checking is separate (`npm run typecheck`), as swc only strips types.
import { transformFile } from '@swc/core';
import { createRequire } from 'node:module';
import { mkdir, readdir, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { root, swcOptions } = require('./swc-options.cjs');

const SOURCE_ROOTS = ['apps', 'libs', 'connectors', 'migrations', 'bench'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'settings-ui', 'test', 'fixtures']);
const isBuildable = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(name);

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(full);
    } else if (isBuildable(entry.name)) {
      yield full;
    }
  }
}

const outRoot = path.join(root, 'dist');
// --clean for release builds; run-ts.mjs builds incrementally so concurrent runs do not delete each other's output.
if (process.argv.includes('--clean')) await rm(outRoot, { recursive: true, force: true });
const options = swcOptions({ rewritePaths: true });
let count = 0;
for (const sourceRoot of SOURCE_ROOTS) {
  for await (const file of walk(path.join(root, sourceRoot))) {
    const relative = path.relative(root, file);
    const outFile = path.join(outRoot, relative.replace(/\.ts$/, '.js'));
    const output = await transformFile(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(outFile), file) });
    await mkdir(path.dirname(outFile), { recursive: true });
    await writeFile(outFile, `${output.code}\n//# sourceMappingURL=${path.basename(outFile)}.map\n`);
    if (output.map) await writeFile(`${outFile}.map`, output.map);
    count += 1;
  }
}
await writeFile(path.join(outRoot, '.build-stamp'), new Date().toISOString());
if (!process.argv.includes('--quiet')) console.log(`built ${count} files into dist/`);
