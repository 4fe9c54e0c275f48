// One place for the swc options shared by the build (scripts/build.mjs) and jest (jest.config.cjs),
// so the code that runs in tests is compiled exactly like the code that runs in production.
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');

/** tsconfig "paths" (the @fieldcast/* aliases), read once so they are defined in one file only. */
function readTsconfigPaths() {
  const raw = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
  return JSON.parse(raw).compilerOptions.paths;
}

function swcOptions({ rewritePaths }) {
  return {
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
      ...(rewritePaths ? { baseUrl: root, paths: readTsconfigPaths() } : {}),
    },
    module: { type: 'commonjs', strictMode: true, ignoreDynamic: true },
  };
}

module.exports = { root, readTsconfigPaths, swcOptions };
