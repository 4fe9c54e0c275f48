// ESLint flat config: typescript-eslint's recommended rules plus the dependency direction of
// architecture.md (apps → libs, connectors; connectors → connector-sdk, common only; sync-engine and
// scoring never import connectors; no connector imports another; libs never import apps).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const connectorAliases = ['@fieldcast/connector-salesforce', '@fieldcast/connector-hubspot', '@fieldcast/connector-zendesk'];
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
  {
    files: ['connectors/salesforce/**/*.ts'],
    rules: restrict(
      [
        '**/apps/**',
        '@fieldcast/database*',
        '@fieldcast/scoring',
        '@fieldcast/sync-engine',
        '@fieldcast/runtime',
        '@fieldcast/connector-hubspot',
        '@fieldcast/connector-zendesk',
        '**/connectors/hubspot/**',
        '**/connectors/zendesk/**',
      ],
      'connectors import only @fieldcast/connector-sdk and @fieldcast/common (architecture.md).',
    ),
  },
  {
    files: ['connectors/hubspot/**/*.ts'],
    rules: restrict(
      [
        '**/apps/**',
        '@fieldcast/database*',
        '@fieldcast/scoring',
        '@fieldcast/sync-engine',
        '@fieldcast/runtime',
        '@fieldcast/connector-salesforce',
        '@fieldcast/connector-zendesk',
        '**/connectors/salesforce/**',
        '**/connectors/zendesk/**',
      ],
      'connectors import only @fieldcast/connector-sdk and @fieldcast/common (architecture.md).',
    ),
  },
  {
    files: ['connectors/zendesk/**/*.ts'],
    rules: restrict(
      [
        '**/apps/**',
        '@fieldcast/database*',
        '@fieldcast/scoring',
        '@fieldcast/sync-engine',
        '@fieldcast/runtime',
        '@fieldcast/connector-salesforce',
        '@fieldcast/connector-hubspot',
        '**/connectors/salesforce/**',
        '**/connectors/hubspot/**',
      ],
      'connectors import only @fieldcast/connector-sdk and @fieldcast/common (architecture.md).',
    ),
  },
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
