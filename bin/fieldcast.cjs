#!/usr/bin/env node
// Entry of `npx fieldcast` and `npm start`. Checks the Node version, compiles the TypeScript into
// dist/ when the sources are newer than the last build (a fresh clone has no dist/), then runs the CLI.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Fieldcast needs Node.js 22.12 or newer (the vendor SDKs and the job queue require it); this is ${process.version}.\n` +
      'Install Node 24 LTS (see .nvmrc), or run: source scripts/use-node-24.sh',
  );
  process.exit(1);
}

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const SOURCE_ROOTS = ['apps', 'libs', 'connectors', 'migrations'];

function newestSourceMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'settings-ui') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const builtAt = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const newest = Math.max(...SOURCE_ROOTS.map((d) => newestSourceMtime(path.join(root, d))));
if (newest > builtAt) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('Building Fieldcast failed (see above).');
    process.exit(1);
  }
}

require(path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js'))
  .main(process.argv)
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
