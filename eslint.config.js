// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'assets/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The architecture as a rule: the VietQR codec is pure (no web framework, no database, no file system).
    files: ['src/vietqr/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['express', 'better-sqlite3', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'ejs', 'pdfkit'],
        patterns: ['../db/*', '../http/*', '../*/*-repo.js', '../*/*-routes.js'],
      }],
    },
  },
  {
    // Services hold the rules and stay independent of HTTP.
    files: ['src/**/*-service.ts', 'src/**/*-repo.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['express'] }],
    },
  },
  {
    files: ['assets/js/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', fetch: 'readonly' } },
  },
);
