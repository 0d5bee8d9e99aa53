// Lint: typescript-eslint's type-aware rules, plus the two guardrails of Temporal projects —
// no floating promises, and no Node built-ins (I/O) in workflow code.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'src/generated', '.data', '.tools', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Interfaces (PayloadCodec, Bolt receivers) ask for async methods that need not await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow code is deterministic: no Node built-ins (do I/O in activities).' },
            { group: ['**/activities/*', '!**/activities/index.ts'], message: 'Import activities as types only, through proxyActivities.' },
            {
              group: ['**/generated/**', '**/db/**', '**/email/**', '**/infra/**', '**/slack/**', '**/web/**', '**/cli/**', '**/files/**'],
              message: 'No I/O modules in workflow code.',
            },
            { group: ['@prisma/*', 'pg', 'nodemailer', '@slack/*', 'express', 'pino'], message: 'No I/O libraries in workflow code.' },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure rules: it imports itself and zod, nothing that reaches the outside.
    files: ['src/domain/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\./)', message: 'src/domain imports only itself and zod (pure rules, no I/O).' }] },
      ],
    },
  },
  {
    // The pathway's state machine: the domain one level up, nothing else.
    files: ['src/domain/*/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\./|\\.\\./(?!\\.\\./))', message: 'src/domain imports only itself and zod (pure rules, no I/O).' }] },
      ],
    },
  },
  {
    // Activities are wired into the worker only (src/temporal/worker.ts); the rest of src calls the database itself.
    files: ['src/**/*.ts'],
    ignores: ['src/temporal/worker.ts', 'src/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)activities/', message: 'Only the worker (src/temporal/worker.ts) imports activities/.' }] },
      ],
    },
  },
  { files: ['bin/*.js', 'eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
