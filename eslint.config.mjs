// ESLint flat config: typescript-eslint's recommended rules for the extension, CLI, tests and benchmarks;
// plain JavaScript rules for the build and E2E scripts. Formatting is Prettier's job (`npm run lint:format`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-results/**',
      'bench/results/**',
      '.bench-out/**',
      'coverage/**',
      '.package/**',
      'out-vsix/**',
      'grammars/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // Unused names are errors, except ones marked unused on purpose with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-unused-vars': 'off',
      // `catch {}` that deliberately ignores an error (a missing file, a closed socket) is common and commented.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A control character in a regex is how the sanitisers find terminal escapes and NULs.
      'no-control-regex': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'prefer-const': ['error', { destructuring: 'all' }],
    },
  },
  {
    // Code that runs in a browser: the webview, and the E2E functions Playwright evaluates inside the page.
    files: ['media/**/*.js', 'src/webview/**/*.ts', 'test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
