// ESLint flat config: typescript-eslint's recommended rules plus the dependency direction of
// architecture.md (apps → libs, connectors; connectors → connector-sdk, common only; sync-engine and
// scoring never import connectors; no connector imports another; libs never import apps).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const VENDORS = ['salesforce', 'hubspot', 'zendesk'];
const connectorAliases = VENDORS.map((vendor) => `@fieldcast/connector-${vendor}`);
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      'coverage/',
      'test-artifacts/',
      'apps/settings-ui/dist/',
      'bench/results/',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        require: 'readonly',
        module: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: restrict(
      ['**/apps/**', '@fieldcast/sandbox', ...connectorAliases, '**/connectors/**'],
      'libs/ must not import apps or concrete connectors (architecture.md: dependency direction).',
    ),
  },
  // Each connector may import only @fieldcast/connector-sdk and @fieldcast/common, never another connector.
  ...VENDORS.map((vendor) => ({
    files: [`connectors/${vendor}/**/*.ts`],
    rules: restrict(
      [
        '**/apps/**',
        '@fieldcast/database*',
        '@fieldcast/scoring',
        '@fieldcast/sync-engine',
        '@fieldcast/runtime',
        ...VENDORS.filter((other) => other !== vendor).flatMap((other) => [`@fieldcast/connector-${other}`, `**/connectors/${other}/**`]),
      ],
      'connectors import only @fieldcast/connector-sdk and @fieldcast/common (architecture.md).',
    ),
  })),
  {
    // Connector tests meet the vendor through the sandbox, as a user's CRM would be met.
    files: ['connectors/*/test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
