// @ts-check
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'assets/**', 'data/**'] },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    plugins: { '@stylistic': stylistic },
    rules: {
      // Prettier wraps code at 120; this also catches the strings and comments it leaves alone.
      '@stylistic/max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The architecture as a rule: where the logic is, modules are pure (no web framework, no database, no
    // file system): the VietQR codec, calendar days, adoption maths, sticker and report layout, chart geometry.
    files: [
      'src/vietqr/**/*.ts',
      'src/calendar/**/*.ts',
      'src/adoption/adoption-maths.ts',
      'src/adoption/coverage.ts',
      'src/sticker-pdf/sticker-layout.ts',
      'src/pdf-text/fit-text.ts',
      'src/reports/*-layout.ts',
      'src/charts/**/*.ts',
      'src/dashboard/trend-chart*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['express', 'better-sqlite3', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'ejs', 'pdfkit'],
          patterns: ['../db/*', '../http/*', '../*/*-repo.js', '../*/*-routes.js'],
        },
      ],
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
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', fetch: 'readonly' },
    },
  },
);
