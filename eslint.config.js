import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// Tests may use anything; nothing else may depend on test code (process helpers live in dev/).
const noTestImports = {
  regex: '(^|/)test/',
  message: 'Only tests import from test/; shared process helpers live in dev/',
};

// The layout's floors: each folder imports only what stands below it, so no import runs back up.
const MAY_NOT_IMPORT = {
  src: ['gateway', 'worker', 'sandbox', 'activities', 'workflows', 'dev', 'scripts', 'bench'],
  gateway: ['worker', 'sandbox', 'activities', 'workflows', 'dev', 'scripts', 'bench'],
  sandbox: ['gateway', 'worker', 'activities', 'workflows', 'dev', 'scripts', 'bench'],
  activities: ['gateway', 'worker', 'sandbox', 'workflows', 'dev', 'scripts', 'bench'],
  workflows: ['gateway', 'worker', 'sandbox', 'dev', 'scripts', 'bench'],
  worker: ['sandbox', 'dev', 'scripts', 'bench'],
  dev: ['scripts', 'bench'],
};
const noImportsFrom = (folders) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})/`,
  message: `Imports run down the layout: this folder may not import ${folders.join(', ')}`,
});
const importLimits = (folder, extra = {}) => [
  'error',
  { ...extra, patterns: [noTestImports, noImportsFrom(MAY_NOT_IMPORT[folder])] },
];
const workflowCode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not allowed in workflow code' })),
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.temporal/', 'coverage/', 'public/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The web page: plain ES modules run by the browser, type-checked from JSDoc by `tsc -p public`.
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  {
    files: ['**/*.ts'],
    ignores: ['test/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noTestImports] }],
    },
  },
  ...Object.keys(MAY_NOT_IMPORT).map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': importLimits(folder) },
  })),
  // Workflow code is replayed: no I/O, clocks or randomness outside the SDK's own.
  { files: ['workflows/**/*.ts'], rules: { 'no-restricted-imports': importLimits('workflows', workflowCode) } },
  { files: ['src/shared/**/*.ts'], rules: { 'no-restricted-imports': importLimits('src', workflowCode) } },
);
