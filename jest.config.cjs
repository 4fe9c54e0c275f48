// Three projects: unit (*.spec.ts beside the code), integration (*.integration-spec.ts, real PostgreSQL)
// and e2e (*.e2e-spec.ts: real SDKs against the vendor sandboxes over HTTP, the API over HTTP).
// `npm test` runs all three. Node runs jest with --experimental-vm-modules so that CommonJS code can
// require() the ESM-only packages (NestJS 12, pg-boss) exactly as it does at run time.
const { readTsconfigPaths, swcOptions } = require('./scripts/swc-options.cjs');

const moduleNameMapper = Object.fromEntries(
  Object.entries(readTsconfigPaths()).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target.replace(/^\.\//, '')}`]),
);

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions({ rewritePaths: false })] },
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/apps/settings-ui/'],
};

module.exports = {
  // A test that fails half-way can leave a pool or server open; CI must still end, not wait 90 minutes.
  forceExit: true,
  // Generous, and global: jest ignores testTimeout inside `projects`. CI runs on 2 cores, and a slow
  // machine must not turn a correct test red.
  testTimeout: 90_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,connectors,scripts,bench}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,connectors,test}/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,connectors,test}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
